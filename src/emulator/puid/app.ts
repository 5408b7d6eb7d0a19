/** The Hono app: the server's routes (§1), its CSRF gate (§14), and its answers for everything else. */
import { Hono } from "hono";
import type { Env, State } from "./context.js";
import { apiNotFound, csrfRefusal, internalError, json, siteNotFound } from "./http.js";
import { authorize, metadata, register, token } from "./oauth.js";
import { describeApi } from "./openapi.js";
import { ids, ordinal, quota } from "./v1.js";
import { toYaml } from "./yaml.js";

/**
 * The router's path: trailing slashes stripped before matching (§1), and still percent-encoded,
 * so `/v1/ordinal/{x}` decodes its segment itself, as the server does.
 */
const routedPath = (request: Request): string => new URL(request.url).pathname.replace(/\/+$/, "") || "/";

const isApiPath = (path: string): boolean => path === "/api" || path.startsWith("/api/");

/** The fetch handler of one emulator over `state`. */
export function createApp(state: State): Hono<Env> {
  const app = new Hono<Env>({ getPath: routedPath });

  // One instant per request, for every decision in it; and one log entry per request, whatever answered.
  app.use(async (c, next) => {
    const at = state.now();
    c.set("at", at);
    await next();
    const { pathname, search } = new URL(c.req.url);
    state.log.push(
      Object.freeze({
        at,
        method: c.req.method,
        path: pathname + search,
        status: c.res.status,
        account: c.get("account") ?? null,
        ids: Object.freeze(c.get("ids") ?? []),
      }),
    );
  });
  // SvelteKit's gate runs before the router sees anything (§14); `vite dev` has none.
  app.use(async (c, next) => {
    const refusal = state.csrf ? csrfRefusal(c.req.raw) : null;
    if (refusal) return refusal;
    await next();
  });

  // The method is not checked on /v1 and on discovery (§1, §14); the OAuth writes are POST only.
  app.all("/api/v1/ids", ids(state));
  app.all("/api/v1/ordinal/:puid{.+}", ordinal(state));
  app.all("/api/v1/quota", quota(state));
  app.post("/api/oauth/token", token(state));
  app.post("/api/oauth/register", register(state));
  app.all("/api/.well-known/oauth-authorization-server", metadata());
  app.get("/api/openapi.json", (c) => json(describeApi(new URL(c.req.url).origin)));
  app.get("/api/openapi.yaml", (c) => new Response(toYaml(describeApi(new URL(c.req.url).origin)), { headers: { "content-type": "application/yaml" } }));
  app.get("/oauth/authorize", authorize(state));

  app.notFound((c) => (isApiPath(c.req.path) ? apiNotFound() : siteNotFound()));
  app.onError((_error, c) => internalError(c.req.raw));
  return app;
}
