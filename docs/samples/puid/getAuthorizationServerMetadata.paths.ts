import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // discovery itself needs no credential

const { data, error } = await client.GET("/.well-known/oauth-authorization-server");
if (error) throw new Error("discovery failed");
console.log(data.authorization_endpoint, data.code_challenge_methods_supported);
