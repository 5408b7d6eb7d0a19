import { Picket } from "picket-puid/picket";

// A hosted wallet login, gated on holding a token: the URL to
// send the browser to, and what to keep for the way back.
const { url, codeVerifier, state } = await Picket.authorizationUrl({
  clientId: "pk_123_456_your_key", // the publishable key
  redirectUri: "https://app.example.com/callback",
  requirements: {
    contractAddress: "0xa3305F188cb610900F9E347FaE886dC6507795ec",
    minTokenBalance: 1,
  },
});
// Redirect the browser to `url`; keep codeVerifier and state
// (e.g. in the session) to finish with exchangeAuthorizationCode.
console.log(url, codeVerifier.length, state);
