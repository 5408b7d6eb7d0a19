// What a client logs, through `logger` at `logLevel`: `debug` has a line for every request sent
// and every answer, `info` a line for every retry and every wait for a turn under PUID's rate
// limit; each line starts with `[picket-puid]`. No line carries a credential, at any level, even
// when the server sends the credential back. Without options the console gets what is at `warn`
// and above, which a call that succeeds (even after retries) never writes.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createPuidEmulator } from "../src/emulator/puid.js";
import { Picket, PuidError, type Logger, type LogLevel } from "../src/index.js";
import { Puid } from "../src/puid/index.js";
import { json, quota, server } from "./support/fault-server.js";

beforeEach(() => vi.stubEnv("PICKET_PUID_LOG", undefined));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A logger that keeps every line with its level. */
function collector() {
  const lines: { level: Exclude<LogLevel, "off">; line: string }[] = [];
  const logger: Logger = {
    debug: (line) => lines.push({ level: "debug", line }),
    info: (line) => lines.push({ level: "info", line }),
    warn: (line) => lines.push({ level: "warn", line }),
    error: (line) => lines.push({ level: "error", line }),
  };
  return { lines, logger };
}

/** A server that refuses every first attempt with a 503 (retry in 10 ms), then answers quota. */
const flaky = () =>
  server((_req, res, _body, attempt) => (attempt === 1 ? json(res, 503, { error: "unavailable" }, { "retry-after-ms": "10" }) : json(res, 200, quota)));

describe("the lines and their levels", () => {
  test("debug: each request and each answer; info: each retry with its reason and wait", async () => {
    const s = await flaky();
    const { lines, logger } = collector();
    await new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", endpoint: s.url, logger, logLevel: "debug" }).quota();
    const url = `${s.url}/v1/quota`;
    expect(lines).toEqual([
      { level: "debug", line: `[picket-puid] → GET ${url} (attempt 1)` },
      { level: "debug", line: expect.stringMatching(new RegExp(`^\\[picket-puid\\] ← 503 GET ${url} in \\d+ ms$`)) },
      { level: "info", line: `[picket-puid] retrying GET ${url} in 10 ms after HTTP 503 (retry 1 of 2)` },
      { level: "debug", line: `[picket-puid] → GET ${url} (attempt 2)` },
      { level: "debug", line: expect.stringMatching(new RegExp(`^\\[picket-puid\\] ← 200 GET ${url} in \\d+ ms$`)) },
    ]);
  });

  test("a retry after a failure without an answer names the failure's code", async () => {
    const s = await server((req) => req.socket.destroy());
    const { lines, logger } = collector();
    const error = await new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", endpoint: s.url, logger, logLevel: "info", maxRetries: 1 })
      .quota()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PuidError);
    expect(lines).toEqual([
      {
        level: "info",
        line: expect.stringMatching(new RegExp(`^\\[picket-puid\\] retrying GET ${s.url}/v1/quota in \\d+ ms after network_error \\(retry 1 of 1\\)$`)),
      },
    ]);
  });

  test("info: a wait for a turn under the rate limit, with how long it was; a request that did not wait has none", async () => {
    const emulator = createPuidEmulator();
    // The process's first paced request also compiles the pacing code; let another client pay for that.
    const warm = createPuidEmulator();
    await new Puid({ apiKey: warm.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch: warm.fetch }).ids(1);
    const { lines, logger } = collector();
    const puid = new Puid({ apiKey: emulator.apiKeys[0]!, endpoint: "http://127.0.0.1/api", fetch: emulator.fetch, logger, logLevel: "info" });
    await puid.ids(1);
    await puid.ids(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe("info");
    const waited = /^\[picket-puid\] GET http:\/\/127\.0\.0\.1\/api\/v1\/ids\?n=1: waited (\d+) ms for its turn under the rate limit$/.exec(lines[0]!.line);
    expect(waited).not.toBeNull();
    expect(Number(waited![1])).toBeGreaterThan(500);
  });

  test("each level writes what is at it and above: info no requests, warn, error and off nothing for a call that succeeds", async () => {
    for (const [logLevel, expected] of [
      ["info", ["info"]],
      ["warn", []],
      ["error", []],
      ["off", []],
    ] as const) {
      const s = await flaky();
      const { lines, logger } = collector();
      await new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", endpoint: s.url, logger, logLevel }).quota();
      expect(
        lines.map(({ level }) => level),
        logLevel,
      ).toEqual(expected);
    }
  });

  test("by default the console gets warn and above: nothing for a call that needed a retry", async () => {
    const console = {
      debug: vi.spyOn(globalThis.console, "debug").mockImplementation(() => undefined),
      info: vi.spyOn(globalThis.console, "info").mockImplementation(() => undefined),
      warn: vi.spyOn(globalThis.console, "warn").mockImplementation(() => undefined),
      error: vi.spyOn(globalThis.console, "error").mockImplementation(() => undefined),
      log: vi.spyOn(globalThis.console, "log").mockImplementation(() => undefined),
    };
    const s = await flaky();
    expect(await new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", endpoint: s.url }).quota()).toEqual(quota);
    expect(s.requests).toHaveLength(2);
    for (const spy of Object.values(console)) expect(spy).not.toHaveBeenCalled();

    // The console is the logger when none is given: a lower level reaches it.
    const again = await flaky();
    await new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", endpoint: again.url, logLevel: "info" }).quota();
    expect(console.info).toHaveBeenCalledOnce();
    expect(console.info.mock.calls[0]![0]).toMatch(/^\[picket-puid\] retrying GET /);
  });

  test("a logger without the four methods, or a level that does not exist, is invalid_option", () => {
    expect(() => new Puid({ apiKey: "puid_live_LogTestKey0123456789abcd", logger: { info() {} } as never })).toThrow(
      expect.objectContaining({ code: "invalid_option", message: expect.stringContaining("logger must have debug, info, warn and error") }),
    );
    expect(() => new Picket("sk_0123456789", { logLevel: "verbose" as never })).toThrow(expect.objectContaining({ code: "invalid_option" }));
  });
});

describe("no credential in any line", () => {
  const apiKey = "puid_live_LoggedKeyMustNotShow012345";
  const accessToken = "puid_at_LoggedTokenMustNotShow0123456789";
  const clientSecret = "secret_LoggedSecretMustNotShow0123456789";
  const mintedToken = "puid_at_MintedTokenMustNotShow0123456789";
  const picketKey = "sk_LoggedPicketKeyMustNotShow0123456";
  const picketToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJsb2dnZWQifQ.LoggedAccessTokenSignature";
  const secrets = [
    apiKey,
    accessToken,
    clientSecret,
    mintedToken,
    picketKey,
    picketToken,
    Buffer.from(`${picketKey}:`).toString("base64"),
    Buffer.from(picketKey).toString("base64"),
    Buffer.from(`client_logged:${clientSecret}`).toString("base64"),
  ];

  test("at debug, with a server that sends back every header and body it got, in its body, its headers and its status text", async () => {
    const seen = new Set<string>();
    const s = await server((req, res, body) => {
      const echo = JSON.stringify({ headers: req.headers, body });
      // A GET's first attempt fails with the echo everywhere an answer can carry it, so it is
      // retried (a line at info); then the real answer, echo included.
      const extra = { "x-echo": encodeURIComponent(echo), "set-cookie": `echo=${encodeURIComponent(echo)}`, "retry-after-ms": "5" };
      const caller = JSON.stringify([req.url, req.headers.authorization, req.headers["x-api-key"]]);
      const first = !seen.has(caller);
      seen.add(caller);
      if (first && req.method === "GET") {
        res.statusMessage = `Unavailable ${req.headers.authorization ?? ""} ${String(req.headers["x-api-key"] ?? "")}`;
        return json(res, 503, { error: "unavailable", message: echo }, extra);
      }
      if (req.url!.startsWith("/oauth/token"))
        return json(res, 200, { access_token: mintedToken, token_type: "Bearer", expires_in: 3600, scope: "puid:generate", echo }, extra);
      if (req.url!.startsWith("/v1/quota")) return json(res, 200, { ...quota, echo }, extra);
      if (req.url!.startsWith("/chains")) return json(res, 200, { data: [], echo }, extra);
      if (req.url!.startsWith("/auth/validate")) return json(res, 401, { msg: `invalid access token ${echo}` }, extra);
      return json(res, 404, { error: "not_found", message: echo }, extra);
    });
    const { lines, logger } = collector();
    const options = { logger, logLevel: "debug" as const };
    await new Puid({ apiKey, endpoint: s.url, ...options }).quota();
    await new Puid({ accessToken, endpoint: s.url, ...options }).quota();
    const app = await Puid.fromClientCredentials({ clientId: "client_logged", clientSecret, endpoint: s.url, ...options });
    await app.quota();
    const picket = new Picket(picketKey, { baseURL: s.url, ...options });
    await picket.chains();
    await picket.validate(picketToken).catch(() => undefined);
    // The failed call's error is not what is checked here; its lines are.
    await new Puid({ apiKey, endpoint: `${s.url}/missing`, maxRetries: 0, ...options }).quota().catch(() => undefined);

    expect(lines.filter(({ level }) => level === "debug").length).toBeGreaterThanOrEqual(20);
    expect(lines.filter(({ level }) => level === "info").length).toBeGreaterThanOrEqual(4);
    const all = lines.map(({ line }) => line).join("\n");
    for (const secret of secrets) expect(all, "a credential reached a log line").not.toContain(secret);
    expect(s.requests.some((request) => request.headers["x-api-key"] === apiKey)).toBe(true); // it was sent, and not logged
  });
});
