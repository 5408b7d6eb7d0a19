/**
 * One OAuth client's token shared through Redis: stored sealed (see `seal.ts`), renewed by one
 * process at a time under a lock with a lease, waited for by the others.
 *
 * A renewal: read the token; if it is another than the caller's stale one and not expired, that
 * is the answer. Otherwise take the lock (`SET NX PX lease`). The winner reads again (someone may
 * have finished just before), mints, stores the sealed token until its expiry and releases the
 * lock, only if it still owns it. The others poll every `POLL_MS` until a token newer than their
 * stale one appears, or the lock is gone (released without a token, or its holder died and the
 * lease ran out); then they try to take the lock themselves.
 */
import { sleep } from "../core/abort.js";
import { CoreCode } from "../core/errors.js";
import type { SharedTokens } from "../core/coordination.js";
import type { Logger } from "../core/log.js";
import type { Token } from "../core/token-source.js";
import { createSealer } from "./seal.js";
import { evalScript, script, storeError, text, type Store } from "./store.js";

/** How often a process waiting for another one's renewal looks again, in ms. */
export const POLL_MS = 25;

/** KEYS[1]: token, KEYS[2]: lock. The sealed token (or nil) and the lock's remaining lease in ms (-2: no lock). */
const PEEK = script(`return { redis.call('GET', KEYS[1]) or false, redis.call('PTTL', KEYS[2]) }`);

/** KEYS[1]: lock, ARGV[1]: owner. Deletes the lock only if this owner still holds it: a lease that ran out may be someone else's lock now. */
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Where a shared token lives, and how long its lock and its waiters may take. */
export interface TokenKeys {
  /** The Redis key of the sealed token. */
  token: string;
  /** The Redis key of the renewal lock. */
  lock: string;
  /** The lock's lease, in ms. */
  leaseMs: number;
  /** How long `renew` may wait for other processes in all, in ms. */
  waitMs: number;
}

/** The token shared at `keys`, sealed with `secret`. */
export function redisTokens(store: Store, keys: TokenKeys, secret: string, logger: Logger): SharedTokens {
  const sealer = createSealer(secret, keys.token);
  let unreadable = false;

  /** Open what is stored; a value this secret cannot open counts as no token, with one warning until one opens again. */
  const open = async (stored: string | null): Promise<Token | null> => {
    if (stored === null) return null;
    const token = await sealer.open(stored);
    if (token === null && !unreadable) {
      logger.warn("picket-puid/redis: a stored token does not open with this client's secret (sealed with another secret, or altered); it counts as none");
    }
    unreadable = token === null;
    return token;
  };

  const peek = async (): Promise<{ token: Token | null; locked: boolean }> => {
    // A reply of another shape (a proxy, a client that answers something else) is a failure, not
    // "locked": taking it for a lock would have the caller wait for a renewal that never comes.
    const [stored, lease] = await store.run(async (send) => {
      const reply = await evalScript(send, PEEK, [keys.token, keys.lock], []);
      const lease = Array.isArray(reply) && reply.length === 2 ? Number(text(reply[1])) : NaN;
      if (!Number.isInteger(lease) || lease < -2)
        throw storeError(CoreCode.coordinationFailed, "Redis answered a token look with something other than a token and a lease");
      return [(reply as unknown[])[0], lease] as const;
    });
    return { token: await open(text(stored)), locked: lease !== -2 };
  };

  const read = async (): Promise<Token | null> => open(text(await store.run((send) => send(["GET", keys.token]))));

  const lock = (owner: string): Promise<boolean> =>
    store.run(async (send) => {
      const reply = text(await send(["SET", keys.lock, owner, "NX", "PX", String(keys.leaseMs)]));
      if (reply !== "OK" && reply !== null) throw storeError(CoreCode.coordinationFailed, "Redis answered a lock request with something other than OK or nil");
      return reply === "OK";
    });

  const unlock = (owner: string) => store.run((send) => evalScript(send, RELEASE, [keys.lock], [owner]));

  const write = async (token: Token): Promise<void> => {
    const ttl = token.expiresAt === null ? null : Math.ceil(token.expiresAt - Date.now());
    if (ttl !== null && ttl <= 0) return; // already expired: nothing worth sharing
    const sealed = await sealer.seal(token);
    await store.run((send) => send(["SET", keys.token, sealed, ...(ttl === null ? [] : ["PX", String(ttl)])]));
  };

  return {
    read,

    async renew(stale, mint) {
      const deadline = Date.now() + keys.waitMs;
      for (let first = true; ; first = false) {
        if (!first && Date.now() > deadline) {
          throw storeError(CoreCode.coordinationTimeout, `no renewed token appeared in Redis within ${keys.waitMs} ms`);
        }
        const { token, locked } = await peek();
        if (newer(token, stale)) return token;
        if (!locked) {
          const owner = crypto.randomUUID();
          if (await lock(owner)) {
            try {
              const current = await read();
              if (newer(current, stale)) return current;
              const minted = await mint();
              // The token is good whether or not it could be shared: a failed write is logged by
              // the store, and the caller keeps the token rather than mint another.
              await write(minted).catch(() => undefined);
              return minted;
            } finally {
              await unlock(owner).catch(() => undefined); // if this fails, the lease ends it
            }
          }
          continue; // another process took the lock first: wait for it like the rest
        }
        await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      }
    },
  };
}

/** Whether `token` is a usable replacement for `stale`: another token, and not expired. */
function newer(token: Token | null, stale: Token | null): token is Token {
  if (token === null) return false;
  if (stale !== null && token.accessToken === stale.accessToken) return false;
  return token.expiresAt === null || token.expiresAt > Date.now();
}
