import { abortable, linkSignals, sleep } from "./abort.js";
import type { Fetch } from "./client.js";
import { describeValue } from "./call.js";
import { PicketPuidError, type PicketPuidErrorInit } from "./errors.js";
import { backoffMs, MAX_HINT_MS, RETRY_STATUSES, retryAfterMs } from "./retry.js";

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
  /** The `fetch` to send with, default the global one. */
  fetch?: Fetch | undefined;
}

/** What an API module tells the transport. */
export interface TransportConfig {
  /** Build the API's own error class. */
  makeError: (init: PicketPuidErrorInit) => PicketPuidError;
  /**
   * Whether repeating the request after it may have reached the server (a 5xx, a timeout) is
   * safe: it is for reads, not for a call that spends quota or mints something.
   */
  idempotent: (request: Request) => boolean;
  /** The API's own wait hint from a parsed error body (PUID's `retryAfterMs`), if it has one. */
  bodyRetryHint?: ((body: unknown) => number | null) | undefined;
  /** Called before each wait, for logs and tests. */
  onRetry?: ((event: { attempt: number; delayMs: number; status: number | null }) => void) | undefined;
  /**
   * Wait for this request's turn before each attempt (rate pacing), and return what to call
   * when its answer starts to arrive or the attempt ends; `undefined` where pacing does not apply.
   */
  pace?: ((request: Request, signal: AbortSignal | undefined) => Promise<(() => void) | undefined>) | undefined;
  /**
   * Credential headers for each attempt, got under the call's signal (an OAuth token that may
   * need renewing first). Static credentials are added by the client's middleware instead.
   */
  authorize?: ((signal: AbortSignal | undefined) => Promise<Record<string, string>>) | undefined;
  /**
   * After a 401 to `sent` (the request as it went out): fresh credential headers to replay it
   * with once (a renewed OAuth token), or `null` when renewing cannot help (an API key).
   */
  reauthorize?: ((request: Request) => Promise<Record<string, string> | null>) | undefined;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "cookie", "proxy-authorization"];
const MAX_REDIRECTS = 5;

/** Thrown inside an attempt when its own timer, not the caller, ended it. */
class Timeout extends Error {}
/** A redirect that cannot be followed safely: its target is hidden (browsers), or it would carry the body to another origin. */
class RedirectRefused extends Error {}

/**
 * Build the `fetch` that openapi-fetch sends through: it gives each attempt a timeout covering
 * connect, headers and the whole body; retries what is safe to retry; honours the caller's
 * signal at every stage; follows redirects itself so credentials never reach another origin;
 * and turns every failure into the API's error class.
 */
export function createTransport(config: TransportConfig, defaults: RequestOptions = {}) {
  checkOptions(config, defaults);
  return function forCall(given?: RequestOptions): Fetch {
    const call = given ?? {};
    checkOptions(config, call);
    const options = { ...defaults, ...definedOnly(call) };
    const settings = {
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      send: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
    };
    const signals = [defaults.signal, call.signal].filter((signal): signal is AbortSignal => signal !== undefined);

    return async function transport(request: Request): Promise<Response> {
      // Only a caller's signal needs linking; most calls have none and pay nothing for it.
      const link = signals.length > 0 ? linkSignals(signals) : null;
      try {
        return await attempts(config, request, { ...settings, signal: link?.controller.signal });
      } finally {
        link?.dispose();
      }
    };
  };
}

interface CallSettings {
  send: Fetch;
  timeout: number;
  maxRetries: number;
  /** Aborts when the caller's signal (client-wide or for this call) does; none when neither gave one. */
  signal: AbortSignal | undefined;
}

/**
 * What every attempt of a request is built from. The body is read once as bytes, so each
 * attempt (and each redirect) sends a fresh request without cloning streams.
 */
interface Template {
  url: string;
  method: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

function build(template: Template, signal: AbortSignal | undefined): Request {
  const { url, method, headers, body } = template;
  return new Request(url, { method, headers, body, redirect: "manual", ...(signal ? { signal } : {}) });
}

/** Every attempt of one call: pacing, credentials, the attempt, the 401 replay, the retry waits. */
async function attempts(config: TransportConfig, request: Request, call: CallSettings): Promise<Response> {
  const { signal, maxRetries } = call;
  const template: Template = {
    url: request.url,
    method: request.method,
    headers: new Headers(request.headers),
    body: request.body ? await request.arrayBuffer() : null,
  };
  const stopped = (error: unknown) => (signal?.aborted ? aborted(config, signal) : error);
  let replayed = false;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw aborted(config, signal);
    let outgoing = build(template, undefined);
    const release = config.pace ? await config.pace(outgoing, signal).catch((e: unknown) => Promise.reject(stopped(e))) : undefined;
    let response: Response | null = null;
    let failure: PicketPuidError | null = null;
    try {
      if (config.authorize) {
        const headers = await abortable(config.authorize(signal), signal);
        outgoing = build({ ...template, headers: withHeaders(template.headers, headers) }, undefined);
      }
      response = await attemptOnce(config, outgoing, template.body, call, release);
    } catch (error) {
      failure = classify(config, error, signal, call.timeout);
      if (failure.code === "aborted") throw failure;
    } finally {
      release?.();
    }
    if (response?.status === 401 && !replayed && config.reauthorize) {
      // One renewed credential and one replay, which counts as no retry; a second 401 is final.
      const headers = await abortable(config.reauthorize(outgoing), signal).catch((e: unknown) => Promise.reject(stopped(e)));
      if (headers) {
        replayed = true;
        template.headers = withHeaders(template.headers, headers);
        attempt--;
        continue;
      }
    }
    const retry = attempt < maxRetries ? await retryDelay(config, outgoing, { response, failure }, attempt) : null;
    if (retry === null) {
      if (failure) throw failure;
      return response!;
    }
    config.onRetry?.({ attempt: attempt + 1, delayMs: retry, status: response?.status ?? null });
    await sleep(retry, signal).catch((e: unknown) => Promise.reject(stopped(e)));
  }
}

function withHeaders(base: Headers, extra: Record<string, string>): Headers {
  const headers = new Headers(base);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** Refuse option values that cannot work, before any request. */
function checkOptions(config: TransportConfig, options: RequestOptions): void {
  const problem = (message: string) => config.makeError({ status: null, code: "invalid_option", message });
  const { timeout, maxRetries, signal, fetch, headers } = options ?? {};
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && timeout <= 2_147_483_647)) {
    throw problem(`timeout must be a number of milliseconds from 1 to 2147483647; got ${describeValue(timeout)}.`);
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    throw problem(`maxRetries must be an integer from 0 to 10; got ${describeValue(maxRetries)}.`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw problem("signal must be an AbortSignal.");
  if (fetch !== undefined && typeof fetch !== "function") throw problem("fetch must be a function.");
  if (headers !== undefined && !validHeaders(headers)) {
    throw problem("headers must be an object of header names to string values (no line breaks).");
  }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
function validHeaders(headers: unknown): boolean {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return false;
  return Object.entries(headers).every(([name, value]) => TOKEN.test(name) && typeof value === "string" && FIELD_VALUE.test(value));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * One attempt: send, follow same-origin redirects, and read the whole body, all under one timer.
 * Each step races the signal, so a `fetch` that ignores `Request.signal` cannot outlast it.
 */
async function attemptOnce(config: TransportConfig, request: Request, body: ArrayBuffer | null, call: CallSettings, answered?: () => void): Promise<Response> {
  const link = call.signal ? linkSignals([call.signal]) : null;
  const controller = link?.controller ?? new AbortController();
  const timer = setTimeout(() => controller.abort(new Timeout()), call.timeout);
  const signal = controller.signal;
  try {
    let current = new Request(request, { signal });
    for (let hops = 0; ; hops++) {
      const response = await abortable(call.send(current), signal);
      answered?.();
      if (response.type === "opaqueredirect") throw new RedirectRefused("this runtime hides where it leads, so a change of origin cannot be checked");
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location && hops < MAX_REDIRECTS) {
        await response.body?.cancel().catch(() => undefined);
        current = redirected(current, body, response.status, new URL(location, current.url), signal);
        continue;
      }
      // Reading the body inside the timer is what bounds a server that sends headers and stalls.
      const data = NULL_BODY_STATUSES.has(response.status) ? null : await abortable(response.arrayBuffer(), signal);
      if (response.ok && data && data.byteLength > 0) assertJson(data, response, config);
      return new Response(data && data.byteLength > 0 ? data : null, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  } catch (error) {
    // However the runtime reports an abort, our own timer firing first makes it a timeout.
    if (signal.reason instanceof Timeout && !call.signal?.aborted) throw new Timeout("timeout", { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    link?.dispose();
  }
}

/**
 * Both APIs answer every success with JSON: anything else (a captive portal's HTML, a truncated
 * body) is reported as `invalid_response` with its status, before openapi-fetch would trip on it.
 */
function assertJson(body: ArrayBuffer, response: Response, config: TransportConfig): void {
  const text = new TextDecoder().decode(body);
  try {
    if (!/json/i.test(response.headers.get("content-type") ?? "")) throw new SyntaxError(`content-type is ${response.headers.get("content-type") ?? "missing"}`);
    JSON.parse(text);
  } catch (error) {
    throw config.makeError({
      status: response.status,
      code: "invalid_response",
      message: `The server answered HTTP ${response.status} with a body that is not JSON.`,
      headers: response.headers,
      body: text.slice(0, 1_000),
      cause: error,
    });
  }
}

/**
 * The next request of a redirect: credentials only go to the same origin; 303 (and 301/302 of a
 * POST) become GET. A body is never sent to another origin — it may hold a client secret or a
 * signature — so a cross-origin redirect that would keep it is refused.
 */
function redirected(previous: Request, body: ArrayBuffer | null, status: number, target: URL, signal: AbortSignal): Request {
  const headers = new Headers(previous.headers);
  const crossOrigin = target.origin !== new URL(previous.url).origin;
  if (crossOrigin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === "POST");
  if (crossOrigin && !toGet && body !== null) throw new RedirectRefused(`a ${status} to ${target.origin} would resend the request body there`);
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
  }
  return new Request(target, { method: toGet ? "GET" : previous.method, headers, body: toGet ? null : body, signal, redirect: "manual" });
}

/** Milliseconds to wait before retry number `attempt + 1`, or `null` when this outcome is final. */
async function retryDelay(
  config: TransportConfig,
  request: Request,
  outcome: { response: Response | null; failure: PicketPuidError | null },
  attempt: number,
): Promise<number | null> {
  const { response, failure } = outcome;
  if (failure) {
    // A request that never reached the server (no connection could be made) is always repeated.
    // Anything later — a reset, a timeout — may have been processed, so only a request that is
    // safe to repeat is tried again.
    const again =
      (failure.code === "network_error" && (neverConnected(failure.cause) || config.idempotent(request))) ||
      (failure.code === "timeout" && config.idempotent(request));
    return again ? backoffMs(attempt) : null;
  }
  if (!response || !RETRY_STATUSES.has(response.status)) return null;
  // 408 and 429 mean the server refused the request before doing anything; a 5xx may be half done.
  if (response.status >= 500 && !config.idempotent(request)) return null;
  const bodyHint = config.bodyRetryHint?.(await readJson(response)) ?? null;
  const hint = retryAfterMs(response.headers, bodyHint);
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

/** The JSON body of a buffered response, without consuming it; `undefined` if it is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.clone().text());
  } catch {
    return undefined;
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
    return config.makeError({
      status: null,
      code: "redirect_refused",
      message: `The server redirected and the redirect was not followed: ${error.message}.`,
    });
  }
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : describeValue(error);
  return config.makeError({ status: null, code: "network_error", message: `The request could not be completed: ${detail}`, cause: error });
}
