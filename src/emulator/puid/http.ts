/**
 * The answers that do not belong to one route: the JSON shape of every router answer, the API's
 * 404, the 500 of an unhandled exception, and SvelteKit's CSRF gate in front of everything.
 */

/** Every JSON answer of the router: `Cache-Control: no-store`, plus any extra headers (§1 "Response headers"). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Any path under `/api` that matches no route (§1, §6). */
export const apiNotFound = (): Response => json({ error: "not_found", api: true }, 404);

/**
 * A site path outside the API. The real site renders a SvelteKit page there; the emulator has
 * no pages, so it answers a plain 404 (our choice; the reference says nothing about these pages).
 */
export const siteNotFound = (): Response => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain;charset=UTF-8" } });

/**
 * An exception the router does not catch (§14 "Undocumented 500s": a malformed percent-escape in
 * `/v1/ordinal/{x}`, a token request that is neither JSON nor a form, a JSON `null` body). The
 * reference gives the status only; the body is our choice, modelled on SvelteKit's default for an
 * unexpected error: `{"message":"Internal Error"}` when the client prefers JSON, else a small page.
 */
export function internalError(request: Request): Response {
  if (prefersJson(request.headers.get("accept") ?? "text/html")) return Response.json({ message: "Internal Error" }, { status: 500 });
  const page = "<!doctype html><html><head><title>500</title></head><body><h1>500</h1><p>Internal Error</p></body></html>";
  return new Response(page, { status: 500, headers: { "content-type": "text/html;charset=UTF-8" } });
}

/** Whether `accept` ranks `application/json` at least as high as `text/html`. */
const prefersJson = (accept: string): boolean => {
  const json = rank(accept, "application/json");
  return json > 0 && json >= rank(accept, "text/html");
};

/** The q-value that `accept` gives `type`: that of the most specific range matching it (RFC 9110 §12.5.1), 0 if none. */
function rank(accept: string, type: string): number {
  let specificity = -1;
  let q = 0;
  for (const part of accept.split(",")) {
    const [range = "", ...params] = part.split(";").map((text) => text.trim().toLowerCase());
    const level = range === type ? 2 : range === `${type.split("/")[0]}/*` ? 1 : range === "*/*" ? 0 : -1;
    if (level <= specificity) continue;
    const given = params.find((param) => param.startsWith("q="));
    [specificity, q] = [level, given === undefined ? 1 : Number(given.slice(2)) || 0];
  }
  return q;
}

const GUARDED_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/**
 * SvelteKit's production CSRF gate (`csrf.checkOrigin`, §14), which runs before the router: a
 * POST/PUT/PATCH/DELETE with a form-like Content-Type and an `Origin` other than the request's own
 * is refused with 403. The body is JSON only when `Accept` is exactly `application/json`.
 * Returns `null` when the request may pass.
 */
export function csrfRefusal(request: Request): Response | null {
  if (!GUARDED_METHODS.has(request.method)) return null;
  const type = (request.headers.get("content-type") ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(type)) return null;
  if (request.headers.get("origin") === new URL(request.url).origin) return null;
  const message = `Cross-site ${request.method} form submissions are forbidden`;
  if (request.headers.get("accept") === "application/json") return Response.json({ message }, { status: 403 });
  return new Response(message, { status: 403, headers: { "content-type": "text/plain;charset=UTF-8" } });
}
