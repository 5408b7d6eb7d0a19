import { Picket } from "picket-puid/picket";

const publishableKey = "pk_123_456_your_key";
const redirectUri = "https://app.example.com/callback";

// 1. Send the browser to the authorize page, keeping the verifier and state.
const { url, codeVerifier, state } =
  await Picket.authorizationUrl({
    clientId: publishableKey,
    redirectUri,
  });
console.log(url, state);

// 2. Back at redirectUri?code=...&state=...: check state, then exchange the code.
const picket = new Picket(publishableKey);
const { accessToken, expiresIn, user } =
  await picket.exchangeAuthorizationCode({
    code: "code_from_redirect",
    codeVerifier,
    redirectUri,
  });
console.log(accessToken, expiresIn, user?.walletAddress);
