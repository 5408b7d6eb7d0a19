import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
}); // the description itself needs no credential

// YAML text: accept it, and ask openapi-fetch for the body as text.
const { data } = await client.GET("/openapi.yaml", {
  headers: { Accept: "application/yaml" },
  parseAs: "text",
});
console.log(data?.split("\n")[0]); // "openapi: 3.1.0"
