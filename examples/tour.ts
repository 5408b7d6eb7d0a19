/**
 * A tour of both clients, run by `npm start` against the package's own emulators
 * (`picket-puid/emulator`), started in this process on free ports of 127.0.0.1. The emulators
 * behave like the services: a login needs a real signature, ids are real and count up, the rate
 * limit and the quota are enforced. So every value printed is a real answer.
 *
 * Against the real services, leave `endpoint` / `baseURL` out and pass your own credentials.
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createPicketEmulator, createPuidEmulator, type Listening, type PicketEmulator, type PuidEmulator } from "../src/emulator/index.js"; // picket-puid/emulator
import { Picket, PicketError, createSigningMessage } from "../src/picket/index.js"; // picket-puid/picket
import { Puid, PuidError, decodePuid } from "../src/puid/index.js"; // picket-puid/puid

/** The two emulators, each listening on its own port. */
export interface TourEmulators {
  puid: PuidEmulator;
  puidServer: Listening;
  picket: PicketEmulator;
  picketServer: Listening;
  /** Stop both servers. */
  close(): Promise<void>;
}

/** Two token contracts on Ethereum: the wallet will hold the first, not the second. */
const UNI = "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984";
const USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

/**
 * Start both emulators. PUID: one team account on the free plan (1000 ids a day, one `/v1/ids`
 * request a second) with a generated API key. Picket: one project with generated keys, whose
 * logins sign a SIWE (EIP-4361) message with the project's statement.
 */
export async function startEmulators(): Promise<TourEmulators> {
  const puid = createPuidEmulator();
  const picket = createPicketEmulator({ format: "siwe", statement: "Sign in to the picket-puid tour" });
  const [puidServer, picketServer] = await Promise.all([puid.listen(), picket.listen()]);
  return { puid, puidServer, picket, picketServer, close: async () => void (await Promise.all([puidServer.close(), picketServer.close()])) };
}

export async function tour(emulators: TourEmulators): Promise<void> {
  const { puidServer, picketServer } = emulators;
  const apiKey = emulators.puid.apiKeys[0]!;
  const secretKey = emulators.picket.secretKeys[0]!;

  console.log("\npicket-puid tour: the Puid and Picket clients against the package's emulators (picket-puid/emulator),");
  console.log("running in this process. Real signatures, real ids, a real rate limit: every value below is a real answer.");

  heading("The emulators, on this machine until the tour ends");
  console.log(`  PUID     ${puidServer.url}\n           API key          ${apiKey}`);
  console.log(`  Picket   ${picketServer.url}\n           secret key       ${secretKey}\n           publishable key  ${emulators.picket.publishableKeys[0]}`);
  note("Call them from another shell while the tour runs, e.g.:");
  console.log(`    curl -H 'X-API-Key: ${apiKey}' ${puidServer.url}/v1/quota`);
  console.log(`    curl -u '${secretKey}:' ${picketServer.url}/chains/ethereum`);
  note("For emulators that stay up until Ctrl-C: picket-puid emulate (in this clone: node --import tsx src/cli/main.ts emulate).");

  // ── Picket ──────────────────────────────────────────────────────────────────────────────────
  const picket = new Picket(secretKey, { baseURL: picketServer.url });

  heading("1. Sign in with a new Ethereum wallet (Picket)");
  note("A private key made at random signs the login message (EIP-191 personal_sign); the server checks the signature.");
  const account = privateKeyToAccount(generatePrivateKey());
  const walletAddress = account.address;
  line("wallet address (viem, random key)", walletAddress);
  const { chainId, chainType } = await picket.chainInfo("ethereum");
  line('picket.chainInfo("ethereum")', { chainId, chainType });
  const { nonce, statement, format } = await picket.nonce({ walletAddress });
  line("picket.nonce({ walletAddress })", { nonce, statement, format });
  // What a SIWE message says besides the nonce: the site asking, and when.
  const context = { domain: "app.example.com", uri: "https://app.example.com", chainId: chainId!, issuedAt: new Date().toISOString(), chainType };
  const message = createSigningMessage({ format, statement, walletAddress, nonce, ...context });
  console.log(`  createSigningMessage({ format, statement, walletAddress, nonce, ...context })\n${message.replace(/^/gm, "    │ ")}`);
  const signature = await account.signMessage({ message });
  line("account.signMessage({ message })", signature);
  const { accessToken, user } = await picket.auth({ walletAddress, signature, context });
  line("picket.auth({ walletAddress, signature, context })", { accessToken: `${accessToken.slice(0, 20)}…`, user });
  const claims = await picket.validate(accessToken);
  line("picket.validate(accessToken)", { sub: claims.sub, aud: claims.aud, exp: new Date(claims.exp * 1000).toISOString() });

  heading("2. Token gating (Picket): the emulator's ledger stands in for the chain");
  emulators.picket.setBalance("ethereum", walletAddress, "contractAddress", UNI, "25");
  line("the ledger gives the wallet 25 UNI", `emulator.setBalance("ethereum", walletAddress, "contractAddress", UNI, "25")`);
  const gated = await picket.authz({ accessToken, requirements: { contractAddress: UNI } });
  line("picket.authz({ accessToken, requirements: { contractAddress: UNI } })", { allowed: true, tokenBalances: gated.user.tokenBalances });
  await handled("picket.authz({ accessToken, requirements: { contractAddress: USDC } })", () =>
    picket.authz({ accessToken, requirements: { contractAddress: USDC } }),
  );
  await handled("picket.auth() with a signature by another key", async () => {
    const fresh = await picket.nonce({ walletAddress });
    const forged = await privateKeyToAccount(generatePrivateKey()).signMessage({ message: createSigningMessage({ ...fresh, walletAddress, ...context }) });
    return picket.auth({ walletAddress, signature: forged, context });
  });

  // ── PUID ────────────────────────────────────────────────────────────────────────────────────
  const puid = new Puid({ apiKey, endpoint: puidServer.url });

  heading("3. PUID ids decode offline to the ordinals the server reports");
  const before = await puid.quota();
  line("puid.quota()", before);
  const ids = await puid.ids(3);
  line("puid.ids(3)", ids);
  console.log(`    ${"id".padEnd(24)}${"decodePuid(id), offline".padEnd(26)}puid.ordinal(id), from the server`);
  for (const id of ids) console.log(`    ${id.padEnd(24)}${show(decodePuid(id)).padEnd(26)}${show(await puid.ordinal(id))}`);

  heading("4. 25 ids, paced to PUID's limit of one /v1/ids request a second per account (about 3 s)");
  note("generate(25) asks for 10, 10, then 5 ids, each request waiting its turn (ids(3) just had one), so none gets a 429.");
  const started = Date.now();
  const generated: string[] = [];
  for await (const id of puid.generate(25)) generated.push(id);
  line("for await (const id of puid.generate(25))", `${generated.length} ids, ${new Set(generated).size} distinct, in ${seconds(Date.now() - started)}`);
  note("The requests, as the emulator logged them (emulator.log):");
  const idsRequests = emulators.puid.log.filter((request) => request.path.startsWith("/api/v1/ids"));
  idsRequests.forEach((request, i) => {
    if (request.at < started) return;
    const gap = request.at - idsRequests[i - 1]!.at;
    console.log(`    ${request.method} ${request.path.padEnd(18)} → ${request.status}   ${seconds(gap)} after the previous /v1/ids request`);
  });
  note(`The ids, ordinals ${show(decodePuid(generated[0]!))} to ${show(decodePuid(generated.at(-1)!))} (decodePuid):`);
  for (let i = 0; i < generated.length; i += 3)
    console.log(
      `    ${generated
        .slice(i, i + 3)
        .map((id) => id.padEnd(24))
        .join("")
        .trimEnd()}`,
    );

  heading("5. A 429, handled: a second client on the same account, with pacing off, comes too soon");
  const eager = new Puid({ apiKey, endpoint: puidServer.url, requestsPerSecond: false, logLevel: "info" });
  await handled("eager.ids(1, { maxRetries: 0 })", () => eager.ids(1, { maxRetries: 0 }));
  note('eager.ids(1): the client waits as long as the server says and tries again by itself (logLevel "info" shows it):');
  const retriedAt = Date.now();
  const late = await eager.ids(1);
  line("eager.ids(1)", `${JSON.stringify(late)} after ${seconds(Date.now() - retriedAt)}`);
  const after = await puid.quota();
  line("puid.quota()", after);
  note(`used went from ${before.used} to ${after.used}: ${ids.length} + ${generated.length} + ${late.length} ids; a request refused with 429 spends nothing.`);
  console.log();
}

/** A section title. */
const heading = (title: string) => console.log(`\n${title}`);

/** A line of explanation. */
const note = (text: string) => console.log(`  ${text}`);

/** A call or a name, and what it gave; a long label puts the value on the next line. */
function line(label: string, value: unknown): void {
  const width = 42;
  const shown = show(value);
  if (label.length < width) console.log(`  ${label.padEnd(width)}${shown}`);
  else console.log(`  ${label}\n  ${"".padEnd(width)}${shown}`);
}

/** A value as printed: strings as they are, bigints with their `n`, the rest as JSON. */
const show = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "bigint"
      ? `${value}n`
      : JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Run a call that is expected to fail and show how its error reads. */
async function handled(label: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    line(label, "unexpectedly succeeded");
  } catch (error) {
    if (!(error instanceof PuidError || error instanceof PicketError)) throw error;
    const wait = error.retryAfterMs === null ? "" : ` retryAfterMs=${error.retryAfterMs}`;
    line(label, `${error.name} status=${error.status} code=${error.code}${wait}: ${error.message}`);
  }
}
