/**
 * A stateful, in-memory Picket server (reference: `picket-api.md`) as a Web-standard `fetch`
 * handler: it runs unchanged in Node, Bun, Deno, workers and browsers, and `listen()` puts it on
 * a local port where the runtime has sockets.
 *
 * It does what the service does, for real: nonces that expire and are used up, signatures
 * checked per chain (EIP-191 for EVM chains, ed25519 for Solana, Flow account keys), ES256 access
 * tokens, token gating judged against a ledger you set, and the OAuth code flow with PKCE.
 *
 * ```ts
 * import { createPicketEmulator, manualClock } from "picket-puid/emulator";
 * import { Picket } from "picket-puid/picket";
 *
 * const clock = manualClock();
 * const emulator = createPicketEmulator({ now: clock.now });
 * const picket = new Picket(emulator.secretKeys[0]!, { baseURL: "http://127.0.0.1/api/v1", fetch: emulator.fetch });
 * const chains = await picket.chains();
 * ```
 */
import type { JWK } from "jose";
import { Ledger, type BalanceInput, type LedgerInit, type LedgerSnapshot } from "./picket/ledger.js";
import { NonceStore, type NonceRecord } from "./picket/nonces.js";
import { CodeStore } from "./picket/oauth-codes.js";
import { resolveOptions } from "./picket/options.js";
import type { BalanceKind } from "./picket/requirements.js";
import { BASE_PATH, createApp } from "./picket/routes.js";
import { TokenAuthority, type IssuedToken } from "./picket/tokens.js";
import { flowKeyring, type FlowAccounts } from "./picket/verify-flow.js";
import { listen, type Listening, type ListenOptions, type Now } from "./serve.js";

export type { BalanceInput, Holdings, LedgerInit, LedgerSnapshot } from "./picket/ledger.js";
export type { NonceRecord } from "./picket/nonces.js";
export type { BalanceKind } from "./picket/requirements.js";
export type { IssuedToken } from "./picket/tokens.js";
export type { FlowAccountKey, FlowAccounts } from "./picket/verify-flow.js";

/** How to set up a Picket emulator. Every option has a default; the emulator serves one project. */
export interface PicketEmulatorOptions {
  /** The project's secret keys. Default: one generated `sk_` + 32 hex digits (read it from `secretKeys`). */
  secretKeys?: readonly string[] | undefined;
  /** The project's publishable keys (also the OAuth `client_id`). Default: one generated `pk_` + 32 hex digits. */
  publishableKeys?: readonly string[] | undefined;
  /** The project ID, a UUID: every access token's `aud`. Default: a random UUID. */
  projectId?: string | undefined;
  /** The statement every nonce answer carries and every signed message contains. Default `"Sign in to Picket Emulator"`. */
  statement?: string | undefined;
  /**
   * The project's signing-message format. Default `"simple"`: the format every official client
   * can sign in with (picket-python and picket-go send an empty `context`, which a `siwe` project
   * refuses).
   */
  format?: "simple" | "siwe" | undefined;
  /** The OAuth redirect URIs the project allows, compared exactly (a trailing slash matters). Default none. */
  redirectUris?: readonly string[] | undefined;
  /** The clock, in ms since the epoch; every expiry reads it. Tests pass `manualClock().now`. Default `Date.now`. */
  now?: Now | undefined;
  /** How long a nonce lives after it is made, in ms. Default 120 000 (two minutes, as Picket's). */
  nonceTtlMs?: number | undefined;
  /** How long an access token lives, in seconds (`exp - iat`, and `expiresIn` of the OAuth answer). Default 43 200 (12 hours). */
  tokenTtlSeconds?: number | undefined;
  /**
   * What wallets hold, by chain slug and wallet address, in the kinds of `tokenBalances`:
   * `{ ethereum: { "0x52F2…": { contractAddress: { "0xa330…": "3" } } }, solana: { "24R7…": { tokenIds: { "7nwV…": 1 }, collection: {…}, creatorAddress: {…} } } }`.
   * Balances are decimal strings, numbers or bigints; anything not listed is zero.
   */
  ledger?: LedgerInit | undefined;
  /**
   * The Flow accounts that can sign in, by address (`0x` + 16 hex digits), each with its keys
   * (`publicKey` hex x‖y, `signatureAlgorithm`, `hashAlgorithm`, `weight`). A Flow login from an
   * account not listed is refused: the emulator has no Flow network to read keys from.
   */
  flowAccounts?: FlowAccounts | undefined;
}

/** One request the emulator answered, as the `log` view reports it (no headers, so no key). */
export interface LoggedRequest {
  readonly method: string;
  /** The path and query, e.g. `/api/v1/auth/nonce`. */
  readonly path: string;
  readonly status: number;
  /** When it was answered, by the emulator's clock (ms since the epoch). */
  readonly at: number;
}

/** A running Picket emulator: a `fetch` handler, its project's keys, and views of its state. */
export interface PicketEmulator {
  /**
   * Answer one request, as picketapi.com would; the API lives under `/api/v1` of any origin.
   * Called like the global `fetch`: pass it as any client's `fetch`.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Serve on `127.0.0.1` (port 0 = a free one by default); `url` is the origin + `/api/v1`. */
  listen(options?: ListenOptions): Promise<Listening>;
  /** The project's secret keys (generated unless given). */
  readonly secretKeys: readonly string[];
  /** The project's publishable keys (generated unless given). */
  readonly publishableKeys: readonly string[];
  /** The project ID: every token's `aud`. */
  readonly projectId: string;
  /** The statement and message format the nonce answers carry. */
  readonly statement: string;
  readonly format: "simple" | "siwe";
  /**
   * Set what a wallet holds of one token on a chain, e.g.
   * `setBalance("ethereum", wallet, "contractAddress", "0xa330…", "3")`. Later requests see it.
   * @throws {TypeError} for an unknown chain or kind; {RangeError} for a negative or unreadable balance.
   */
  setBalance(chain: string, walletAddress: string, kind: BalanceKind, id: string, balance: BalanceInput): void;
  /** A copy of the ledger, every balance as a decimal string. */
  readonly balances: LedgerSnapshot;
  /** Every nonce handed out, oldest first, with when it expires and whether a login used it (a fresh copy). */
  readonly nonces: readonly NonceRecord[];
  /** Every access token issued, oldest first (a fresh copy). */
  readonly tokens: readonly IssuedToken[];
  /** Every request answered, oldest first (a fresh copy), like the PUID emulator's `log`. */
  readonly log: readonly LoggedRequest[];
  /** The public key (JWK, P-256) that verifies this emulator's access tokens. */
  publicJwk(): Promise<JWK>;
}

/**
 * Create a Picket emulator: one project, in memory, with the given or generated keys.
 * @throws {TypeError | RangeError} for a malformed option, naming it.
 */
export function createPicketEmulator(options: PicketEmulatorOptions = {}): PicketEmulator {
  const settings = resolveOptions(options);
  const { now } = settings;
  const ledger = new Ledger(options.ledger);
  const nonces = new NonceStore(now, settings.nonceTtlMs);
  const tokens = new TokenAuthority(now, settings.projectId, settings.tokenTtlSeconds);
  const app = createApp({
    keys: settings,
    projectId: settings.projectId,
    statement: settings.statement,
    format: settings.format,
    redirectUris: settings.redirectUris,
    now,
    tokenTtlSeconds: settings.tokenTtlSeconds,
    nonces,
    ledger,
    tokens,
    flow: flowKeyring(options.flowAccounts),
    codes: new CodeStore(now),
  });
  const log: LoggedRequest[] = [];
  const emulator: PicketEmulator = {
    async fetch(input, init) {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const response = await app.fetch(request);
      const url = new URL(request.url);
      log.push({ method: request.method, path: url.pathname + url.search, status: response.status, at: now() });
      return response;
    },
    listen: (listenOptions) => listen((request) => emulator.fetch(request), BASE_PATH, listenOptions),
    secretKeys: settings.secretKeys,
    publishableKeys: settings.publishableKeys,
    projectId: settings.projectId,
    statement: settings.statement,
    format: settings.format,
    setBalance: (chain, walletAddress, kind, id, balance) => ledger.set(chain, walletAddress, kind, id, balance),
    get balances() {
      return ledger.snapshot();
    },
    get nonces() {
      return nonces.list();
    },
    get tokens() {
      return tokens.list();
    },
    get log() {
      return log.map((entry) => ({ ...entry }));
    },
    publicJwk: () => tokens.publicJwk(),
  };
  return emulator;
}
