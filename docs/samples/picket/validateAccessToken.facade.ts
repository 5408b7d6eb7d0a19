import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

// A user's access token (from picket.auth or the OAuth login), as your
// front end sends it to your backend.
const accessToken = process.env.USER_ACCESS_TOKEN!;

const claims = await picket.validate(accessToken);
console.log(claims.walletAddress, new Date(claims.exp * 1000)); // tokens live 12 hours
