import { createPicketClient, createSigningMessage } from "picket-puid/picket";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});
// The user's wallet signs in their browser; a throwaway key stands in for it here.
const wallet = privateKeyToAccount(generatePrivateKey());

const nonce = await client.POST("/auth/nonce", {
  body: { chain: "ethereum", walletAddress: wallet.address },
});
if (nonce.error) throw new Error(nonce.error.msg);
const message = createSigningMessage({
  format: nonce.data.format, // simple here; a siwe project also needs the context
  statement: nonce.data.statement,
  walletAddress: wallet.address,
  nonce: nonce.data.nonce,
});

const { data, error } = await client.POST("/auth", {
  body: {
    chain: "ethereum",
    walletAddress: wallet.address,
    signature: await wallet.signMessage({ message }),
  },
});
if (error) throw new Error(`${error.code}: ${error.msg}`);
console.log(data.accessToken, data.user.walletAddress);
