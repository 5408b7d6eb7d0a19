import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // the description itself needs no credential

// The server's own (older, smaller) description of itself;
// the official SDKs' tests use it as a liveness probe.
const { data, error } = await client.GET("/openapi.json");
if (error) throw new Error("the server did not answer");
console.log(data.openapi, Object.keys(data.paths));
