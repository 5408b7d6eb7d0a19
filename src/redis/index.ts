/**
 * `picket-puid/redis`: a {@link Coordination} on Redis, so every process that uses one account
 * shares the pace of its `/v1/ids` requests and every process that uses one OAuth client shares
 * its access token.
 *
 * It is built on node-redis (`redis` 5 or 6, an optional peer dependency) rather than ioredis
 * because node-redis is Redis Ltd.'s official client, the one Redis recommends for new projects,
 * and its current major is where new Redis features land.
 *
 * ## Failure policy
 *
 * Every operation (`claim`, `read`, and each step of `renew` that talks to Redis) settles within
 * `timeoutMs`, or rejects with a `PicketPuidError` whose `code` is `coordination_timeout` (Redis
 * did not answer in time), `coordination_unavailable` (the client is not ready, the connection
 * failed, Redis has not yet answered commands sent earlier, or it answered that it cannot serve:
 * `LOADING`, `BUSY`, `OOM`, `READONLY`, ...) or `coordination_failed` (Redis refused this one
 * command, e.g. `WRONGTYPE` on a key another program wrote). Nothing waits in node-redis's
 * offline queue: no command is sent while the client is not ready, and a command still unwritten
 * when the time is up is taken out of the queue. A command already written stays in node-redis
 * until Redis answers or the connection drops; so while Redis is failing, at most one command at
 * a time is outstanding (a probe) and the rest fail at once, and never more than
 * `MAX_IN_FLIGHT` (1000) are outstanding in any case. `renew` also waits for another
 * process's renewal for at most `renewWaitMs` in all, then rejects with `coordination_timeout`;
 * an error thrown by `mint` is passed on as it is, after the lock is released.
 *
 * A reply of the wrong shape (a proxy or client that answers something else) is
 * `coordination_failed` too, never taken for a slot or a lock. `claim` refuses, without storing,
 * a slot further away than the caller can wait (`maxWaitMs`), and replaces a stored value no
 * claim could have left (not a finite number, no TTL, further ahead than its TTL).
 *
 * The caller treats a rejection as "no shared state right now": it paces locally, keeps a token
 * of its own, and asks again on its next call; it also waits for a shared token for at most half
 * of its call's timeout before it gets one of its own. The first timeout or
 * `coordination_unavailable` after a success logs one warning on `logger`, the first answer after
 * that one info line; each kind of `coordination_failed` logs one warning, once (a key another
 * program wrote turns sharing off for that key, which must not go unnoticed); nothing is logged
 * per call. A logger that throws loses its line and nothing else. No message, log line or error
 * holds a token, a secret, an API key or a key's name.
 *
 * ## Keys
 *
 * - `${prefix}:pace:${key}`: the last slot granted, in ms of Redis time (`TIME`); expires three
 *   intervals after that slot (one after which it no longer moves the next slot, two while its
 *   request may still be held back by a late one before it).
 * - `${prefix}:answered:${key}:${slot}`: when the answer to the request of that slot arrived, in
 *   ms of Redis time, so the request of the next slot waits for it when it went out late; expires
 *   after a minute.
 * - `${prefix}:token:${key}`: the sealed token (AES-256-GCM, key derived from the client secret
 *   with HKDF-SHA-256; see `SEAL_SALT` and `SEAL_INFO`); expires when the token does.
 * - `${prefix}:lock:${key}`: the renewal lock, holding a random owner id; expires after `lockLeaseMs`.
 *
 * One Redis (standalone, or the primary that Sentinel or a proxy points to) serves it; Redis
 * Cluster is not supported.
 *
 * @module picket-puid/redis
 */
import type { Coordination } from "../core/coordination.js";
import { CoreCode, PicketPuidError } from "../core/errors.js";
import { isLogger, NOT_A_LOGGER, type Logger } from "../core/log.js";
import { MAX_TIMER_MS } from "../core/abort.js";
import { describeValue } from "../core/values.js";
import { createRedisClock } from "./clock.js";
import { redisPace } from "./pace.js";
import { createStore, type RedisClientLike } from "./store.js";
import { redisTokens } from "./tokens.js";

export type { Coordination, SharedPace, SharedSlot, SharedTokens } from "../core/coordination.js";
export type { Logger } from "../core/log.js";
export type { Token } from "../core/token-source.js";
export { SEAL_INFO, SEAL_SALT } from "./seal.js";
export type { RedisClientLike } from "./store.js";

/** Options of {@link createRedisCoordination}. */
export interface RedisCoordinationOptions {
  /**
   * A node-redis client (`createClient()` of `redis` 5 or 6, connected with `await client.connect()`).
   * You own it: this module never connects, closes or listens to it, so give it an `error`
   * listener as node-redis asks. Share one client among all coordinations of a process.
   */
  client: RedisClientLike;
  /** The first part of every key, so several applications can share one Redis: no spaces or control characters. Default `"picket-puid"`. */
  prefix?: string | undefined;
  /**
   * How long one operation on Redis may take, in ms, before it counts as failed and rejects.
   * Default 250: long enough for a busy Redis over a network, short enough that a caller that
   * then falls back to local pacing loses little. This, `lockLeaseMs` and `renewWaitMs` must fit a
   * timer (at most 2^31 − 1 ms); a bad option throws `PicketPuidError` with code `invalid_option`.
   */
  timeoutMs?: number | undefined;
  /**
   * How long the token renewal lock is held at most, in ms, before others may take it: the time
   * a process that died while renewing blocks the rest. Make it longer than one `mint` can take
   * (the token request's timeout), or a slow mint may be run a second time. Default 10 000.
   */
  lockLeaseMs?: number | undefined;
  /**
   * How long `renew` waits in all for another process to finish a renewal, in ms, before it
   * rejects (and its caller gets a token of its own). Default twice `lockLeaseMs`: one lease for
   * a holder that died, one for the process that takes over. A `Puid` call stops waiting sooner when
   * half of its own `timeout` is shorter, and gets a token of its own.
   */
  renewWaitMs?: number | undefined;
  /** Where the one warning (Redis failing) and the one info line (Redis answering again) go. Default `console`. */
  logger?: Logger | undefined;
}

/**
 * A {@link Coordination} on Redis. Pass it to every client that should share pacing and tokens.
 *
 * `pace(key)` and `tokens(key, secret)` name what is shared; `key` becomes part of a Redis key,
 * visible to anyone who can list keys, so it must not be a secret: pass an id derived from the
 * credential (for an API key, a SHA-256 of it), never the credential itself. `secret` never
 * leaves the process; it seals the token. Processes that hold different secrets for one key
 * (during a secret rotation) cannot read each other's token: each counts it as none (with one
 * warning) and replaces it, so they still work but no longer share one mint.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { createRedisCoordination } from "picket-puid/redis";
 * import { Puid } from "picket-puid/puid";
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on("error", () => {}); // the coordination logs outages itself, once
 * await client.connect();
 * const coordination = createRedisCoordination({ client });
 * const puid = new Puid({ apiKey: process.env.PUID_API_KEY!, coordination });
 * ```
 */
export function createRedisCoordination(options: RedisCoordinationOptions): Coordination {
  if (typeof options !== "object" || options === null) throw invalid("createRedisCoordination() takes an options object with a node-redis client as `client`");
  const prefix = options.prefix ?? "picket-puid";
  const timeoutMs = options.timeoutMs ?? 250;
  if (typeof options.client?.sendCommand !== "function") throw invalid("createRedisCoordination() needs a node-redis client as `client`");
  // A key is `${prefix}:kind:...`: a prefix with spaces or control characters would be a
  // different key in a log, a `redis-cli` line or a script than the one written.
  if (typeof prefix !== "string" || !/^[^\s\p{Cc}]+$/u.test(prefix)) throw invalid("`prefix` must be a non-empty string without spaces or control characters");
  if (options.logger !== undefined && !isLogger(options.logger)) throw invalid(NOT_A_LOGGER);
  milliseconds("timeoutMs", timeoutMs);
  milliseconds("lockLeaseMs", options.lockLeaseMs ?? 10_000);
  const leaseMs = Math.ceil(options.lockLeaseMs ?? 10_000);
  const waitMs = options.renewWaitMs ?? 2 * leaseMs;
  milliseconds("renewWaitMs", waitMs);
  const logger = quiet(options.logger ?? console);

  const store = createStore(options.client, { timeoutMs, logger });
  const clock = createRedisClock();
  return {
    pace(key) {
      named("pace", key);
      return redisPace(store, { slot: `${prefix}:pace:${key}`, answered: `${prefix}:answered:${key}` }, clock);
    },
    tokens(key, secret) {
      named("tokens", key);
      if (typeof secret !== "string" || secret === "") throw invalid("tokens() needs the client secret, a non-empty string, to seal tokens with");
      return redisTokens(store, { token: `${prefix}:token:${key}`, lock: `${prefix}:lock:${key}`, leaseMs, waitMs }, secret, logger);
    },
  };
}

/** The package's error for an option or argument that cannot work. */
const invalid = (message: string) => new PicketPuidError({ message: message.endsWith(".") ? message : `${message}.`, code: CoreCode.invalidOption });

/** A time in ms that a timer can hold: finite, > 0, at most 2^31 − 1 (a longer one would fire at once). */
function milliseconds(name: string, value: unknown): void {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS)) {
    throw invalid(`\`${name}\` must be a number of ms above 0 and at most ${MAX_TIMER_MS}; got ${describeValue(value)}`);
  }
}

function named(method: string, key: string): void {
  if (typeof key !== "string" || key === "") throw invalid(`${method}() needs a non-empty key`);
}

/**
 * The logger as the store's timers and callbacks use it: a logger that throws (a closed sink, a
 * method taken off its object) loses that line, and never escapes into a timer as an uncaught
 * error that would end the process.
 */
function quiet(logger: Logger): Logger {
  const call =
    (level: keyof Logger) =>
    (message: string, ...details: unknown[]) => {
      try {
        logger[level](message, ...details);
      } catch {
        // The line is lost; the coordination goes on.
      }
    };
  return { debug: call("debug"), info: call("info"), warn: call("warn"), error: call("error") };
}
