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
  /** Wait for this request's turn before each attempt (rate pacing); resolve at once where it does not apply. */
  pace?: ((request: Request, signal: AbortSignal | undefined) => Promise<void>) | undefined;
  /**
   * After a 401: fresh credential headers to replay the request with once (a renewed OAuth
   * token), or `null` when renewing cannot help (an API key).
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
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    const signals = [defaults.signal, call.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];

    return async function transport(request: Request): Promise<Response> {
      // Keep an untouched copy: each attempt sends a fresh clone, since a body can be read once.
      const template = request.clone();
      let replayed = false;
      for (let attempt = 0; ; attempt++) {
        if (signal?.aborted) throw aborted(config, signal);
        if (config.pace) await config.pace(template, signal).catch((error: unknown) => {
          throw signal?.aborted ? aborted(config, signal) : error;
        });
        let response: Response | null = null;
        let failure: PicketPuidError | null = null;
        try {
          response = await attemptOnce(config, send, template.clone(), timeout, signal);
        } catch (error) {
          failure = classify(config, error, signal, timeout);
          if (failure.code === "aborted") throw failure;
        }
        if (response?.status === 401 && !replayed && config.reauthorize) {
          // One renewed credential and one replay, which counts as no retry; a second 401 is final.
          const headers = await config.reauthorize(template);
          if (headers) {
            replayed = true;
            for (const [name, value] of Object.entries(headers)) template.headers.set(name, value);
            attempt--;
            continue;
          }
        }
        const retry = attempt < maxRetries ? await retryDelay(config, template, { response, failure }, attempt) : null;
        if (retry === null) {
          if (failure) throw failure;
          return response!;
        }
        config.onRetry?.({ attempt: attempt + 1, delayMs: retry, status: response?.status ?? null });
        await sleep(retry, signal, config);
      }
    };
  };
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
  if (headers !== undefined && (typeof headers !== "object" || headers === null)) throw problem("headers must be an object of strings.");
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One attempt: send, follow same-origin redirects, and read the whole body, all under one timer. */
async function attemptOnce(
  config: TransportConfig,
  send: Fetch,
  request: Request,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Timeout()), timeout);
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  try {
    let current = new Request(request, { signal: combined, redirect: "manual" });
    for (let hops = 0; ; hops++) {
      const response = await send(current.clone());
      if (response.type === "opaqueredirect") throw new RedirectRefused("this runtime hides where it leads, so a change of origin cannot be checked");
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location && hops < MAX_REDIRECTS) {
        await response.body?.cancel().catch(() => undefined);
        current = redirected(current, response.status, new URL(location, current.url), combined);
        continue;
      }
      // Reading the body inside the timer is what bounds a server that sends headers and stalls.
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      if (response.ok && body && body.byteLength > 0) assertJson(body, response, config);
      return new Response(body && body.byteLength > 0 ? body : null, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  } catch (error) {
    // However the runtime reports an abort, our own timer firing first makes it a timeout.
    if (controller.signal.aborted && !signal?.aborted) throw new Timeout("timeout", { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
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
function redirected(previous: Request, status: number, target: URL, signal: AbortSignal): Request {
  const headers = new Headers(previous.headers);
  const crossOrigin = target.origin !== new URL(previous.url).origin;
  if (crossOrigin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === "POST");
  if (crossOrigin && !toGet && previous.body !== null) throw new RedirectRefused(`a ${status} to ${target.origin} would resend the request body there`);
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
  }
  return new Request(target, {
    method: toGet ? "GET" : previous.method,
    headers,
    body: toGet ? null : previous.body,
    signal,
    redirect: "manual",
    ...(toGet || !previous.body ? {} : { duplex: "half" }),
  } as RequestInit);
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

/** Wait, unless the caller's signal ends the call first. */
function sleep(ms: number, signal: AbortSignal | undefined, config: TransportConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(config, signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(config, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
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
