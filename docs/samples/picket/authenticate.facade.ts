import {
  createSigningMessage,
  Picket,
} from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY!);
const walletAddress =
  "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
declare function signWithWallet(
  message: string,
): Promise<string>; // your wallet library

const {
  nonce,
  statement,
  format = "siwe",
} = await picket.nonce({ walletAddress });
const context = {
  domain: "app.example.com",
  uri: "https://app.example.com",
  chainId: 1,
  issuedAt: new Date().toISOString(),
  chainType: "ethereum" as const,
};
const signature = await signWithWallet(
  createSigningMessage({
    format,
    statement,
    walletAddress,
    nonce,
    ...context,
  }),
);

const { accessToken, user } = await picket.auth({
  walletAddress,
  signature,
  context,
  requirements: {
    contractAddress:
      "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
    minTokenBalance: 1,
  },
});
console.log(
  accessToken,
  user.displayAddress,
  user.tokenBalances,
);
