import { abortable, fanOut, linkSignals, sleep } from "./abort.js";
import { describeValue, isRecord } from "./call.js";
import { PicketPuidError, type PicketPuidErrorInit } from "./errors.js";
import { backoffMs, MAX_HINT_MS, RETRY_STATUSES, retryAfterMs } from "./retry.js";

/** A `fetch` given by the caller. It is called as openapi-fetch calls it, with one ready `Request`; the global `fetch` fits. */
export type Fetch = (request: Request) => Promise<Response>;

/** Options that apply to every request of a client, and that any single call may override. */
export interface RequestOptions {
  /**
   * Milliseconds one attempt may take, from sending the request to the last byte of the
   * response body. Default 60 000. Each retry gets a fresh budget, so the worst case of a call is
   * about `(maxRetries + 1) × timeout` plus the waits between attempts. Ends with code `timeout`.
   */
  timeout?: number | undefined;
  /** How many times a failed attempt may be repeated (see each method for what is repeated). Default 2. */
  maxRetries?: number | undefined;
  /** Ends the call at any stage, waits between attempts included, with code `aborted`. */
  signal?: AbortSignal | undefined;
  /** Extra headers for the request. */
  headers?: Record<string, string> | undefined;
  /** The `fetch` to send with, default the global one. It receives one `Request`. */
  fetch?: Fetch | undefined;
}

/** One request as the transport sends it; every attempt (and every redirect) is built afresh from it. */
export interface Outgoing {
  method: string;
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string | ArrayBuffer | null | undefined;
}

/** A whole answer: the body has been read to its end under the attempt's timer. */
export interface Reply {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as it came; empty when there was none. */
  bytes: Uint8Array;
  /** The body as UTF-8 text; `""` when there was none. */
  text: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  data: unknown;
}

/** What an API module tells the transport. */
export interface TransportConfig {
  /** Build the API's own error class. */
  makeError: (init: PicketPuidErrorInit) => PicketPuidError;
  /**
   * Whether repeating the request after it may have reached the server (a 5xx, a timeout) is
   * safe: it is for reads, not for a call that spends quota or mints something.
   */
  idempotent: (request: Outgoing) => boolean;
  /** The API's own wait hint from a parsed error body (PUID's `retryAfterMs`), if it has one. */
  bodyRetryHint?: ((body: unknown) => number | null) | undefined;
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

/** Sends one request with its retries; resolves with the final answer of any status, rejects only with the API's error. */
export type Send = (request: Outgoing, options?: RequestOptions | null) => Promise<Reply>;

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "cookie", "proxy-authorization"];
const MAX_REDIRECTS = 5;
const noop = () => undefined;

/** Thrown inside an attempt when its own timer, not the caller, ended it. */
class Timeout extends Error {}
/** A redirect that cannot be followed safely: its target is hidden (browsers), or it would carry the body to another origin. */
class RedirectRefused extends Error {}

interface Settings {
  timeout: number;
  maxRetries: number;
  fetch: Fetch | undefined;
  /** Joins a call to the client-wide signal, when there is one. */
  join: ((controller: AbortController) => () => void) | undefined;
  /** The signal given for this call. */
  signal: AbortSignal | undefined;
}

/**
 * The transport both APIs send through: each attempt gets a timeout covering connect, headers
 * and the whole body; what is safe to retry is retried; the caller's signal works at every
 * stage; redirects are followed here so credentials never reach another origin; and every
 * failure becomes the API's error class.
 *
 * Every attempt hands `fetch` an `AbortSignal`: a timed-out request must really end, or a script
 * could not exit until the server answered, and a request held up on its way could still reach
 * the server (spending quota, breaking the pace) after the caller was told it timed out.
 */
export function createTransport(config: TransportConfig, defaults: RequestOptions = {}): Send {
  checkOptions(config, defaults);
  const join = defaults.signal && fanOut(defaults.signal);
  const standard = settle(defaults, undefined, join);
  return (request, options) => {
    if (options != null) checkOptions(config, options);
    return send(config, request, options == null ? standard : settle(defaults, options, join));
  };
}

function settle(defaults: RequestOptions, call: RequestOptions | undefined, join: Settings["join"]): Settings {
  const pick = <K extends keyof RequestOptions>(key: K) => (call?.[key] !== undefined ? call[key] : defaults[key]);
  return {
    timeout: pick("timeout") ?? DEFAULT_TIMEOUT,
    maxRetries: pick("maxRetries") ?? DEFAULT_MAX_RETRIES,
    fetch: pick("fetch"),
    join,
    signal: call?.signal,
  };
}

/** Every attempt of one call: pacing, credentials, the attempt, the 401 replay, the retry waits. */
async function send(config: TransportConfig, request: Outgoing, settings: Settings): Promise<Reply> {
  // Only a caller's signal needs linking (the client's and this call's, which both apply); most
  // calls have none and pay nothing for it.
  const link = settings.join || settings.signal ? linkSignals([settings.signal]) : null;
  const leave = link && settings.join?.(link.controller);
  const signal = link?.controller.signal;
  const stopped = (error: unknown) => Promise.reject(signal?.aborted ? aborted(config, signal) : error);
  let { headers } = request;
  let replayed = false;
  let fresh = false;
  try {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(config, signal);
      let sent = headers;
      let reply: Reply | null = null;
      let failure: PicketPuidError | null = null;
      let release: (() => void) | undefined;
      try {
        release = config.pace && (await config.pace(request, signal));
        if (config.authorize) {
          const credential = await abortable(config.authorize(signal), signal);
          sent = { ...headers, ...credential.headers };
          fresh ||= credential.fresh;
        }
        reply = await once(config, sent === request.headers ? request : { ...request, headers: sent }, settings, signal, release);
      } catch (error) {
        failure = classify(config, error, signal, settings.timeout);
        if (failure.code === "aborted") throw failure;
      } finally {
        release?.();
      }
      if (reply?.status === 401 && !replayed && !fresh && config.reauthorize) {
        // One renewed credential and one replay, which counts as no retry; a second 401 is final,
        // and so is a 401 to a credential minted during this call: no call mints two tokens.
        const renewed = await abortable(config.reauthorize(sent), signal).catch(stopped);
        if (renewed) {
          replayed = true;
          headers = { ...headers, ...renewed };
          attempt--;
          continue;
        }
      }
      const delay = attempt < settings.maxRetries ? retryDelay(config, request, reply, failure, attempt) : null;
      if (delay === null) {
        if (failure) throw failure;
        return reply!;
      }
      config.onRetry?.({ attempt: attempt + 1, delayMs: delay, status: reply?.status ?? null });
      await sleep(delay, signal).catch(stopped);
    }
  } finally {
    leave?.();
    link?.dispose();
  }
}

/**
 * One attempt: send, follow same-origin redirects, and read the whole body, all under one timer.
 * Each step races the timer and the caller's signal, so a `fetch` that ignores its signal, or
 * was given none, cannot outlast either.
 */
async function once(
  config: TransportConfig,
  request: Outgoing,
  settings: Settings,
  signal: AbortSignal | undefined,
  answered?: () => void,
): Promise<Reply> {
  const controller = new AbortController();
  // The platform's `fetch` rejects, and errors the body, once its signal aborts. A `fetch` given
  // by the caller may ignore its signal, so then every wait also races the end of the attempt.
  let end: ((reason: unknown) => void) | undefined;
  let ended: Promise<never> | undefined;
  if (settings.fetch) {
    ended = new Promise<never>((_, reject) => (end = reject));
    ended.catch(noop);
  }
  const race = <T>(step: Promise<T>): Promise<T> => (ended ? Promise.race([step, ended]) : step);
  const stop = (reason: unknown) => {
    controller.abort(reason);
    end?.(reason);
  };
  const onAbort = () => stop(signal!.reason);
  signal?.addEventListener("abort", onAbort);
  if (signal?.aborted) onAbort();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    stop(new Timeout());
  }, settings.timeout);
  let pending: Promise<Response> | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    for (let hops = 0, current = request; ; hops++) {
      pending = fetchOnce(settings.fetch, current, controller.signal);
      const response = await race(pending);
      pending = null;
      answered?.();
      if (response.type === "opaqueredirect") throw new RedirectRefused("this runtime hides where it leads, so a change of origin cannot be checked");
      const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
      if (location && hops < MAX_REDIRECTS) {
        response.body?.cancel().catch(noop);
        current = redirected(current, response.status, new URL(location, current.url));
        continue;
      }
      // Reading the body inside the timer is what bounds a server that sends headers and stalls.
      reader = response.body?.getReader();
      const bytes = reader ? await readAll(reader, race) : EMPTY;
      reader = undefined;
      return toReply(config, response, bytes);
    }
  } catch (error) {
    reader?.cancel().catch(noop);
    // A custom `fetch` may ignore its signal: whatever it answers later is not read, so free it.
    pending?.then((late) => late?.body?.cancel().catch(noop)).catch(noop);
    // However the runtime reports an abort, our own timer firing first makes it a timeout.
    if (expired && !signal?.aborted) throw new Timeout("timeout", { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function fetchOnce(custom: Fetch | undefined, request: Outgoing, signal: AbortSignal): Promise<Response> {
  // Only what differs from fetch's defaults: every member given is one more conversion in fetch.
  const init: RequestInit = { headers: request.headers, redirect: "manual", signal };
  if (request.method !== "GET") init.method = request.method;
  if (request.body != null) init.body = request.body;
  try {
    return custom ? custom(new Request(request.url, init)) : fetch(request.url, init);
  } catch (error) {
    return Promise.reject(error);
  }
}

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** The whole body, each read raced as the attempt says. */
async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, race: <T>(step: Promise<T>) => Promise<T>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await race(reader.read());
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (chunks.length < 2) return chunks[0] ?? EMPTY;
  const all = new Uint8Array(size);
  chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.byteLength), 0);
  return all;
}

/**
 * Parse the body. An error body is read as JSON whatever its type says (servers label them
 * carelessly); a success only when it says it is JSON, and then it must be (a truncated body is
 * `invalid_response` with its status). A success in another type (the YAML description, an HTML
 * page) is left as text: whether that is acceptable is for the caller to say.
 */
function toReply(config: TransportConfig, response: Response, bytes: Uint8Array): Reply {
  const { status, statusText, headers, ok } = response;
  const text = decoder.decode(bytes);
  let data: unknown;
  let problem: unknown;
  if (text !== "" && (!ok || /json/i.test(headers.get("content-type") ?? ""))) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      problem = error;
    }
  }
  if (ok && problem !== undefined) {
    throw config.makeError({
      status,
      code: "invalid_response",
      message: `The server answered HTTP ${status} with a body that is not JSON.`,
      headers,
      body: text.slice(0, 1_000),
      cause: problem,
    });
  }
  return { status, statusText, headers, bytes, text, data };
}

/**
 * The next request of a redirect: credentials only go to the same origin; 303 (and 301/302 of a
 * POST) become GET. A body is never sent to another origin — it may hold a client secret or a
 * signature — so a cross-origin redirect that would keep it is refused.
 */
function redirected(previous: Outgoing, status: number, target: URL): Outgoing {
  const headers = { ...previous.headers };
  const crossOrigin = target.origin !== new URL(previous.url).origin;
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === "POST");
  if (crossOrigin) {
    if (!toGet && previous.body != null) throw new RedirectRefused(`a ${status} to ${target.origin} would resend the request body there`);
    for (const name of CREDENTIAL_HEADERS) delete headers[name];
  }
  if (toGet) {
    delete headers["content-type"];
    delete headers["content-length"];
  }
  return { method: toGet ? "GET" : previous.method, url: target.href, headers, body: toGet ? null : previous.body };
}

/** Milliseconds to wait before retry number `attempt + 1`, or `null` when this outcome is final. */
function retryDelay(config: TransportConfig, request: Outgoing, reply: Reply | null, failure: PicketPuidError | null, attempt: number): number | null {
  if (failure) {
    // A request that never reached the server (no connection could be made) is always repeated.
    // Anything later — a reset, a timeout — may have been processed, so only a request that is
    // safe to repeat is tried again.
    const again =
      (failure.code === "network_error" && (neverConnected(failure.cause) || config.idempotent(request))) ||
      (failure.code === "timeout" && config.idempotent(request));
    return again ? backoffMs(attempt) : null;
  }
  if (!reply || !RETRY_STATUSES.has(reply.status)) return null;
  // 408 and 429 mean the server refused the request before doing anything; a 5xx may be half done.
  if (reply.status >= 500 && !config.idempotent(request)) return null;
  const hint = retryAfterMs(reply.headers, config.bodyRetryHint?.(reply.data) ?? null);
  if (hint !== null) return hint <= MAX_HINT_MS ? hint : null;
  return backoffMs(attempt);
}

/**
 * Whether a fetch failure happened before a connection existed (refused, unknown host,
 * unreachable), so the server cannot have seen the request. Runtimes name this differently;
 * where none of these names shows, the failure counts as possibly seen.
 */
function neverConnected(error: unknown): boolean {
  const pattern = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ConnectionRefused|Connection refused/i;
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if ((typeof code === "string" && pattern.test(code)) || (typeof message === "string" && pattern.test(message))) return true;
  }
  return false;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** What each option must be: a test of a given value, and how to say it. */
const OPTION_RULES: [keyof RequestOptions, (value: any) => boolean, string][] = [
  ["timeout", (v) => typeof v === "number" && v > 0 && v <= 2_147_483_647, "a number of milliseconds from 1 to 2147483647"],
  ["maxRetries", (v) => Number.isInteger(v) && v >= 0 && v <= 10, "an integer from 0 to 10"],
  ["signal", (v) => v instanceof AbortSignal, "an AbortSignal"],
  ["fetch", (v) => typeof v === "function", "a function"],
  [
    "headers",
    (v) => isRecord(v) && Object.entries(v).every(([name, value]) => TOKEN.test(name) && typeof value === "string" && FIELD_VALUE.test(value)),
    "an object of header names to string values (no line breaks)",
  ],
];

/** Refuse option values that cannot work, before any request. */
function checkOptions(config: TransportConfig, options: RequestOptions): void {
  for (const [name, valid, what] of OPTION_RULES) {
    const value = options[name];
    if (value !== undefined && !valid(value)) {
      throw config.makeError({ status: null, code: "invalid_option", message: `${name} must be ${what}; got ${describeValue(value)}.` });
    }
  }
}

function aborted(config: TransportConfig, signal: AbortSignal): PicketPuidError {
  return config.makeError({ status: null, code: "aborted", message: "The request was aborted by the caller.", cause: signal.reason });
}

/** Name a thrown failure: the caller's abort, our timer, or the network. */
function classify(config: TransportConfig, error: unknown, signal: AbortSignal | undefined, timeout: number): PicketPuidError {
  if (signal?.aborted) return aborted(config, signal);
  if (error instanceof PicketPuidError) return error;
  if (error instanceof Timeout) {
    return config.makeError({ status: null, code: "timeout", message: `The request timed out after ${timeout} ms.`, cause: error.cause });
  }
  if (error instanceof RedirectRefused) {
    return config.makeError({ status: null, code: "redirect_refused", message: `The server redirected and the redirect was not followed: ${error.message}.` });
  }
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : describeValue(error);
  return config.makeError({ status: null, code: "network_error", message: `The request could not be completed: ${detail}`, cause: error });
}
