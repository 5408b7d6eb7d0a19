import { createPicketClient } from "picket-puid/picket";

const client = createPicketClient({
  secretKey: process.env.PICKET_SECRET_KEY!,
});

// A user's access token (from picket.auth or the OAuth login), as your
// front end sends it to your backend.
const accessToken = process.env.USER_ACCESS_TOKEN!;

const { data, error } = await client.POST("/authz", {
  body: {
    accessToken,
    requirements: {
      contractAddress: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
    },
    revalidate: false,
  },
});
if (error) throw new Error(error.msg);
console.log(data.accessToken);
