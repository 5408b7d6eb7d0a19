/**
 * Redirects are followed by the client, not by `fetch`, so that what is sent where can be
 * decided: credentials only go to the same origin, and a body never goes to another origin.
 */
import type { Outgoing } from "./attempt.js";
import { refusedTarget } from "./endpoint.js";
import { CREDENTIAL_HEADERS } from "./headers.js";

/** How many redirects one attempt follows before it takes the last answer as it is. */
export const MAX_REDIRECTS = 5;

/** A redirect that cannot be followed safely: its target is hidden (browsers), or it would carry the body to another origin. */
export class RedirectRefused extends Error {}

/**
 * The next request of a redirect: only to http(s) URLs that pass the endpoint check (a `data:`
 * URL would let a server forge an answer; plain http to another host would expose the request);
 * credentials only go to the same origin; 303 (and 301/302 of a POST) become GET. A body is
 * never sent to another origin — it may hold a client secret or a signature — so a cross-origin
 * redirect that would keep it is refused.
 */
export function redirected(previous: Outgoing, status: number, target: URL, allowInsecureHttp: boolean | undefined): Outgoing {
  const refused = refusedTarget(target, allowInsecureHttp);
  if (refused) throw new RedirectRefused(`a ${status} to ${target.origin === "null" ? `a ${target.protocol} URL` : target.origin}, where ${refused}`);
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
