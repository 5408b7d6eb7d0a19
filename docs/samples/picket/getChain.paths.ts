import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

const { data, error } = await client.GET("/chains/{chain}", {
  params: { path: { chain: "polygon" } },
});
if (error) throw new Error(error.msg);
console.log(data.chainId, data.chainType);
