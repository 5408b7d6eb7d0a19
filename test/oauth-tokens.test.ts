// OAuth tokens against a token endpoint that misbehaves on purpose: a token the server never takes,
// a 401 to a token just minted, a grant without puid:generate, a refresh answer without a refresh
// token; and the form of the token request. How tokens are renewed ahead of expiry and after a
// 401, shared by concurrent calls and refreshed with the code flow's refresh token is tested
// against the emulator (test/emulator.puid.token-renewal.test.ts, test/emulator.puid.oauth.test.ts,
// test/emulator.puid.csrf.test.ts).
import { describe, expect, test } from "vitest";
import { encodePuid, Puid, PuidError } from "../src/puid/index.js";
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
        setTimeout(
          () => json(res, 200, { access_token: token, token_type: "Bearer", expires_in: opts.expiresIn ?? 3600, scope: opts.scope ?? "puid:generate" }),
          opts.tokenDelayMs ?? 0,
        );
        return;
      }
      const token = (req.headers.authorization ?? "").replace("Bearer ", "");
      if (opts.accepts(token)) json(res, 200, quota);
      else json(res, 401, { error: "unauthorized", message: "Send X-API-Key or a Bearer token." });
    });
    return { s, tokenRequests, quotaRequests: () => s.requests.filter((r) => r.url === "/v1/quota") };
  }
  const creds = { clientId: "client_abc", clientSecret: "secret_xyz" };

  test("without a coordination, a renewal the token endpoint first answers with a 429 is retried as any request is, though the renewal takes longer than one attempt's timeout", async () => {
    let tokenRequests = 0;
    let next = 1n;
    const fetch = async (request: Request) => {
      if (new URL(request.url).pathname.endsWith("/oauth/token")) {
        tokenRequests++;
        if (tokenRequests === 2) {
          // The renewal: slow, then "come back in 700 ms".
          await new Promise((resolve) => setTimeout(resolve, 400));
          return Response.json({ error: "rate_limited", message: "slow down" }, { status: 429, headers: { "retry-after-ms": "700" } });
        }
        return Response.json({ access_token: `tok${tokenRequests}`, token_type: "Bearer", expires_in: 1, scope: "puid:generate" });
      }
      return Response.json({ ids: [encodePuid(next++)] });
    };
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: "https://puid.example/api", fetch, timeout: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the token is due for renewal
    expect(await puid.ids(1)).toHaveLength(1);
    expect(tokenRequests).toBe(3);
  });

  test("a token the server never takes: one refresh, one replay, then the 401 — no loop", async () => {
    const { s, tokenRequests, quotaRequests } = await oauthServer({ accepts: () => false });
    const puid = await Puid.fromClientCredentials({ ...creds, endpoint: s.url });
    const error = await rejection(PuidError, puid.quota());
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(tokenRequests).toHaveLength(2);
    expect(quotaRequests()).toHaveLength(2);
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
    expect(
      await rejection(PuidError, Puid.authorizationUrl({ clientId: "client_abc", redirectUri: "https://app.example/cb", scope: "puid:ordinal" })),
    ).toMatchObject({ code: "insufficient_scope" });
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
    const puid = await Puid.fromAuthorizationCode({
      clientId: "client_abc",
      code: "c",
      codeVerifier: "v".repeat(43),
      redirectUri: "https://app.example/cb",
      endpoint: s.url,
    });
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await puid.quota();
    }
    expect(grants).toEqual(["authorization_code:", "refresh_token:rt_original", "refresh_token:rt_original"]);
  });
});
