/**
 * One attempt of a request, in the order it happens: fetch → follow redirects → read the body,
 * all under one timer, so a server that sends headers and then stalls cannot hang a call.
 *
 * Every attempt hands `fetch` an `AbortSignal`: a timed-out request must really end, or a script
 * could not exit until the server answered, and a request held up on its way could still reach
 * the server (spending quota, breaking the pace) after the caller was told it timed out.
 */
import { readBody, toReply, type Race, type Reply } from "./body.js";
import { Reached, Timeout } from "./failure.js";
import type { Fetch, Settings } from "./options.js";
import { MAX_REDIRECTS, redirected, RedirectRefused } from "./redirect.js";
import type { TransportConfig } from "./transport.js";

/** One request as the transport sends it; every attempt (and every redirect) is built afresh from it. */
export interface Outgoing {
  method: string;
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string | ArrayBuffer | null | undefined;
}

const noop = () => undefined;

/**
 * Run one attempt. Each step races the timer and the caller's signal, so a `fetch` that ignores
 * its signal, or was given none, cannot outlast either. `answered` is called when the first
 * answer starts to arrive (for rate pacing).
 */
export async function attempt(
  config: Pick<TransportConfig, "allowInsecureHttp">,
  request: Outgoing,
  settings: Settings,
  signal: AbortSignal | undefined,
  answered?: () => void,
): Promise<Reply> {
  // The timer and the caller's signal both end the attempt through one controller. The platform's
  // `fetch` rejects, and errors the body, once its signal aborts; a `fetch` given by the caller
  // may ignore its signal, so then every wait also races the end of the attempt.
  const controller = new AbortController();
  let end: ((reason: unknown) => void) | undefined;
  let ended: Promise<never> | undefined;
  if (settings.fetch) {
    ended = new Promise<never>((_, reject) => (end = reject));
    ended.catch(noop);
  }
  const race: Race = (step) => (ended ? Promise.race([step, ended]) : step);
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
  // What to free if the attempt fails: a `fetch` not yet answered, a body being read. And whether
  // a hop was answered already: after that, a failure may come after the server acted.
  let pending: Promise<Response> | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let hops = 0;
  try {
    // 1. Fetch, following redirects until an answer that is not one.
    let response: Response;
    for (let current = request; ; hops++) {
      pending = fetchOnce(settings.fetch, current, controller.signal);
      response = await race(pending);
      pending = null;
      answered?.();
      if (response.type === "opaqueredirect") throw new RedirectRefused("this runtime hides where it leads, so a change of origin cannot be checked");
      const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
      if (!location || hops >= MAX_REDIRECTS) break;
      response.body?.cancel().catch(noop);
      current = redirected(current, response.status, new URL(location, current.url), config.allowInsecureHttp);
    }
    // 2. Read the whole body, under the size limit and inside the timer: the timer is what
    //    bounds a server that sends headers and stalls, the limit one that never stops sending.
    const bytes = await readBody(response, race, settings.maxResponseBytes, (r) => (reader = r));
    reader = undefined;
    return toReply(response, bytes);
  } catch (error) {
    // Close the connection: a body left unread (too large, or the attempt ended) must not go on
    // arriving, and a request still on its way must not arrive.
    controller.abort();
    reader?.cancel().catch(noop);
    // A custom `fetch` may ignore its signal: whatever it answers later is not read, so free it.
    pending?.then((late) => late?.body?.cancel().catch(noop)).catch(noop);
    // However the runtime reports an abort, our own timer firing first makes it a timeout.
    if (expired && !signal?.aborted) throw new Timeout("timeout", { cause: error });
    if (hops > 0 && pending) throw new Reached("a redirect was followed, then failed", { cause: error });
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
