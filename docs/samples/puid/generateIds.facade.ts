import { Puid } from "picket-puid/puid";

const puid = new Puid({ apiKey: process.env.PUID_API_KEY! });

const ids = await puid.ids(3); // string[], 1–10 per request
const id = await puid.id();

// More than 10: paced batches of 10, yielded as they arrive.
for await (const next of puid.generate(25)) console.log(next);
console.log(ids, id);
