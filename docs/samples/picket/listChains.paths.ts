import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

const { data, error } = await client.GET("/chains");
if (error) throw new Error(error.msg);
console.log(data.data.map((chain) => chain.chainSlug));
