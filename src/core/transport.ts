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
import { aborted, classify } from "./failure.js";
import { checkOptions, clientSettings, type RequestOptions, type Settings } from "./options.js";
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
  /** Called before each wait, for logs and tests. */
  onRetry?: ((event: { attempt: number; delayMs: number; status: number | null }) => void) | undefined;
  /**
   * Wait for this request's turn before each attempt (rate pacing), and return what to call
   * when its answer starts to arrive or the attempt ends; `undefined` where pacing does not apply.
   */
  pace?: ((request: Outgoing, signal: AbortSignal | undefined) => Promise<(() => void) | undefined>) | undefined;
  /**
   * Credential headers for each attempt, got under the call's signal (an OAuth token that may
   * need renewing first). Static credentials are part of the request instead.
   */
  authorize?: ((signal: AbortSignal | undefined) => Promise<Credential>) | undefined;
  /**
   * After a 401 to a request sent with `sent` headers: fresh credential headers to replay it
   * with once (a renewed OAuth token), or `null` when renewing cannot help (an API key).
   */
  reauthorize?: ((sent: Record<string, string>) => Promise<Record<string, string> | null>) | undefined;
}

/** Sends one request with its retries; resolves with the final answer of any status, rejects only with the API's error. */
export type Send = (request: Outgoing, options?: RequestOptions | null) => Promise<Reply>;

/** A client's transport: its options checked once, each call's checked as it comes. */
export function createTransport(config: TransportConfig, defaults: RequestOptions = {}): Send {
  checkOptions(config.errors, defaults);
  const settle = clientSettings(defaults);
  return (request, options) => {
    if (options != null) checkOptions(config.errors, options);
    return send(config, request, settle(options));
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
async function send(config: TransportConfig, request: Outgoing, settings: Settings): Promise<Reply> {
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

  /** One attempt with its pacing and credential; a caller's abort rejects, anything else is an outcome. */
  const once = async (): Promise<Outcome> => {
    let sent = headers;
    let release: (() => void) | undefined;
    try {
      release = config.pace && (await config.pace(request, signal));
      if (config.authorize) {
        const credential = await abortable(config.authorize(signal), signal);
        sent = { ...headers, ...credential.headers };
        fresh ||= credential.fresh;
      }
      const outgoing = sent === request.headers ? request : { ...request, headers: sent };
      return { reply: await attempt(config.errors, outgoing, settings, signal, release), failure: null, sent };
    } catch (error) {
      const failure = classify(config.errors, error, signal, settings.timeout);
      if (signal?.aborted) throw failure;
      return { reply: null, failure, sent };
    } finally {
      release?.();
    }
  };

  try {
    for (let retry = 0; ; ) {
      if (signal?.aborted) throw aborted(config.errors, signal);
      const outcome = await once();
      if (outcome.reply?.status === 401 && !replayed && !fresh && config.reauthorize) {
        // The replay: one renewed credential and one more attempt, which counts as no retry. A
        // second 401 is final, and so is a 401 to a credential minted during this call.
        const renewed = await abortable(config.reauthorize(outcome.sent), signal).catch(stopped);
        if (renewed) {
          replayed = true;
          headers = { ...headers, ...renewed };
          continue;
        }
      }
      const delay = retry < settings.maxRetries ? retryDelay(config, request, outcome, retry) : null;
      if (delay === null) {
        if (outcome.failure) throw outcome.failure;
        return outcome.reply!;
      }
      retry++;
      config.onRetry?.({ attempt: retry, delayMs: delay, status: outcome.reply?.status ?? null });
      await sleep(delay, signal).catch(stopped);
    }
  } finally {
    leave?.();
    link?.dispose();
  }
}
