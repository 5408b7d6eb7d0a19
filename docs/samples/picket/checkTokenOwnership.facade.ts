import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

// The requirement fields go flat (or as `requirements: {...}`); either way they are sent flat.
const { allowed, tokenBalances } = await picket.tokenOwnership({
  chain: "ethereum",
  walletAddress: "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B",
  contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
  minTokenBalance: 1,
});
console.log(allowed, tokenBalances);
