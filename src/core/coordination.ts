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
   * Claim the next slot: atomically the later of now and the previous slot plus `intervalMs`. A
   * claimed slot is spent whether or not the request is then sent, so giving up on it frees
   * nothing.
   *
   * `maxWaitMs` is how long the caller can still wait (what is left of its timeout). A slot that
   * would start later than that is not claimed: the claim resolves with `refused: true` and the
   * slot's distance as `wait`, and nothing is stored, so callers that cannot wait never push the
   * slots of those that can further away. Left out (or not finite): any wait.
   */
  claim(intervalMs: number, maxWaitMs?: number): Promise<SharedSlot>;
}

/** A claimed slot, or a refused one. */
export interface SharedSlot {
  /**
   * How long from the claim's answer until the slot starts, in ms (0: at once); a finite number
   * >= 0, or the caller paces itself alone.
   */
  readonly wait: number;
  /**
   * `true` when the slot would start more than `maxWaitMs` from now: nothing was claimed, and
   * `wait` says how long the shared queue is. The caller fails at once, as it would at the end of
   * its timeout, without sending.
   */
  readonly refused?: boolean | undefined;
  /**
   * Asked shortly before the slot: how much longer, in ms from now, to wait so that the request
   * starts at least `gapMs` after the answer to the previous slot's request began to arrive.
   * Slots alone assume each request goes out on time; this catches one that went out late (a
   * busy process, a cold start), which this one would otherwise follow too closely at the
   * server. If that answer has not been reported yet, waits for the report, but for at most
   * `maxMs`. Optional: without it, the slot alone decides.
   */
  settle?(gapMs: number, maxMs: number): Promise<number>;
  /**
   * Report that the answer to this slot's request began to arrive now, or that the request ended
   * without one: it reached the server no later than now, if at all. `unsent: true` reports that
   * it was never sent (its caller gave up before the slot): the next slot need not wait for it.
   * Does not wait; never throws.
   */
  answered?(unsent?: boolean): void;
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
