import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: "pk_123_456_your_key",
});

const { data, error } = await client.POST("/oauth2/token", {
  body: {
    grant_type: "authorization_code",
    code: "code_from_redirect",
    code_verifier: "…the verifier…",
    redirect_uri: "https://app.example.com/callback",
  },
});
if (error) throw new Error(error.msg);
console.log(data.accessToken, data.tokenType, data.expiresIn);
