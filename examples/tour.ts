/**
 * A tour of both facades: every method of `Puid` and `Picket`, and one handled error of each
 * kind (bad input, a refusal from the API, an unreachable server).
 *
 * `npm start` runs it against local Prism mocks of both APIs. Against the real services, pass
 * real credentials and leave the endpoints out.
 */
import { Picket, PicketError, createSigningMessage } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";

export interface TourEndpoints {
  puid: string;
  picket: string;
  /** An address where nothing listens, to show a network failure. */
  unreachable: string;
}

const line = (label: string, value: unknown) => {
  const shown = typeof value === "string" ? value : typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  console.log(`  ${label.padEnd(38)} ${shown}`);
};

/** Mocks serve documented errors on request; against a real server this header does nothing. */
const askMockFor = (status: number) => ({ headers: { Prefer: `code=${status}` } });

export async function tour({ puid: endpoint, picket: baseURL, unreachable }: TourEndpoints): Promise<void> {
  console.log(`\nPUID — ${endpoint}`);
  const puid = new Puid({ apiKey: "puid_live_4kT9sQ2mZx7LbR1nVw8cYp3J", endpoint });
  const ids = await puid.ids(3);
  line("puid.ids(3)", ids);
  line("puid.id()", await puid.id());
  line(`puid.ordinal("${ids[0]}")`, await puid.ordinal(ids[0]!));
  line("puid.quota()", await puid.quota());
  const viaOAuth = await Puid.fromClientCredentials({ clientId: "client_Q3b8ZkW1nR5tYp2L", clientSecret: "secret_Vt6nB1xK9qLm3Zr7Ps2Wd8Hy4Jc0Fe5G", endpoint });
  line("Puid.fromClientCredentials(...)", `a client with a bearer token; quota plan "${(await viaOAuth.quota()).plan}"`);

  console.log("\n  Errors, handled:");
  await handled("puid.ids(11)", () => puid.ids(11));
  await handled("puid.ids(1) → 429 from the API", () => puid.ids(1, { ...askMockFor(429), maxRetries: 0 }));
  await handled("puid.quota() → nobody listening", () => new Puid({ apiKey: "puid_live_x", endpoint: unreachable, maxRetries: 0 }).quota());

  console.log(`\nPicket — ${baseURL}`);
  const picket = new Picket("sk_test_8f3a1c9e2b7d4f60a5e1", { baseURL });
  const walletAddress = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
  const uniswap = "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984";
  const { nonce, statement, format = "siwe" } = await picket.nonce({ walletAddress, locale: "en-US" });
  line("picket.nonce({ walletAddress })", { nonce, statement, format });
  const context = { domain: "app.example.com", uri: "https://app.example.com", chainId: 1, issuedAt: new Date().toISOString(), chainType: "ethereum" as const };
  const message = createSigningMessage({ format, statement, walletAddress, nonce, ...context });
  console.log(`  createSigningMessage(...)\n${message.replace(/^/gm, "    │ ")}`);
  const signature = `0x${"5c".repeat(65)}`; // a wallet would sign `message`
  const { accessToken, user } = await picket.auth({ walletAddress, signature, context });
  line("picket.auth(...)", { accessToken: `${accessToken.slice(0, 24)}…`, user });
  line("picket.authz(...)", (await picket.authz({ accessToken, requirements: { contractAddress: uniswap } })).user.tokenBalances);
  const claims = await picket.validate(accessToken);
  line("picket.validate(accessToken)", { sub: claims.sub, exp: new Date(claims.exp * 1000).toISOString() });
  line("picket.tokenOwnership(flat)", await picket.tokenOwnership({ chain: "ethereum", walletAddress, contractAddress: uniswap, minTokenBalance: 1 }));
  line("picket.tokenOwnership(requirements)", await picket.tokenOwnership({ chain: "ethereum", walletAddress, requirements: { contractAddress: uniswap } }));
  line("picket.chains()", (await picket.chains()).map((c) => c.chainSlug));
  line('picket.chainInfo("ethereum")', await picket.chainInfo("ethereum"));

  console.log("\n  Errors, handled:");
  await handled("picket.auth() without a signature", () => picket.auth({ walletAddress } as never));
  await handled("picket.validate() → 401 from the API", () => picket.validate(accessToken, undefined, askMockFor(401)));
  await handled("picket.chains() → nobody listening", () => new Picket("sk_test_x", { baseURL: unreachable, maxRetries: 0 }).chains());
  console.log();
}

/** Run a call that is expected to fail and show how the error reads. */
async function handled(label: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    line(label, "unexpectedly succeeded");
  } catch (error) {
    if (!(error instanceof PuidError || error instanceof PicketError)) throw error;
    line(label, `${error.name} status=${error.status} code=${error.code}: ${error.message}`);
  }
}
