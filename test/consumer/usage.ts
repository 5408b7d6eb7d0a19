// Compiled by scripts/check-package.mjs against the packed package, as a user's project would:
// with TypeScript 5.0 (the oldest we claim) and the newest 5.x, under node16 (ESM and CJS) and
// bundler resolution. It only has to type-check; it is never run.
import { Picket, PicketError, createPicketClient, createSigningMessage, type ChainInfo } from "picket-puid/picket";
import { Puid, PuidError, createPuidClient, type PuidQuota } from "picket-puid/puid";
import { PicketPuidError, VERSION } from "picket-puid";

export async function usage(): Promise<void> {
  const puid = new Puid({ apiKey: "puid_live_x", timeout: 5_000, maxRetries: 1 });
  const ids: string[] = await puid.ids(3);
  const ordinal: bigint = await puid.ordinal(ids[0] ?? "");
  const quota: PuidQuota = await puid.quota();
  const low = createPuidClient({ apiKey: "puid_live_x" });
  const { data } = await low.GET("/v1/ids", { params: { query: { n: 2 } } });
  const picket = new Picket("sk_x");
  const chains: ChainInfo[] = await picket.chains();
  const message: string = createSigningMessage({ format: "simple", statement: "s", walletAddress: "w", nonce: "n" });
  const raw = createPicketClient({ secretKey: "sk_x" });
  await raw.GET("/chains");
  try {
    await picket.validate("token");
  } catch (error) {
    if (error instanceof PicketError || error instanceof PuidError || error instanceof PicketPuidError) console.log(error.status, error.code);
  }
  console.log(ordinal, quota.remaining, data?.ids, chains.length, message, VERSION);
}
