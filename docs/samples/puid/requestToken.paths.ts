import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // the token endpoint itself needs no credential

const { data, error } = await client.POST("/oauth/token", {
  body: {
    grant_type: "client_credentials",
    client_id: process.env.PUID_CLIENT_ID!,
    client_secret: process.env.PUID_CLIENT_SECRET!,
    scope: "puid:generate",
  },
  headers: {
    "Content-Type": "application/x-www-form-urlencoded",
  },
});
if (error) throw new Error(error.error);
console.log(data.access_token, data.expires_in);
