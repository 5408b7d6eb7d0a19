import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

const { data, error } = await client.POST("/auth/validate", {
  body: { accessToken: process.env.USER_ACCESS_TOKEN! },
});
if (error) throw new Error(error.msg);
console.log(data.sub, data.exp);
