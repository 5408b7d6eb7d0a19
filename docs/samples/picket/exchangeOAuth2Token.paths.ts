// compile-only: browser code, run when the user comes back from Picket's login page.
import { createPicketClient } from "picket-puid/picket";

// `secretKey` is the key the client sends, whichever kind: here the publishable key, which is
// nothing secret, so this can run in the page.
const client = createPicketClient({ secretKey: "pk_123_456_your_key" });

// Back at redirectUri?code=…, with the PKCE verifier kept when the login started.
const { data, error } = await client.POST("/oauth2/token", {
  body: {
    grant_type: "authorization_code",
    code: new URLSearchParams(location.search).get("code") ?? "",
    code_verifier: sessionStorage.getItem("codeVerifier") ?? "",
    redirect_uri: "https://app.example.com/callback",
  },
});
if (error) throw new Error(error.msg);
console.log(data.accessToken, data.tokenType, data.expiresIn);
