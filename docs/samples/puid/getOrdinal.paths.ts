import { createPuidClient } from "picket-puid/puid";

const client = createPuidClient({
  apiKey: process.env.PUID_API_KEY!,
});

const { data, error } = await client.GET("/v1/ordinal/{puid}", {
  params: { path: { puid: "64qAN39GjJh5kbi4HROOxh" } },
});
if (error) throw new Error("error" in error ? error.error : error.message);
console.log(BigInt(data.ordinal)); // the ordinal arrives as a decimal string
