import { Puid } from "picket-puid/puid";

const puid = new Puid({ apiKey: process.env.PUID_API_KEY! });

const { plan, used, limit, remaining } = await puid.quota(); // limit and remaining are null when unlimited
console.log(`${plan}: ${used} used, ${remaining ?? "unlimited"} of ${limit ?? "unlimited"} left today`);
