// The authorize page is where a browser goes, not a call an app
// makes with fetch: build its URL (Picket.authorizationUrl does
// this, with a fresh PKCE pair) and send the browser there.
const url = new URL("https://picketapi.com/api/v1/oauth2/authorize");
url.search = new URLSearchParams([
  ["client_id", "pk_123_456_your_key"],
  ["redirect_uri", "https://app.example.com/callback"],
  ["state", "c2tCUk1lR3lJcEtnT1Y"],
  ["code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"],
  ["code_challenge_method", "S256"],
  ["response_mode", "code"],
  ["tokenIds", "7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M"],
  ["tokenIds", "4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv"],
]).toString();
console.log(url.href);
