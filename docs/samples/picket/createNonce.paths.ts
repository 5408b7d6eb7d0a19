import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

const { data, error } = await client.POST("/auth/nonce", {
  body: {
    chain: "ethereum",
    walletAddress: "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B",
    locale: "en-US",
  },
});
if (error) throw new Error(error.msg);
console.log(data.nonce, data.statement, data.format);
