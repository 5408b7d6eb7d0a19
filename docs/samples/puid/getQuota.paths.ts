import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  accessToken: process.env.PUID_ACCESS_TOKEN!,
});

const { data, error } = await client.GET("/v1/quota");
if (error) throw new Error(error.error);
console.log(data.plan, data.used, data.limit, data.remaining);
