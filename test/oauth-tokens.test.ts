// OAuth tokens: how the facade gets them (client credentials, authorization code with PKCE,
// refresh), sends the token request, renews a token before it expires or once after a 401 — one
// token request however many calls need it — and refuses a token or scope without puid:generate.
import { describe, expect, test } from "vitest";
import { Puid, PuidError } from "../src/puid/index.js";
import { json, quota, server } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";

describe("OAuth token lifecycle", () => {
  /** A token endpoint that mints tok1, tok2, ...; `accepts` decides which tokens /v1/* takes. */
  async function oauthServer(opts: { expiresIn?: number; accepts: (token: string) => boolean; tokenDelayMs?: number; scope?: string }) {
    let minted = 0;
    const tokenRequests: Record<string, string>[] = [];
    const s = await server((req, res, body) => {
      if (req.url === "/oauth/token") {
        tokenRequests.push(JSON.parse(body) as Record<string, string>);
        const token = `tok${++minted}`;
        setTimeout(() => json(res, 200, { access_token: token, token_type: "Bearer", expires_in: opts.expiresIn ?? 3600, scope: opts.scope ?? "puid:generate" }), opts.tokenDelayMs ?? 0);
        return;
      }
      const token = (req.headers.authorization ?? "").replace("Bearer ", "");
      if (opts.accepts(token)) json(res, 200, quota);
      else json(res, 401, { error: "unauthorized", message: "Send X-API-Key or a Bearer token." });
    });
    return { s, tokenRequests, quotaRequests: () => s.requests.filter((r) => r.url === "/v1/quota") };
  }
  const creds = { clientId: "client_abc", clientSecret: "secret_xyz" };

  test("an expired token (401) then success after exactly one refresh and one replay", async () => {
    const { s, tokenRequests, quotaRequests } = await oauthServer({ accepts: (t) => t === "tok2" });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    expect(await puid.quota()).toEqual(quota);
    expect(tokenRequests).toHaveLength(2);
    expect(quotaRequests().map((r) => r.headers.authorization)).toEqual(["Bearer tok1", "Bearer tok2"]);
  });

  test("a token the server never takes: one refresh, one replay, then the 401 — no loop", async () => {
    const { s, tokenRequests, quotaRequests } = await oauthServer({ accepts: () => false });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    const error = await rejection(PuidError, puid.quota());
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(tokenRequests).toHaveLength(2);
    expect(quotaRequests()).toHaveLength(2);
  });

  test("20 concurrent calls after expiry share exactly one token request", async () => {
    const { s, tokenRequests } = await oauthServer({ expiresIn: 1, accepts: () => true, tokenDelayMs: 50 });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    expect(tokenRequests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_100));
    const results = await Promise.all(Array.from({ length: 20 }, () => puid.quota()));
    expect(results).toHaveLength(20);
    expect(tokenRequests).toHaveLength(2);
  });

  test("20 concurrent 401s share one forced refresh", async () => {
    const { s, tokenRequests, quotaRequests } = await oauthServer({ accepts: (t) => t !== "tok1", tokenDelayMs: 50 });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    await Promise.all(Array.from({ length: 20 }, () => puid.quota()));
    expect(tokenRequests).toHaveLength(2);
    expect(quotaRequests()).toHaveLength(40);
  });

  test("the token is renewed ahead of its expiry, so no call is refused", async () => {
    const { s, tokenRequests, quotaRequests } = await oauthServer({ expiresIn: 2, accepts: (t) => t !== "tok1" || Date.now() < expiry });
    let expiry = Infinity;
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    expiry = Date.now() + 2_000;
    await new Promise((r) => setTimeout(r, 1_850)); // inside the last tenth of its life
    await puid.quota();
    expect(tokenRequests).toHaveLength(2);
    expect(quotaRequests().map((r) => r.headers.authorization)).toEqual(["Bearer tok2"]);
  });

  test("the token request is JSON with the credentials in the body (client_secret_post), no Authorization", async () => {
    const { s, tokenRequests } = await oauthServer({ accepts: () => true });
    await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    expect(tokenRequests[0]).toEqual({ grant_type: "client_credentials", client_id: "client_abc", client_secret: "secret_xyz", scope: "puid:generate" });
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(s.requests[0]!.headers.authorization).toBeUndefined();
  });

  test("a token granted without puid:generate is refused when it is obtained: no client, one token request", async () => {
    const { s, tokenRequests } = await oauthServer({ accepts: () => true, scope: "puid:ordinal" });
    const error = await rejection(PuidError, Puid.fromClientCredentials({ ...creds, endpoint: s.url }));
    expect(error).toMatchObject({ status: 200, code: "insufficient_scope" });
    expect(error.message).not.toContain("tok1");
    expect(tokenRequests).toHaveLength(1);
    expect(s.requests).toHaveLength(1);
  });

  test("a scope without puid:generate is refused before any request", async () => {
    const { s } = await oauthServer({ accepts: () => true });
    for (const scope of ["puid:ordinal", "", "puid:generated"]) {
      const error = await rejection(PuidError, Puid.fromClientCredentials({ ...creds, scope, endpoint: s.url }));
      expect(error).toMatchObject({ status: null });
      expect(["insufficient_scope", "invalid_scope"]).toContain(error.code);
    }
    expect(await rejection(PuidError, Puid.authorizationUrl({ clientId: "client_abc", redirectUri: "https://app.example/cb", scope: "puid:ordinal" }))).toMatchObject({ code: "insufficient_scope" });
    expect(s.requests).toHaveLength(0);
  });

  test("no call mints more than one token: a 401 to a token just minted is final", async () => {
    // Every token expires at once and the server refuses them all: each call renews once
    // (the token is stale), gets a 401 for the fresh token, and stops there.
    const { s, tokenRequests, quotaRequests } = await oauthServer({ expiresIn: 0, accepts: () => false });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    expect(tokenRequests).toHaveLength(1);
    for (let call = 1; call <= 3; call++) {
      expect(await rejection(PuidError, puid.quota())).toMatchObject({ status: 401, code: "unauthorized" });
      expect(tokenRequests).toHaveLength(1 + call);
      expect(quotaRequests()).toHaveLength(call);
    }
  });

  test("every OAuth flow works behind a production-style CSRF gate that refuses form bodies without a same-origin Origin", async () => {
    // As puid.dev does in production: a POST with a form or text body and no same-origin Origin
    // gets 403 before the OAuth code runs; JSON passes.
    let minted = 0;
    const s = await server((req, res, body) => {
      const type = req.headers["content-type"] ?? "";
      const origin = `http://${req.headers.host}`;
      if (req.method === "POST" && /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/.test(type) && req.headers.origin !== origin) {
        res.writeHead(403, { "content-type": "text/plain" });
        return res.end("Cross-site POST form submissions are forbidden");
      }
      if (req.url === "/oauth/register") return json(res, 200, { client_id: "client_abc", client_secret: "secret_xyz", redirect_uris: JSON.parse(body).redirect_uris, grant_types: [], scopes_supported: [] });
      if (req.url === "/oauth/token") {
        const grant = JSON.parse(body) as Record<string, string>;
        const refresh = grant.grant_type === "client_credentials" ? {} : { refresh_token: `rt${minted + 1}` };
        return json(res, 200, { access_token: `tok${++minted}`, token_type: "Bearer", expires_in: grant.grant_type === "authorization_code" ? 0 : 3600, scope: "puid:generate", ...refresh });
      }
      json(res, 200, quota);
    });
    const registered = await Puid.registerClient({ redirectUris: ["https://app.example/cb"], endpoint: s.url });
    const app = await Puid.fromClientCredentials({ clientId: registered.client_id, clientSecret: registered.client_secret, endpoint: s.url });
    expect(await app.quota()).toEqual(quota);
    const { codeVerifier } = await Puid.authorizationUrl({ clientId: "client_abc", redirectUri: "https://app.example/cb", endpoint: s.url });
    const user = await Puid.fromAuthorizationCode({ clientId: "client_abc", code: "code_1", codeVerifier, redirectUri: "https://app.example/cb", endpoint: s.url });
    expect(await user.quota()).toEqual(quota); // its first token had expired: renewed with the refresh token
    const posts = s.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => JSON.parse(r.body).grant_type ?? "register")).toEqual(["register", "client_credentials", "authorization_code", "refresh_token"]);
    expect(posts.every((r) => r.headers["content-type"] === "application/json")).toBe(true);
  });

  test("authorization code with PKCE, then the refresh token when the access token expires", async () => {
    const verifiers: string[] = [];
    let minted = 0;
    const s = await server((req, res, body) => {
      const form = new Map(Object.entries(req.url === "/oauth/token" ? (JSON.parse(body) as Record<string, string>) : {}));
      if (req.url === "/oauth/token" && form.get("grant_type") === "authorization_code") {
        verifiers.push(form.get("code_verifier")!);
        return json(res, 200, { access_token: `at${++minted}`, token_type: "Bearer", expires_in: 1, scope: "puid:generate", refresh_token: "rt1" });
      }
      if (req.url === "/oauth/token" && form.get("grant_type") === "refresh_token" && form.get("refresh_token") === "rt1") {
        return json(res, 200, { access_token: `at${++minted}`, token_type: "Bearer", expires_in: 3600, scope: "puid:generate", refresh_token: "rt2" });
      }
      if (req.url === "/oauth/token") return json(res, 400, { error: "invalid_grant" });
      json(res, 200, quota);
    });
    const { url, codeVerifier, state } = await Puid.authorizationUrl({ clientId: "client_abc", redirectUri: "https://app.example/cb", endpoint: `${s.url}/api` });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(`${s.url}/oauth/authorize`);
    expect(parsed.searchParams.get("state")).toBe(state);
    expect(parsed.searchParams.get("code_challenge_method")).toBe("S256");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier)));
    expect(parsed.searchParams.get("code_challenge")).toBe(Buffer.from(digest).toString("base64url"));
    expect(codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);

    const puid = await Puid.fromAuthorizationCode({ clientId: "client_abc", code: "code_1", codeVerifier, redirectUri: "https://app.example/cb", endpoint: s.url });
    expect(verifiers).toEqual([codeVerifier]);
    await new Promise((r) => setTimeout(r, 1_000));
    await puid.quota();
    const last = s.requests.at(-1)!;
    expect(last.headers.authorization).toBe("Bearer at2");
    expect(JSON.parse(s.requests.at(-2)!.body).grant_type).toBe("refresh_token");
  });

  test("a refresh answer without a refresh token keeps the old one", async () => {
    const grants: string[] = [];
    let minted = 0;
    const s = await server((req, res, body) => {
      if (req.url !== "/oauth/token") return json(res, 200, quota);
      const grant = JSON.parse(body) as Record<string, string>;
      grants.push(`${grant.grant_type}:${grant.refresh_token ?? ""}`);
      const refresh = grant.grant_type === "authorization_code" ? { refresh_token: "rt_original" } : {};
      json(res, 200, { access_token: `at${++minted}`, token_type: "Bearer", expires_in: 1, scope: "puid:generate", ...refresh });
    });
    const puid = await Puid.fromAuthorizationCode({ clientId: "client_abc", code: "c", codeVerifier: "v".repeat(43), redirectUri: "https://app.example/cb", endpoint: s.url });
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await puid.quota();
    }
    expect(grants).toEqual(["authorization_code:", "refresh_token:rt_original", "refresh_token:rt_original"]);
  });
});
