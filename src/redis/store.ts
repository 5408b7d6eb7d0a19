/**
 * Every round trip to Redis goes through here: bounded by one time limit, never left in the
 * client's offline queue, and counted towards the store's health (one warning when it starts
 * failing, one info line when it answers again). A timeout, a connection failure or an error
 * reply that means Redis cannot serve is a failure of the store; any other error reply fails
 * that one operation only, and counts as an answer: Redis is up.
 */
import { createHash } from "node:crypto";
import { CoreCode, PicketPuidError } from "../core/errors.js";
import type { Logger } from "../core/log.js";

/**
 * The part of a node-redis client that this module uses. A client from `createClient()` of
 * node-redis 5 or 6 fits as it is; so does anything else with these two members.
 */
export interface RedisClientLike {
  /**
   * `true` while the client is connected and its handshake is done. A command sent when it is
   * `false` would wait in node-redis's offline queue until a reconnect, so none is sent then.
   */
  readonly isReady: boolean;
  /**
   * Send one command. `abortSignal` takes a command out of the client's queue if it has not been
   * written yet; once written, its reply is only waited for (this module stops waiting itself).
   */
  sendCommand(args: readonly string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Sends one command of an operation; rejects at once when the operation is over or the client is not ready. */
export type Send = (args: readonly string[]) => Promise<unknown>;

/** Runs operations on Redis under the store's time limit and health. */
export interface Store {
  /**
   * Run `operation` (one or a few commands sent through `send`). Settles as it does, or rejects
   * with a `PicketPuidError` (code `coordination_timeout`, `coordination_unavailable` or
   * `coordination_failed`) once `timeoutMs` has passed, the client is not ready, or a command fails.
   */
  run<T>(operation: (send: Send) => Promise<T>): Promise<T>;
}

/** What a store needs besides the client. */
export interface StoreOptions {
  /** How long one operation may take, in ms, before it counts as failed. */
  timeoutMs: number;
  /** Where the one warning (failing) and the one info line (answering again) go. */
  logger: Logger;
}

/**
 * Commands of ours that node-redis may hold at once (queued or waiting for a reply). Reached only
 * when Redis is slow and callers are many: further operations then fail at once instead of
 * piling up behind the ones that wait.
 */
export const MAX_IN_FLIGHT = 1000;

/** A store on `client` (which the caller owns and keeps connected). */
export function createStore(client: RedisClientLike, { timeoutMs, logger }: StoreOptions): Store {
  let failing = false;
  // Refusals already warned of, by message: a key that holds another program's value (WRONGTYPE)
  // turns sharing off for its operations, which must not happen silently, nor be logged per call.
  const refusals = new Set<string>();
  // Commands node-redis still holds for us. It drops a written command only when its reply
  // comes or the connection ends, so an operation we gave up on may still count here.
  let inFlight = 0;

  const failed = (error: PicketPuidError): PicketPuidError => {
    if (!failing) {
      failing = true;
      logger.warn(`picket-puid/redis: ${error.message}; pacing and tokens fall back to each process until Redis answers again`);
    }
    return error;
  };
  const answered = () => {
    if (failing) {
      failing = false;
      logger.info("picket-puid/redis: Redis answers again; pacing and tokens are shared again");
    }
  };

  return {
    run<T>(operation: (send: Send) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const controller = new AbortController();
        let done = false;
        const finish = (outcome: { value: T } | { error: PicketPuidError }) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          // Takes any command of this operation that is still unwritten out of node-redis's queue.
          controller.abort();
          if (!("error" in outcome)) {
            answered();
            resolve(outcome.value);
          } else if (outcome.error.code === CoreCode.coordinationFailed) {
            answered(); // Redis is up and said no to this command: not an outage
            if (!refusals.has(outcome.error.message)) {
              refusals.add(outcome.error.message);
              logger.warn(
                `picket-puid/redis: ${outcome.error.message}; the operations on that key fall back to each process (is another program using the prefix?)`,
              );
            }
            reject(outcome.error);
          } else reject(failed(outcome.error));
        };
        const timer = setTimeout(() => finish({ error: storeError(CoreCode.coordinationTimeout, `Redis did not answer within ${timeoutMs} ms`) }), timeoutMs);

        const send: Send = (args) => {
          if (done) return Promise.reject(storeError(CoreCode.coordinationTimeout, "the operation is over"));
          if (!client.isReady) return Promise.reject(storeError(CoreCode.coordinationUnavailable, "the Redis client is not connected"));
          // While failing, one command at a time probes whether Redis answers again; the rest
          // fail at once rather than wait behind it.
          if (inFlight >= (failing ? 1 : MAX_IN_FLIGHT)) {
            return Promise.reject(storeError(CoreCode.coordinationUnavailable, "Redis has not answered earlier commands yet"));
          }
          inFlight++;
          let reply: Promise<unknown>;
          try {
            reply = client.sendCommand(args, { abortSignal: controller.signal });
          } catch (error) {
            reply = Promise.reject(error);
          }
          const release = () => void inFlight--;
          reply.then(release, release);
          return reply;
        };

        operation(send).then(
          (value) => finish({ value }),
          (error: unknown) => finish({ error: asStoreError(error) }),
        );
      });
    },
  };
}

/** A Lua script and its SHA-1, so it is sent in full only when Redis does not have it yet. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

export const script = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") });

/** Run `script` by its SHA-1, and by its source when Redis answers that it does not know it (a restart, `SCRIPT FLUSH`). */
export async function evalScript(send: Send, script: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  const rest = [String(keys.length), ...keys, ...args];
  try {
    return await send(["EVALSHA", script.sha, ...rest]);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
    return await send(["EVAL", script.source, ...rest]);
  }
}

/** A bulk-string reply as text, also from a client whose type mapping returns `Buffer`s; `null` stays `null`. */
export function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "string") return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an integer reply as its digits; a list or map where text was due gives text no caller accepts (NaN, no token, not "OK")
  return String(reply);
}

/** An error of this module: a message for people (never a key, token or secret) and a code for the caller. */
export function storeError(code: CoreCode, message: string, cause?: unknown): PicketPuidError {
  return new PicketPuidError({ message, code, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Error replies that mean Redis cannot serve anyone right now (loading, busy with a script, out
 * of memory, a read-only replica, no master, wrong credentials): an outage, like no answer. Any
 * other error reply (`WRONGTYPE` from a key some other program wrote, say) concerns one command.
 */
const UNAVAILABLE_REPLIES = new Set([
  "LOADING",
  "BUSY",
  "OOM",
  "READONLY",
  "MASTERDOWN",
  "MISCONF",
  "NOAUTH",
  "WRONGPASS",
  "NOPERM",
  "CLUSTERDOWN",
  "TRYAGAIN",
  "NOREPLICAS",
]);

/**
 * A failure as this module reports it. A Redis error reply is named by its first word
 * (`WRONGTYPE`, `OOM`, `NOAUTH`), a connection failure by its class: neither carries a command's
 * arguments, so no ciphertext or lock owner reaches a log either.
 */
function asStoreError(error: unknown): PicketPuidError {
  if (error instanceof PicketPuidError) return error as PicketPuidError; // instanceof narrows to PicketPuidError<any>
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error ? error.message : "";
  const word = /^[A-Z][A-Z_]+(?=\s|$)/.exec(message)?.[0];
  if (word && /Reply|SimpleError|BlobError/.test(name)) {
    if (UNAVAILABLE_REPLIES.has(word)) return storeError(CoreCode.coordinationUnavailable, `Redis cannot serve commands now (${word})`, error);
    return storeError(CoreCode.coordinationFailed, `Redis refused a command (${word})`, error);
  }
  if (/Timeout/.test(name)) return storeError(CoreCode.coordinationTimeout, `Redis did not answer in time (${name})`, error);
  return storeError(CoreCode.coordinationUnavailable, `Redis is unreachable (${name})`, error);
}
