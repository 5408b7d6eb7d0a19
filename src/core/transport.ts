/**
 * The transport both APIs send through. A call is a series of attempts, each: wait for its pace,
 * add its credential, run the attempt (`attempt.ts`: fetch → redirects → body under one timer).
 * Between attempts, `retry.ts` decides whether and how long to wait; a 401 to a renewable
 * credential is replayed once with a renewed one. The caller's signal works at every stage, and
 * every failure becomes the API's error class.
 */
import { abortable, linkSignals, sleep } from "./abort.js";
import { attempt, type Outgoing } from "./attempt.js";
import type { Reply } from "./body.js";
import type { ErrorFactory, PicketPuidError } from "./errors.js";
import { aborted, classify, QueueTimeout } from "./failure.js";
import { checkOptions, clientSettings, type RequestOptions, type Settings } from "./options.js";
import { credentialOf, secretsOf } from "./redact.js";
import type { Log } from "./log.js";
import { retryDelay, type RetryRules } from "./retry.js";

export type { Outgoing } from "./attempt.js";
export type { Reply } from "./body.js";
export type { Fetch, RequestOptions } from "./options.js";

/** Credential headers for one attempt. */
export interface Credential {
  headers: Record<string, string>;
  /**
   * The credential was obtained during this call (a token just minted). A 401 to it is final: a
   * server that refuses a token it just issued will refuse a renewed one too, and renewing again
   * would mint a second token for one call.
   */
  fresh: boolean;
}

/** What an API module tells the transport. */
export interface TransportConfig extends RetryRules {
  /** The API's error factory: every failure of a call is one of its errors. */
  errors: ErrorFactory;
  /** Whether a redirect may lead to plain http on another host (see `EndpointOptions`). */
  allowInsecureHttp?: boolean | undefined;
  /** Called before each wait, for tests. */
  onRetry?: ((event: { attempt: number; delayMs: number; status: number | null }) => void) | undefined;
  /** Where the client logs what it does (requests, answers, retries, waits). */
  log?: Log | undefined;
  /**
   * Rate pacing: for a request that is paced, the wait for its turn before each attempt, which
   * resolves with what to call when its answer starts to arrive or the attempt ends;
   * `undefined` for a request that is not paced. The wait is given the call's timeout as
   * `maxWaitMs`: a turn known to come later than that may fail at once (a `QueueTimeout`).
   */
  pace?: ((request: Outgoing) => Turn | undefined) | undefined;
  /**
   * Credential headers for each attempt, got under the call's signal and within its timeout (an
   * OAuth token that may need renewing first). Static credentials are part of the request instead.
   */
  authorize?: ((signal: AbortSignal | undefined, timeout: number) => Promise<Credential>) | undefined;
  /**
   * After a 401 to a request sent with `sent` headers: fresh credential headers to replay it
   * with once (a renewed OAuth token), or `null` when renewing cannot help (an API key). Bounded
   * by the call's signal and timeout like `authorize`.
   */
  reauthorize?: ((sent: Record<string, string>, signal: AbortSignal | undefined, timeout: number) => Promise<Record<string, string> | null>) | undefined;
}

/** The wait for one paced request's turn: resolves with what to call when its answer starts to arrive. */
export type Turn = (signal: AbortSignal, maxWaitMs: number) => Promise<() => void>;

/** The final answer of a call, and what an error made from it needs to know. */
export interface Answer extends Reply {
  /** The request, as `GET /v1/quota` (for messages). */
  request: string;
  /** How the request carried its credential, as `X-API-Key` or `Authorization: Bearer` (never its value), or `null`. */
  credential: string | null;
  /** How many attempts the call made, and how long it took in all. */
  attempts: number;
  elapsedMs: number;
  /** The secrets its request carried, to keep out of an error made from it (worked out only when asked). */
  secrets(): readonly string[];
}

/** `" (3 attempts over 2.1 s)"`, added to the message of a call's error when it made more than one. */
export const attemptsNote = (attempts: number, elapsedMs: number): string =>
  attempts > 1 ? ` (${attempts} attempts over ${(elapsedMs / 1000).toFixed(1)} s)` : "";

/** Sends one request with its retries; resolves with the final answer of any status, rejects only with the API's error. */
export type Send = (request: Outgoing, options?: RequestOptions | null) => Promise<Answer>;

/** A client's transport: its options checked once, each call's checked (and read once) as it comes. */
export function createTransport(config: TransportConfig, defaults: RequestOptions = {}): Send {
  const settle = clientSettings(checkOptions(config.errors, defaults));
  return (request, options) => {
    try {
      return send(config, request, settle(options == null ? options : checkOptions(config.errors, options)));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** The outcome of one attempt: an answer of any status, or the failure that ended it. */
interface Outcome {
  reply: Reply | null;
  failure: PicketPuidError | null;
  /** The headers it was sent with (for the 401 replay). */
  sent: Record<string, string>;
}

/** Every attempt of one call: the attempt, the 401 replay, the retry waits. */
async function send(config: TransportConfig, request: Outgoing, settings: Settings): Promise<Answer> {
  // Only a caller's signal needs linking (the client's and this call's, which both apply); most
  // calls have none and pay nothing for it.
  const link = settings.join || settings.signal ? linkSignals([settings.signal]) : null;
  const leave = link && settings.join?.(link.controller);
  const signal = link?.controller.signal;
  const stopped = (error: unknown) => Promise.reject(signal?.aborted ? aborted(config.errors, signal) : error);
  // The request's headers, with a renewed credential once one was needed; whether a credential
  // minted during this call was used (see `Credential.fresh`); whether the 401 replay happened.
  let headers = request.headers;
  let fresh = false;
  let replayed = false;
  const { log } = config;
  const started = performance.now();
  let attempts = 0;
  const what = `${request.method} ${request.url}`;
  /** The request as messages name it: `GET /v1/quota`. */
  const named = () => `${request.method} ${new URL(request.url).pathname}`;

  /** One attempt with its pacing and credential; a caller's abort rejects, anything else is an outcome. */
  const once = async (): Promise<Outcome> => {
    let sent = headers;
    let release: (() => void) | undefined;
    try {
      const turn = config.pace?.(request);
      if (turn) {
        const queued = performance.now();
        release = await paced(turn, signal, settings.timeout);
        // A wait is an `info` line, as `logLevel` documents; a turn that came at once (under 10 ms) is none.
        const waited = Math.round(performance.now() - queued);
        if (waited >= 10) log?.info?.(`${what}: waited ${waited} ms for its turn under the rate limit`);
      }
      if (config.authorize) {
        // Bounded by the call's signal. The timeout is handed on: it bounds the wait for a shared
        // token (then the client gets its own), while a token request of the client's own has its
        // own timeout and retries, as before.
        const credential = await abortable(config.authorize(signal, settings.timeout), signal);
        sent = { ...headers, ...credential.headers };
        fresh ||= credential.fresh;
      }
      const outgoing = sent === request.headers ? request : { ...request, headers: sent };
      attempts++;
      log?.debug?.(`→ ${what} (attempt ${attempts})`);
      const reply = await attempt(config, outgoing, settings, signal, release);
      log?.debug?.(`← ${reply.status} ${what} in ${Math.round(performance.now() - started)} ms`);
      return { reply, failure: null, sent };
    } catch (error) {
      const failure = classify(config.errors, error, signal, settings.timeout, named());
      if (signal?.aborted) throw failure;
      return { reply: null, failure, sent };
    } finally {
      release?.();
    }
  };

  try {
    for (let retry = 0; ;) {
      if (signal?.aborted) throw aborted(config.errors, signal);
      const outcome = await once();
      if (outcome.reply?.status === 401 && !replayed && !fresh && config.reauthorize) {
        // The replay: one renewed credential and one more attempt, which counts as no retry. A
        // second 401 is final, and so is a 401 to a credential minted during this call.
        const renewed = await abortable(config.reauthorize(outcome.sent, signal, settings.timeout), signal).catch((error: unknown) =>
          stopped(classify(config.errors, error, signal, settings.timeout, named())),
        );
        if (renewed) {
          replayed = true;
          headers = { ...headers, ...renewed };
          continue;
        }
      }
      const delay = retry < settings.maxRetries ? retryDelay(config, request, outcome, retry) : null;
      if (delay === null) {
        if (outcome.failure) {
          outcome.failure.message += attemptsNote(attempts, performance.now() - started);
          throw outcome.failure;
        }
        const sent = outcome.sent;
        // What only an error reads (which request, which credential) is worked out when read:
        // parsing the URL again on every success costs more than the rest of this function.
        return {
          ...outcome.reply!,
          get request() {
            return named();
          },
          get credential() {
            return credentialOf(sent);
          },
          attempts,
          elapsedMs: performance.now() - started,
          secrets: () => secretsOf(sent, request.body),
        };
      }
      retry++;
      const reason = outcome.reply ? `HTTP ${outcome.reply.status}` : (outcome.failure?.code ?? "failure");
      log?.info?.(`retrying ${what} in ${Math.round(delay)} ms after ${reason} (retry ${retry} of ${settings.maxRetries})`);
      config.onRetry?.({ attempt: retry, delayMs: delay, status: outcome.reply?.status ?? null });
      await sleep(delay, signal).catch(stopped);
    }
  } finally {
    leave?.();
    link?.dispose();
  }
}

/**
 * Wait for a pacing turn, bounded like the rest of the call: by its signal, and by its timeout (a
 * request that cannot get a turn within its timeout fails with `timeout` and is never sent).
 */
async function paced(turn: Turn, signal: AbortSignal | undefined, timeout: number): Promise<() => void> {
  const link = linkSignals([signal]);
  const timer = setTimeout(() => link.controller.abort(new QueueTimeout()), timeout);
  try {
    return await turn(link.controller.signal, timeout);
  } catch (error) {
    throw signal?.aborted ? error : link.controller.signal.reason instanceof QueueTimeout ? link.controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    link.dispose();
  }
}
