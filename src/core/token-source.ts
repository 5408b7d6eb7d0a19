import { abortable } from "./abort.js";
import type { SharedTokens } from "./coordination.js";
import { CoreCode, PicketPuidError } from "./errors.js";

/** An OAuth access token with what is needed to renew it. */
export interface Token {
  accessToken: string;
  /** When it stops working (ms since the epoch), or `null` when the server did not say. */
  expiresAt: number | null;
  /** The refresh token to renew it with, when the grant gave one. */
  refreshToken?: string | null | undefined;
}

/** Gets a new token; `current` is the token being replaced (its refresh token, if any), or `null` at first. */
export type TokenFetcher = (current: Token | null) => Promise<Token>;

/** Options of a token source. */
export interface TokenSourceOptions {
  /**
   * How long before expiry a token is renewed, so no request leaves with a token that dies on
   * the way. Default: 60 s, or a tenth of the token's lifetime when that is shorter.
   */
  refreshAheadMs?: number | undefined;
  /** The clock, for tests. */
  now?: (() => number) | undefined;
  /**
   * The account its tokens act for, when known (`client:<clientId>` for client credentials):
   * clients that share a `Coordination` pace their `/v1/ids` requests per account.
   */
  account?: string | undefined;
  /**
   * The token shared with other processes (a `Coordination`'s `tokens(...)`): a token one of them
   * got is used by all, and a renewal is done by one of them for all. When the shared store fails,
   * gives something that is not a token, or hands none over within half of the caller's timeout,
   * this source gets its own token, and tries the store again next time.
   */
  shared?: SharedTokens | undefined;
}

/** How a caller bounds its wait for a token: the call's signal and timeout (ms). */
export interface TokenWait {
  signal?: AbortSignal | undefined;
  /**
   * The call's timeout. The shared store gets half of it to hand over a token (read, or another
   * process's renewal); after that the source gets a token of its own. Default 60 000.
   */
  timeout?: number | undefined;
}

/** Whether `value` is a token that can be used: an access token that fits a header, and an expiry that is a time or `null`. */
export function isToken(value: unknown): value is Token {
  if (typeof value !== "object" || value === null) return false;
  const { accessToken, expiresAt } = value as Partial<Token>;
  return (
    typeof accessToken === "string" &&
    /^[\x21-\x7e]+$/.test(accessToken) &&
    (expiresAt === null || (typeof expiresAt === "number" && Number.isFinite(expiresAt)))
  );
}

/**
 * A cached access token that renews itself: ahead of its expiry, once for all concurrent callers
 * (they all wait on the same exchange), and on demand after the server refused it (401). With a
 * shared store, once for all processes too.
 */
export class TokenSource {
  #fetch: TokenFetcher;
  #now: () => number;
  #ahead: number | undefined;
  #shared: SharedTokens | undefined;
  #token: Token | null;
  #issuedAt = 0;
  #pending: Promise<Token> | null = null;
  /** The account its tokens act for, when known (see `TokenSourceOptions.account`). */
  readonly account: string | undefined;

  constructor(fetch: TokenFetcher, initial: Token | null = null, options: TokenSourceOptions = {}) {
    this.#fetch = fetch;
    this.#now = options.now ?? Date.now;
    this.#ahead = options.refreshAheadMs;
    this.#shared = options.shared;
    this.account = options.account;
    this.#token = initial;
    this.#issuedAt = this.#now();
  }

  /**
   * A token that is good for now, renewing it first if it is (nearly) expired. `fresh` says the
   * token was obtained while waiting here (this caller's renewal, or one it joined): a server
   * that refuses a token it just issued will refuse the next one too, so the caller should not
   * renew it again.
   */
  async accessToken(wait: TokenWait = {}): Promise<{ token: string; fresh: boolean }> {
    const token = this.#token;
    if (token && !this.#stale(token)) return { token: token.accessToken, fresh: false };
    return { token: (await this.#renew(wait)).accessToken, fresh: true };
  }

  /**
   * The server refused `rejected`: renew unless that already happened since it was handed out,
   * and return the token to retry with. Concurrent callers share one renewal.
   */
  async afterRejection(rejected: string, wait: TokenWait = {}): Promise<string> {
    if (this.#token && this.#token.accessToken !== rejected) return this.#token.accessToken;
    return (await this.#renew(wait)).accessToken;
  }

  #stale(token: Token): boolean {
    if (token.expiresAt === null) return false;
    const lifetime = token.expiresAt - this.#issuedAt;
    const ahead = this.#ahead ?? Math.min(60_000, Math.max(0, lifetime / 10));
    return this.#now() >= token.expiresAt - ahead;
  }

  /** The renewal in progress, or a new one; each caller waits for it under its own signal. */
  #renew({ signal, timeout = 60_000 }: TokenWait): Promise<Token> {
    this.#pending ??= this.#obtain(this.#token, timeout / 2)
      .then((token) => {
        this.#token = token;
        this.#issuedAt = this.#now();
        return token;
      })
      .finally(() => {
        this.#pending = null;
      });
    return abortable(this.#pending, signal);
  }

  /**
   * A token to replace `current`. Alone: ask for one. Shared: use the stored one if another
   * process renewed it and it is good; else let the store have exactly one process ask, and wait
   * for it. If the store fails, gives something that is not a token, or has not handed one over
   * within `sharedMs`, ask alone (once: a renewal that already asked for this source waits for
   * that answer instead of asking again).
   */
  async #obtain(current: Token | null, sharedMs: number): Promise<Token> {
    const shared = this.#shared;
    if (!shared) return this.#fetch(current);
    let minting: Promise<Token> | null = null;
    const mint = () => (minting ??= this.#fetch(current));
    const fromStore = async (): Promise<Token> => {
      const stored = await shared.read();
      if (stored !== null && !isToken(stored)) throw wrongShape();
      if (stored && stored.accessToken !== current?.accessToken && !this.#stale(stored)) return stored;
      const renewed = await shared.renew(stored ?? current, mint);
      if (!isToken(renewed)) throw wrongShape();
      return renewed;
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(storeError(CoreCode.coordinationTimeout, `the shared store handed over no token within ${Math.round(sharedMs)} ms`)),
        sharedMs,
      );
    });
    try {
      return await Promise.race([fromStore(), slow]);
    } catch {
      // Anything but the mint's own failure is the store's (slow, down, or a custom one that threw).
      if (minting) return minting; // this source asked already: its answer (or its failure) stands
      return mint();
    } finally {
      clearTimeout(timer);
    }
  }
}

const wrongShape = () => storeError(CoreCode.coordinationFailed, "the shared store gave a token of the wrong shape; it is not used");
const storeError = (code: CoreCode, message: string) => new PicketPuidError({ message, code });
