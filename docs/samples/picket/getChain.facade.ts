import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

const ethereum = await picket.chainInfo("ethereum");
console.log(ethereum.chainId, ethereum.publicRPC, ethereum.authorizationSupported);
