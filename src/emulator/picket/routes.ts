/**
 * The emulator's Hono app: the documented operations under `/api/v1` and nothing else. Every
 * refusal, an unknown path and an unexpected error alike, leaves as Picket's `{msg, code?}` JSON
 * (reference §6.1); Hono's own plain-text 404 and 500 never answer.
 */
import { Hono, type Context } from "hono";
import { authenticate, type KeyKind } from "./api-keys.js";
import { authenticate as logIn, authorize, createNonce, validate } from "./auth-routes.js";
import { getChain, listChains, tokenOwnership } from "./chain-routes.js";
import { notFound, PicketFailure } from "./failure.js";
import { json } from "./http.js";
import { authorizeOAuth } from "./oauth-authorize.js";
import { exchangeToken } from "./oauth-token.js";
import type { EmulatorState } from "./state.js";

/** Where the API lives under the origin, as on picketapi.com (§1). */
export const BASE_PATH = "/api/v1";

/** The app for one emulator's state. */
export function createApp(state: EmulatorState): Hono {
  const app = new Hono().basePath(BASE_PATH);
  // Every operation but the browser's authorize and the token exchange takes an API key (§2.3).
  const key = (c: Context): KeyKind => authenticate(state.keys, c.req.header("authorization"));

  app.post("/auth/nonce", (c) => (key(c), createNonce(state, c.req.raw)));
  app.post("/auth", (c) => (key(c), logIn(state, c.req.raw)));
  app.post("/authz", (c) => (key(c), authorize(state, c.req.raw)));
  app.post("/auth/validate", (c) => (key(c), validate(state, c.req.raw)));
  app.get("/chains", (c) => (key(c), listChains()));
  app.get("/chains/:chain", (c) => (key(c), getChain(c.req.param("chain"))));
  app.post("/chains/:chain/wallets/:walletAddress/tokenOwnership", (c) =>
    tokenOwnership(state, c.req.raw, key(c), c.req.param("chain"), c.req.param("walletAddress")),
  );
  app.get("/oauth2/authorize", (c) => authorizeOAuth(state, new URL(c.req.url)));
  app.post("/oauth2/token", (c) => exchangeToken(state, c.req.raw));

  app.notFound((c) => {
    const failure = notFound(`no such operation: ${c.req.method} ${new URL(c.req.url).pathname}`);
    return json(failure.body(), failure.status);
  });
  app.onError((error) => {
    if (error instanceof PicketFailure) return json(error.body(), error.status);
    return json({ msg: `emulator internal error: ${error instanceof Error ? error.message : String(error)}` }, 500);
  });
  return app;
}
