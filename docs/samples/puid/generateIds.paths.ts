import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
});

const { data, error } = await client.GET("/v1/ids", {
  params: { query: { n: 3 } },
});
if (error) throw new Error(`${error.error}: ${error.message}`);
console.log(data.ids, data.quota.used, data.quota.limit);
