// Hostile servers, items 6 and 7: a server that sends back what it should not. A token that cannot
// travel in a header is refused when it arrives, without being repeated; every secret the client
// holds is redacted from what an error keeps, and no Set-Cookie or WWW-Authenticate value is kept.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../../src/picket/index.js";
import { Puid, PuidError, TokenSource } from "../../src/puid/index.js";
import { rejection } from "../support/rejection.js";
import { expectNoSecret, renderings } from "../support/secrets.js";
import { apiKey, hostile, json, quota, secretKey } from "./harness.js";

const clientId = "client_HostileClient01";
const clientSecret = "secret_HostileClientSecretValue0123";

describe("a token that cannot travel in a header", () => {
  for (const [what, token] of [
    ["CR LF", "puid_at_evil\r\nX-Injected: 1"],
    ["NUL", "puid_at_evil\u0000tail"],
    ["a space", "puid_at_evil tail"],
  ] as const) {
    test(`with ${what}: refused when it arrives (invalid_response), never quoted`, async () => {
      const s = await hostile((req, res) =>
        req.url === "/oauth/token"
          ? json(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope: "puid:generate" })
          : json(res, 200, quota),
      );
      const error = await rejection(PuidError, Puid.fromClientCredentials({ clientId, clientSecret, endpoint: s.url }));
      expect(error).toMatchObject({ status: 200, code: "invalid_response" });
      expectNoSecret(error, [token, "puid_at_evil", clientSecret]);
      expect(s.requests).toHaveLength(1);
    });
  }

  test("from a token source of the caller's: the call fails without quoting it", async () => {
    const s = await hostile((_req, res) => json(res, 200, quota));
    const tokenSource = new TokenSource(async () => ({ accessToken: "puid_at_bad\nline", expiresAt: null }));
    const error = await rejection(PuidError, new Puid({ tokenSource, endpoint: s.url }).quota());
    expect(error).toMatchObject({ code: "invalid_response", status: null });
    expectNoSecret(error, ["puid_at_bad"]);
    expect(s.requests).toHaveLength(0);
  });
});

describe("secrets a server echoes back are redacted from errors", () => {
  test("PUID: the API key in the message and body, and the Set-Cookie and WWW-Authenticate values", async () => {
    const s = await hostile((_req, res) =>
      json(
        res,
        401,
        { error: "unauthorized", message: `The key ${apiKey} was revoked`, echo: { sent: apiKey, list: [apiKey] } },
        {
          "www-authenticate": `Bearer realm="puid", error="invalid_token", key="${apiKey}"`,
          "set-cookie": `session=${apiKey}; HttpOnly`,
        },
      ),
    );
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(error.message).toContain("The server said: The key [redacted] was revoked");
    expect(error.headers?.has("set-cookie")).toBe(false);
    expect(error.headers?.has("www-authenticate")).toBe(false);
    expect(error.headers?.get("content-type")).toBe("application/json");
    expectNoSecret(error, [apiKey, "HttpOnly"]);
  });

  test("PUID OAuth: the client secret and the code verifier echoed by the token endpoint", async () => {
    const verifier = "v".repeat(20) + "HostileVerifier0123456789abcdef";
    const s = await hostile((_req, res, body) => {
      const grant = JSON.parse(body) as Record<string, string>;
      json(res, grant.grant_type === "client_credentials" ? 401 : 400, { error: "invalid_grant", detail: `got ${body}`, grant });
    });
    const first = await rejection(PuidError, Puid.fromClientCredentials({ clientId, clientSecret, endpoint: s.url }));
    expectNoSecret(first, [clientSecret]);
    const second = await rejection(
      PuidError,
      Puid.fromAuthorizationCode({ clientId, code: "code_HostileCode0123", codeVerifier: verifier, redirectUri: "https://app.example/cb", endpoint: s.url }),
    );
    expectNoSecret(second, [verifier, "code_HostileCode0123"]);
    expect(renderings(second).join("\n")).toContain("[redacted]");
  });

  test("PUID: a bearer token echoed back after it was refused", async () => {
    const accessToken = "puid_at_HostileBearerToken0123456789ab";
    const s = await hostile((req, res) => json(res, 401, { error: "unauthorized", message: `no such token: ${req.headers.authorization}` }));
    const error = await rejection(PuidError, new Puid({ accessToken, endpoint: s.url }).quota());
    expectNoSecret(error, [accessToken]);
  });

  test("Picket: the key, and its Basic form, in msg and body", async () => {
    const basic = Buffer.from(`${secretKey}:`).toString("base64");
    const s = await hostile((req, res) =>
      json(res, 401, { msg: `invalid project key ${secretKey} (${req.headers.authorization})`, code: "api_key_invalid", basic }),
    );
    const error = await rejection(PicketError, new Picket(secretKey, { baseURL: s.url }).chains());
    expect(error).toMatchObject({ status: 401, code: "api_key_invalid" });
    expectNoSecret(error, [secretKey, basic]);
  });

  test("Picket: an access token sent for validation, echoed in the refusal", async () => {
    const accessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJob3N0aWxlIn0.SECRETsignatureHostile";
    const s = await hostile((_req, res, body) => json(res, 401, { msg: `invalid access token ${JSON.parse(body).accessToken}` }));
    const error = await rejection(PicketError, new Picket(secretKey, { baseURL: s.url }).validate(accessToken));
    expectNoSecret(error, [accessToken]);
  });
});
