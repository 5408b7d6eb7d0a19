import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

const { data, error } = await client.POST("/chains/{chain}/wallets/{walletAddress}/tokenOwnership", {
  params: {
    path: {
      chain: "solana",
      walletAddress: "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU",
    },
  },
  body: {
    tokenIds: ["EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"],
  },
});
if (error) throw new Error(error.msg);
console.log(data.allowed);
