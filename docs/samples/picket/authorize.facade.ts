import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY!);

const { accessToken, user } = await picket.authz({
  accessToken: process.env.USER_ACCESS_TOKEN!,
  requirements: {
    contractAddress:
      "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
  },
  revalidate: true, // check balances on chain now instead of using cached ones
});
console.log(accessToken, user.tokenBalances);
