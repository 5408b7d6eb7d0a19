import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

const chains = await picket.chains(); // ChainInfo[]: the API's `data` wrapper is removed
console.log(chains.map((chain) => `${chain.chainName} (${chain.chainSlug})`));
