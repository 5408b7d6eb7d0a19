import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

// A user's access token (from picket.auth or the OAuth login), as your
// front end sends it to your backend.
const accessToken = process.env.USER_ACCESS_TOKEN!;

// A new token that carries the balances, if the wallet holds the token
// (else a PicketError with code permission_denied).
const { accessToken: gated, user } = await picket.authz({
  accessToken,
  requirements: {
    contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
  },
  revalidate: true, // check balances on chain now instead of using cached ones
});
console.log(gated, user.tokenBalances);
