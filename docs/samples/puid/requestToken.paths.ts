import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // the token endpoint itself needs no credential

// Send JSON: in production a form body from a server is refused
// with 403 by the site's CSRF gate.
const { data, error } = await client.POST("/oauth/token", {
  body: {
    grant_type: "client_credentials",
    client_id: process.env.PUID_CLIENT_ID!,
    client_secret: process.env.PUID_CLIENT_SECRET!,
    scope: "puid:generate",
  },
});
if (error) {
  // An OAuth error ({ error }) or the framework's ({ message }).
  throw new Error("error" in error ? error.error : error.message);
}
console.log(data.access_token, data.expires_in);
