import { createSigningMessage, Picket } from "picket-puid/picket";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

const picket = new Picket(process.env.PICKET_SECRET_KEY);
// The user's wallet signs in their browser; a throwaway key stands in for it here.
const wallet = privateKeyToAccount(generatePrivateKey());
const walletAddress = wallet.address;

const { nonce, statement, format } = await picket.nonce({ walletAddress });
const context = {
  domain: "app.example.com",
  uri: "https://app.example.com",
  chainId: 1,
  issuedAt: new Date().toISOString(),
};
const message = createSigningMessage({
  format,
  statement,
  walletAddress,
  nonce,
  ...context,
});
const signature = await wallet.signMessage({ message });

const { accessToken, user } = await picket.auth({
  walletAddress,
  signature,
  context, // what a siwe message was built with
});
console.log(accessToken, user.displayAddress, user.tokenBalances);
