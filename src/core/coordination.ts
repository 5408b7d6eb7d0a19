/**
 * Coordination: what several clients (or several processes, through a shared store) agree on
 * when they use one account — the pace of its rate-limited requests and its OAuth token.
 *
 * Without one, a client paces itself and keeps its own token, which is right for one process.
 * With one (e.g. `picket-puid/redis`), every client that shares it also shares the pace of each
 * account's `/v1/ids` requests and the token of each OAuth client.
 *
 * An implementation answers within its own short time limit or rejects; a client that gets a
 * rejection falls back to pacing locally and keeping a token of its own, logs one warning, and
 * tries the shared store again later. So a slow or down store never hangs a call.
 */
import type { Token } from "./token-source.js";

/** Shared state for any number of clients using the same accounts. */
export interface Coordination {
  /** The pace shared by every client that uses `key` (one account's `/v1/ids` requests). */
  pace(key: string): SharedPace;
  /**
   * The access token shared by every client that uses `key` (one OAuth client id). `secret` is
   * known only to the token's holders (the client secret): a store keeps tokens sealed with it,
   * so nothing that reads the store without it sees a token in plain text.
   */
  tokens(key: string, secret: string): SharedTokens;
}

/** Start slots of one account's rate-limited requests, shared by every client that uses it. */
export interface SharedPace {
  /**
   * Claim the next slot: atomically the later of now and the previous slot plus `intervalMs`.
   * Resolves with how long from now the slot starts, in ms (0: at once). A claimed slot is
   * spent whether or not the request is then sent, so giving up on it frees nothing.
   */
  claim(intervalMs: number): Promise<number>;
}

/** One OAuth client's current token, shared by every client that uses it. */
export interface SharedTokens {
  /** The stored token, or `null` when there is none. */
  read(): Promise<Token | null>;
  /**
   * Replace `stale` (the token the caller has, or `null`) with a new one. If the store already
   * holds another token than `stale`, that one is returned: someone renewed it meanwhile.
   * Otherwise exactly one caller across all processes runs `mint`, under a lock with a lease
   * (a holder that dies stops blocking the others when the lease ends), and stores its result;
   * the others wait for that result.
   */
  renew(stale: Token | null, mint: () => Promise<Token>): Promise<Token>;
}
