import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY!);

const claims = await picket.validate(
  process.env.USER_ACCESS_TOKEN!,
);
console.log(claims.walletAddress, new Date(claims.exp * 1000)); // tokens live 12 hours
