// The PUID emulator's authorization-code grant, token lifetimes and refresh (puid-api.md §2, §4.4),
// through plain requests. Time moves only by the manual clock.
import { describe, expect, test } from "vitest";
import { authorizationCode, clientToken, read, registerClient, s256, setup, tokenRequest, withToken } from "./support/puid-emulator.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("authorization_code (§4.4)", () => {
  async function flow(options: Parameters<typeof setup>[0] = {}) {
    const context = setup(options);
    const client = await registerClient(context.emulator);
    return { ...context, client };
  }
  const exchange = (emulator: ReturnType<typeof setup>["emulator"], fields: Record<string, string>) =>
    read(tokenRequest(emulator, { grant_type: "authorization_code", ...fields }));

  test("PKCE S256: the verifier whose SHA-256 is the challenge gets an access and a refresh token", async () => {
    const { emulator, client } = await flow();
    const verifier = "a-verifier-of-enough-length-0123456789-abcdefghij";
    const code = await authorizationCode(emulator, client, { code_challenge: s256(verifier), code_challenge_method: "S256" });
    const { status, body } = await exchange(emulator, { code, client_id: client.clientId, redirect_uri: client.redirectUri, code_verifier: verifier });
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^puid_at_[0-9A-Za-z]{32}$/),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "puid:generate puid:ordinal",
      refresh_token: expect.stringMatching(/^puid_rt_[0-9A-Za-z]{32}$/),
    });
    expect((await read(withToken(emulator, "/api/v1/ids", body.access_token))).status).toBe(200);
    expect(emulator.issued[0]!.account).toBe(emulator.accounts[0]!.id);
  });

  test("PKCE plain, and a challenge without a method, compare the verifier as it is", async () => {
    const { emulator, client } = await flow();
    for (const method of [{ code_challenge_method: "plain" }, {}]) {
      const code = await authorizationCode(emulator, client, { code_challenge: "plain-verifier", ...method });
      expect((await exchange(emulator, { code, client_id: client.clientId, redirect_uri: client.redirectUri, code_verifier: "plain-verifier" })).status).toBe(
        200,
      );
    }
  });

  test("no stored challenge: PKCE is skipped, and no client secret is checked", async () => {
    const { emulator, client } = await flow();
    const code = await authorizationCode(emulator, client);
    expect((await exchange(emulator, { code, client_id: client.clientId, redirect_uri: client.redirectUri, client_secret: "anything" })).status).toBe(200);
  });

  test("a wrong or missing verifier is 400 invalid_grant with detail PKCE failed, and burns the code", async () => {
    const { emulator, client } = await flow();
    const verifier = "the-right-verifier-0123456789-0123456789-0123456789";
    for (const wrong of [{ code_verifier: "the-wrong-verifier" }, { code_verifier: s256(verifier) }, {}]) {
      const code = await authorizationCode(emulator, client, { code_challenge: s256(verifier), code_challenge_method: "S256" });
      const fields = { code, client_id: client.clientId, redirect_uri: client.redirectUri };
      expect(await exchange(emulator, { ...fields, ...wrong })).toMatchObject({ status: 400, body: { error: "invalid_grant", detail: "PKCE failed" } });
      expect(await exchange(emulator, { ...fields, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    }
  });

  test("a code is single-use: a second exchange is 400 invalid_grant", async () => {
    const { emulator, client } = await flow();
    const code = await authorizationCode(emulator, client);
    const fields = { code, client_id: client.clientId, redirect_uri: client.redirectUri };
    expect((await exchange(emulator, fields)).status).toBe(200);
    const { status, body } = await exchange(emulator, fields);
    expect({ status, body }).toEqual({ status: 400, body: { error: "invalid_grant" } });
  });

  test("another client_id or redirect_uri is invalid_grant, and the code is gone even for the right ones", async () => {
    const { emulator, client } = await flow();
    const other = await registerClient(emulator, [client.redirectUri]);
    for (const wrong of [{ client_id: other.clientId }, { redirect_uri: `${client.redirectUri}/` }, { client_id: "" }]) {
      const code = await authorizationCode(emulator, client);
      const fields = { code, client_id: client.clientId, redirect_uri: client.redirectUri };
      expect((await exchange(emulator, { ...fields, ...wrong })).body).toEqual({ error: "invalid_grant" });
      expect((await exchange(emulator, fields)).body).toEqual({ error: "invalid_grant" });
    }
    expect((await exchange(emulator, { code: "code_unknown", client_id: client.clientId, redirect_uri: client.redirectUri })).body).toEqual({
      error: "invalid_grant",
    });
  });

  test("a code lives 300 s", async () => {
    const { emulator, client, clock } = await flow();
    const fresh = await authorizationCode(emulator, client);
    const stale = await authorizationCode(emulator, client);
    clock.advance(299_999);
    expect((await exchange(emulator, { code: fresh, client_id: client.clientId, redirect_uri: client.redirectUri })).status).toBe(200);
    clock.advance(2);
    expect((await exchange(emulator, { code: stale, client_id: client.clientId, redirect_uri: client.redirectUri })).body).toEqual({ error: "invalid_grant" });
  });
});

describe("tokens: lifetime, scope and refresh (§2, §4.4)", () => {
  async function tokens() {
    const context = setup();
    const client = await registerClient(context.emulator);
    const code = await authorizationCode(context.emulator, client, { scope: "puid:generate" });
    const { body } = await read(
      tokenRequest(context.emulator, { grant_type: "authorization_code", code, client_id: client.clientId, redirect_uri: client.redirectUri }),
    );
    return { ...context, client, access: body.access_token as string, refresh: body.refresh_token as string };
  }

  test("an access token lives 3600 s; then every /v1 call is 401", async () => {
    const { emulator, clock, access } = await tokens();
    clock.advance(HOUR - 1);
    expect((await withToken(emulator, "/api/v1/quota", access)).status).toBe(200);
    clock.advance(2);
    for (const path of ["/api/v1/ids", "/api/v1/quota", "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh"]) {
      expect((await read(withToken(emulator, path, access))).body.error).toBe("unauthorized");
    }
  });

  test("a token without puid:generate is 401 on all three /v1 endpoints, /v1/ordinal included", async () => {
    const { emulator } = setup();
    const token = await clientToken(emulator, await registerClient(emulator), "puid:ordinal");
    for (const path of ["/api/v1/ids", "/api/v1/quota", "/api/v1/ordinal/64qAN39GjJh5kbi4HROOxh"]) {
      expect((await withToken(emulator, path, token)).status).toBe(401);
    }
  });

  test("a refresh token is not an access token, nor the reverse", async () => {
    const { emulator, access, refresh } = await tokens();
    expect((await withToken(emulator, "/api/v1/quota", refresh)).status).toBe(401);
    expect((await read(tokenRequest(emulator, { grant_type: "refresh_token", refresh_token: access }))).body).toEqual({ error: "invalid_grant" });
  });

  test("refresh: no client authentication, a new pair with the same scope; the old refresh token stays valid", async () => {
    const { emulator, clock, access, refresh } = await tokens();
    clock.advance(HOUR + 1);
    const first = await read(tokenRequest(emulator, { grant_type: "refresh_token", refresh_token: refresh, scope: "puid:ordinal" }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.stringMatching(/^puid_at_/),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "puid:generate",
      refresh_token: expect.stringMatching(/^puid_rt_/),
    });
    expect([first.body.access_token, first.body.refresh_token]).not.toContain(access);
    expect(first.body.refresh_token).not.toBe(refresh);
    expect((await withToken(emulator, "/api/v1/quota", first.body.access_token)).status).toBe(200);
    const again = await read(tokenRequest(emulator, { grant_type: "refresh_token", refresh_token: refresh }));
    expect(again.status).toBe(200);
    expect(again.body.access_token).not.toBe(first.body.access_token);
  });

  test("a refresh token lives 90 days", async () => {
    const { emulator, clock, refresh } = await tokens();
    clock.advance(90 * DAY - 1);
    expect((await read(tokenRequest(emulator, { grant_type: "refresh_token", refresh_token: refresh }))).status).toBe(200);
    clock.advance(2);
    expect(await read(tokenRequest(emulator, { grant_type: "refresh_token", refresh_token: refresh }))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await read(tokenRequest(emulator, { grant_type: "refresh_token" }))).body).toEqual({ error: "invalid_grant" });
  });
});
