import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // registration itself needs no credential

const { data, error } = await client.POST("/oauth/register", {
  body: {
    client_name: "My App",
    redirect_uris: ["https://app.example/cb"],
  },
});
if (error) throw new Error("error" in error ? error.error : error.message);
console.log(data.client_id, data.grant_types);
