// compile-only: browser code, run when the user comes back from Picket's login page.
import { Picket } from "picket-puid/picket";

// The publishable key: nothing secret, so this can run in the page.
const picket = new Picket("pk_123_456_your_key");

// Back at redirectUri?code=…&state=…, after Picket.authorizationUrl sent the browser
// to the login page and kept codeVerifier and state (here, in sessionStorage).
const query = new URLSearchParams(location.search);
if (query.get("state") !== sessionStorage.getItem("state")) {
  throw new Error("state mismatch");
}
const { accessToken, expiresIn, user } = await picket.exchangeAuthorizationCode({
  code: query.get("code") ?? "",
  codeVerifier: sessionStorage.getItem("codeVerifier") ?? "",
  redirectUri: "https://app.example.com/callback",
});
console.log(accessToken, expiresIn, user?.walletAddress);
