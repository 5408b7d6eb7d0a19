// The PUID emulator's OAuth registration, client credentials, token-request bodies and authorize
// page (puid-api.md §4, §14), through plain requests.
import { describe, expect, test } from "vitest";
import {
  authorizationCode,
  authorize,
  clientToken,
  NOON,
  read,
  registerClient,
  send,
  setup,
  tokenRequest,
  withKey,
  withToken,
} from "./support/puid-emulator.js";

const HOUR = 3_600_000;
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "content-type": "application/json" };

const register = (emulator: ReturnType<typeof setup>["emulator"], body: string, headers: Record<string, string> = JSON_TYPE) =>
  read(send(emulator, "/api/oauth/register", { method: "POST", headers, body }));

describe("POST /oauth/register (§4.2)", () => {
  test("200 with client_<16>, secret_<32>, the URIs as sent, all three grants and both scopes", async () => {
    const { emulator } = setup();
    const { status, body, headers } = await register(
      emulator,
      JSON.stringify({ client_name: "My App", redirect_uris: ["https://app.example/cb", "http://localhost:3000/cb"] }),
    );
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({
      client_id: expect.stringMatching(/^client_[0-9A-Za-z]{16}$/),
      client_secret: expect.stringMatching(/^secret_[0-9A-Za-z]{32}$/),
      redirect_uris: ["https://app.example/cb", "http://localhost:3000/cb"],
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      scopes_supported: ["puid:generate", "puid:ordinal"],
    });
    expect(emulator.clients).toEqual([{ clientId: body.client_id, clientName: "My App", redirectUris: body.redirect_uris }]);
    expect(JSON.stringify(emulator.clients)).not.toContain(body.client_secret);
  });

  test("400 invalid_redirect_uris when they are missing, empty, not an array, or the body is not a JSON object", async () => {
    const { emulator } = setup();
    for (const sent of ["{}", '{"redirect_uris":[]}', '{"redirect_uris":"https://app.example/cb"}', "null", "not json", "[1]", ""]) {
      const { status, body } = await register(emulator, sent);
      expect({ sent, status, body }).toEqual({ sent, status: 400, body: { error: "invalid_redirect_uris" } });
    }
    expect(emulator.clients).toEqual([]);
  });

  test("without a name the client is an Unnamed App", async () => {
    const { emulator } = setup();
    await register(emulator, '{"redirect_uris":["https://a.example/cb"]}');
    expect(emulator.clients[0]!.clientName).toBe("Unnamed App");
  });
});

describe("client_credentials (§4.4)", () => {
  test("a token for the pseudo-account client:<id>, both scopes by default, no refresh token", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    const { status, body, headers } = await read(
      tokenRequest(emulator, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }),
    );
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({
      access_token: expect.stringMatching(/^puid_at_[0-9A-Za-z]{32}$/),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "puid:generate puid:ordinal",
    });
    expect(emulator.tokens).toEqual([
      {
        kind: "access",
        clientId: client.clientId,
        account: `client:${client.clientId}`,
        scope: "puid:generate puid:ordinal",
        issuedAt: NOON,
        expiresAt: NOON + HOUR,
      },
    ]);
    expect((await withToken(emulator, "/api/v1/ids", body.access_token)).status).toBe(200);
    expect(emulator.issued[0]!.account).toBe(`client:${client.clientId}`);
  });

  test("unknown scopes are dropped; an empty scope asks for the default", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    const scopeOf = async (scope: string) =>
      (await read(tokenRequest(emulator, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope }))).body
        .scope;
    expect(await scopeOf("puid:generate")).toBe("puid:generate");
    expect(await scopeOf("admin puid:ordinal  write")).toBe("puid:ordinal");
    expect(await scopeOf("admin")).toBe("");
    expect(await scopeOf("")).toBe("puid:generate puid:ordinal");
  });

  test("a wrong or missing secret, an unknown client, or Basic credentials: 401 invalid_client", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
    const attempts = [
      tokenRequest(emulator, { grant_type: "client_credentials", client_id: client.clientId, client_secret: "secret_wrong" }),
      tokenRequest(emulator, { grant_type: "client_credentials", client_id: client.clientId }),
      tokenRequest(emulator, { grant_type: "client_credentials", client_id: "client_nobody", client_secret: client.clientSecret }),
      send(emulator, "/api/oauth/token", { method: "POST", headers: { ...JSON_TYPE, authorization: basic }, body: '{"grant_type":"client_credentials"}' }),
    ];
    for (const attempt of attempts) {
      const { status, body, headers } = await read(attempt);
      expect({ status, body }).toEqual({ status: 401, body: { error: "invalid_client" } });
      expect(headers.get("www-authenticate")).toBeNull();
    }
  });

  test("its own rate bucket, apart from every team", async () => {
    const { emulator, key } = setup();
    const token = await clientToken(emulator, await registerClient(emulator));
    expect((await withKey(emulator, "/api/v1/ids", key)).status).toBe(200);
    expect((await withToken(emulator, "/api/v1/ids", token)).status).toBe(200);
    expect((await withToken(emulator, "/api/v1/ids", token)).status).toBe(429);
  });

  test("a pre-registered client works from the start", async () => {
    const { emulator } = setup({ clients: [{ clientId: "client_fixed", clientSecret: "secret_fixed", redirectUris: ["https://app.example/cb"] }] });
    expect(await clientToken(emulator, { clientId: "client_fixed", clientSecret: "secret_fixed" })).toMatch(/^puid_at_/);
  });
});

describe("the token endpoint's body (§4.4, §14)", () => {
  test("a form body and a multipart body are read like JSON (with the gate off)", async () => {
    const { emulator } = setup({ csrf: false });
    const client = await registerClient(emulator);
    const fields = { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "puid:generate" };
    expect((await read(send(emulator, "/api/oauth/token", { method: "POST", headers: FORM, body: new URLSearchParams(fields).toString() }))).body.scope).toBe(
      "puid:generate",
    );
    const multipart = new FormData();
    for (const [name, value] of Object.entries(fields)) multipart.set(name, value);
    expect((await read(send(emulator, "/api/oauth/token", { method: "POST", body: multipart }))).status).toBe(200);
    expect(
      (
        await read(
          send(emulator, "/api/oauth/token", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(fields) }),
        )
      ).status,
    ).toBe(200);
  });

  test("a type that is neither JSON nor a form, no type, bad JSON, or a JSON null: the undocumented 500", async () => {
    const { emulator } = setup({ csrf: false });
    const bodies: RequestInit[] = [
      { headers: { "content-type": "text/plain" }, body: "grant_type=client_credentials" },
      { headers: { "content-type": "application/xml" }, body: "<x/>" },
      { body: new Uint8Array([1, 2]) },
      { headers: JSON_TYPE, body: "{not json" },
      { headers: JSON_TYPE, body: "null" },
    ];
    for (const init of bodies) {
      const response = await send(emulator, "/api/oauth/token", {
        method: "POST",
        ...init,
        headers: { accept: "application/json", ...(init.headers as Record<string, string>) },
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: "Internal Error" });
    }
  });

  test("any other grant_type, or none: 400 unsupported_grant_type", async () => {
    const { emulator } = setup();
    for (const fields of [{ grant_type: "password" }, {}, { grant_type: ["client_credentials"] }]) {
      expect(await read(tokenRequest(emulator, fields))).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    }
    expect((await read(send(emulator, "/api/oauth/token", { method: "POST", headers: JSON_TYPE, body: "[]" }))).body).toEqual({
      error: "unsupported_grant_type",
    });
  });
});

describe("GET /oauth/authorize at the site root (§4.3)", () => {
  test("approves at once: 302 to the redirect URI with code_<24> and the state", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator, ["https://app.example/cb"]);
    const response = await send(
      emulator,
      `/oauth/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent(client.redirectUri)}&state=a%20b%26c`,
    );
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^https:\/\/app\.example\/cb\?code=code_[0-9A-Za-z]{24}&state=a%20b%26c$/);
  });

  test("a redirect URI with a query gets &code=; a missing state comes back empty", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator, ["https://app.example/cb?tenant=7"]);
    const response = await send(emulator, `/oauth/authorize?client_id=${client.clientId}&redirect_uri=${encodeURIComponent(client.redirectUri)}`);
    expect(response.headers.get("location")).toMatch(/^https:\/\/app\.example\/cb\?tenant=7&code=code_[0-9A-Za-z]{24}&state=$/);
  });

  test("an unknown client is 400 invalid_client; a redirect URI not registered exactly is 400 invalid_redirect_uri (JSON, not redirects)", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator, ["https://app.example/cb"]);
    expect(await read(send(emulator, "/oauth/authorize?client_id=client_nobody&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"))).toMatchObject({
      status: 400,
      body: { error: "invalid_client" },
    });
    for (const uri of ["https://app.example/cb/", "https://APP.example/cb", "https://app.example/cb?x=1", ""]) {
      const { status, body, headers } = await read(send(emulator, `/oauth/authorize?client_id=${client.clientId}&redirect_uri=${encodeURIComponent(uri)}`));
      expect({ uri, status, body }).toEqual({ uri, status: 400, body: { error: "invalid_redirect_uri" } });
      expect(headers.get("cache-control")).toBe("no-store");
    }
    expect((await read(send(emulator, `/oauth/authorize?client_id=${client.clientId}`))).body).toEqual({ error: "invalid_redirect_uri" });
  });

  test("configured to deny: 302 to ?error=access_denied&state=…", async () => {
    const { emulator } = setup({ authorize: "deny" });
    const client = await registerClient(emulator);
    const location = await authorize(emulator, { client_id: client.clientId, redirect_uri: client.redirectUri, state: "xyz" });
    expect(location.href).toBe(`${client.redirectUri}?error=access_denied&state=xyz`);
  });

  test("approves for the configured account: its tokens spend that team's quota and share its bucket", async () => {
    const { emulator } = setup({
      accounts: [{ id: "team_second", apiKeys: ["puid_live_second"] }],
      apiKeys: ["puid_live_first"],
      authorize: { account: "team_second" },
    });
    const client = await registerClient(emulator);
    const code = await authorizationCode(emulator, client);
    const { body } = await read(
      tokenRequest(emulator, { grant_type: "authorization_code", code, client_id: client.clientId, redirect_uri: client.redirectUri }),
    );
    expect((await withToken(emulator, "/api/v1/ids?n=3", body.access_token)).status).toBe(200);
    expect(emulator.usage("team_second").used).toBe(3);
    expect(emulator.usage().used).toBe(0);
    expect((await withKey(emulator, "/api/v1/ids", "puid_live_second")).status).toBe(429);
  });

  test("the granted scope: the requested one filtered to known scopes, both when none is asked", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    const granted = async (scope?: string) => {
      const code = await authorizationCode(emulator, client, scope === undefined ? {} : { scope });
      return (await read(tokenRequest(emulator, { grant_type: "authorization_code", code, client_id: client.clientId, redirect_uri: client.redirectUri }))).body
        .scope;
    };
    expect(await granted()).toBe("puid:generate puid:ordinal");
    expect(await granted("")).toBe("puid:generate puid:ordinal");
    expect(await granted("puid:ordinal extra")).toBe("puid:ordinal");
    expect(await granted("extra")).toBe("");
  });
});
