// Fault injection: a real local HTTP server (node:http, 127.0.0.1, port 0) misbehaves on purpose,
// and each test asserts the outcome, the error code, how many attempts the server saw, and
// elapsed-time bounds wide enough never to flake.
import { afterEach, describe, expect, test, vi } from "vitest";
import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import type http from "node:http";
import { Picket, PicketError } from "../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../src/puid/index.js";
import { rejection } from "./support/rejection.js";
import { closedPort, serve, type LocalServer } from "./support/servers.js";

const apiKey = "puid_live_FaultTestKey0123456789abc";
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, attempt: number) => void;
/** A server whose handler also knows which attempt (1-based) this request is. */
async function server(handler: Handler): Promise<LocalServer> {
  let attempt = 0;
  const s = await serve((req, res, body) => handler(req, res, body, ++attempt));
  servers.push(s);
  return s;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const quota = { plan: "free", used: 1, limit: 1000, remaining: 999 };
const ids = (n: number, from = 0) => ({ ids: Array.from({ length: n }, (_, i) => `id${from + i}`), count: n, quota: { used: n, limit: 1000 } });

/** Time a promise; returns its settled outcome and the milliseconds it took. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await run();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe("connection failures", () => {
  test("reset before headers: retried, then network_error", async () => {
    const s = await server((req) => req.socket.destroy());
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 2 });
    const { ms, error } = await timed(() => puid.quota());
    expect(error).toBeInstanceOf(PuidError);
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(s.requests).toHaveLength(3);
    expect(ms).toBeGreaterThan(0.75 * (500 + 1000) - 50); // two backoffs, at least 75 % of 0.5 s and 1 s
    expect(ms).toBeLessThan(10_000);
  });

  test("reset before headers on /v1/ids is not repeated: the server may have spent quota", async () => {
    const s = await server((req, res, _b, attempt) => (attempt === 1 ? req.socket.destroy() : json(res, 200, ids(2))));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).ids(2));
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(s.requests).toHaveLength(1);
  });

  test("a refused connection on /v1/ids is repeated: the server never saw it", async () => {
    const endpoint = await closedPort();
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint, maxRetries: 2 }).ids(1));
    expect(error).toMatchObject({ status: null, code: "network_error" });
    expect(ms).toBeGreaterThan(0.75 * 1500 - 50); // two backoffs: it was tried three times
    expect(ms).toBeLessThan(10_000);
  });
});

describe("timeouts bound the whole attempt", () => {
  test("slow headers → timeout; a read is retried, each attempt with its own budget", async () => {
    const s = await server((_req, res) => setTimeout(() => json(res, 200, quota), 3_000));
    const puid = new Puid({ apiKey, endpoint: s.url, timeout: 200, maxRetries: 1 });
    const { ms, error } = await timed(() => puid.quota());
    expect(error).toMatchObject({ status: null, code: "timeout" });
    expect((error as Error).message).toContain("200 ms");
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeGreaterThan(2 * 200 + 0.75 * 500 - 50);
    expect(ms).toBeLessThan(2_500);
  });

  test("slow headers on /v1/ids → timeout after one attempt (it may have spent quota)", async () => {
    const s = await server((_req, res) => setTimeout(() => json(res, 200, ids(1)), 3_000));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, timeout: 200 }).ids(1));
    expect(error).toMatchObject({ code: "timeout" });
    expect(s.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1_500);
  });

  test("headers, then a body that stalls → timeout, not a hang", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan":"free",'); // and nothing more
    });
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, timeout: 300, maxRetries: 0 }).quota());
    expect(error).toBeInstanceOf(PuidError);
    expect(error).toMatchObject({ status: null, code: "timeout" });
    expect(s.requests).toHaveLength(1);
    expect(ms).toBeGreaterThan(250);
    expect(ms).toBeLessThan(2_000);
  });

  test("the caller's signal ends a stalled body with code aborted, distinct from timeout", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user left")), 150);
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, timeout: 10_000 }).quota({ signal: controller.signal }));
    expect(error).toMatchObject({ status: null, code: "aborted" });
    expect((error as PuidError).cause).toEqual(new Error("user left"));
    expect(ms).toBeLessThan(2_000);
    expect(s.requests).toHaveLength(1);
  });

  test("the caller's signal ends the wait between attempts", async () => {
    const s = await server((_req, res) => json(res, 503, { error: "unavailable" }, { "retry-after": "30" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota({ signal: controller.signal }));
    expect(error).toMatchObject({ code: "aborted" });
    expect(s.requests).toHaveLength(1);
    expect(ms).toBeLessThan(2_000);
  });

  test("an already aborted signal sends nothing", async () => {
    const s = await server((_req, res) => json(res, 200, quota));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota({ signal: AbortSignal.abort() }));
    expect(error.code).toBe("aborted");
    expect(s.requests).toHaveLength(0);
  });
});

/** Resolves when the connection of `req` closes, with the milliseconds since `since`. */
const closed = (req: http.IncomingMessage, since: number) => new Promise<number>((resolve) => req.socket.once("close", () => resolve(performance.now() - since)));
const settledWithin = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms))]);

describe("what a timed-out attempt leaves behind", () => {
  test("a body that stalls is cancelled at once: the server sees its connection close", async () => {
    const start = performance.now();
    let closing: Promise<number> | undefined;
    const s = await server((req, res) => {
      closing = closed(req, start);
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan":"free",');
    });
    const { error } = await timed(() => new Puid({ apiKey, endpoint: s.url, timeout: 300, maxRetries: 0 }).quota());
    expect(error).toMatchObject({ code: "timeout" });
    expect(await settledWithin(closing!, 1_000)).toBeLessThan(1_500);
  });

  test("headers that never come: the request is cancelled, not left with the server", async () => {
    const held: Promise<number>[] = [];
    const s = await server((req) => void held.push(closed(req, performance.now())));
    const { error } = await timed(() => new Picket("sk_test_x", { baseURL: s.url, timeout: 200 }).nonce({ walletAddress: "0xabc" }));
    expect(error).toMatchObject({ code: "timeout" });
    expect(held).toHaveLength(1); // a POST is not repeated after a timeout
    expect(await settledWithin(held[0]!, 1_000)).toBeLessThan(1_000);
  });

  test("a script whose call timed out exits at once: nothing is left holding the event loop", async () => {
    const s = await server(() => undefined); // accepts, never answers
    const script = `import { Puid } from "./src/puid/index.ts";
const puid = new Puid({ apiKey: "${apiKey}", endpoint: "${s.url}", timeout: 200, maxRetries: 0 });
await puid.quota().catch((e) => console.log(e.code));`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    const start = performance.now();
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const outcome = await settledWithin(exited, 10_000);
    if (outcome === "pending") child.kill();
    expect(outcome).toBe(0);
    expect(output.trim()).toBe("timeout");
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

describe("headers and bodies as the server gets them", () => {
  test("an error body in JSON is read whatever its content-type says, retry hint included", async () => {
    const s = await server((_req, res, _body, attempt) => {
      res.writeHead(attempt === 1 ? 429 : 400, { "content-type": "text/plain" });
      res.end(JSON.stringify(attempt === 1 ? { error: "rate_limited", retryAfterMs: 30 } : { error: "bad_request", message: "count is wrong" }));
    });
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/^count is wrong \(2 attempts over 0\.\d s\)$/) });
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeLessThan(400); // waited the body's 30 ms, not a backoff of 375 ms or more
  });

  test("the caller's headers win over the package's own, per call over client-wide, credentials over all", async () => {
    const s = await server((_req, res) => json(res, 200, { nonce: "n", statement: "s", format: "siwe" }));
    const picket = new Picket("sk_test_x", { baseURL: s.url, headers: { "Content-Type": "application/vnd.example+json", Accept: "application/x-a", "X-Trace": "client" } });
    await picket.nonce({ walletAddress: "0xabc" }, { headers: { "x-trace": "call", Authorization: "Bearer stolen" } });
    const { headers } = s.requests[0]!;
    expect(headers).toMatchObject({ "content-type": "application/vnd.example+json", accept: "application/x-a", "x-trace": "call" });
    expect(headers.authorization).toBe(`Basic ${btoa("sk_test_x:")}`);
  });

  test("the typed client keeps client-wide headers, and the body serializer sees them", async () => {
    const s = await server((_req, res) => json(res, 200, { access_token: "t", token_type: "Bearer", expires_in: 3600, scope: "puid:generate" }));
    const client = createPuidClient({ apiKey, endpoint: s.url, headers: { "X-Trace": "client", "Content-Type": "application/x-www-form-urlencoded" } });
    await client.POST("/oauth/token", { body: { grant_type: "client_credentials", client_id: "c", client_secret: "x" } });
    expect(s.requests[0]).toMatchObject({ body: "grant_type=client_credentials&client_id=c&client_secret=x" });
    expect(s.requests[0]!.headers).toMatchObject({ "x-trace": "client", "content-type": "application/x-www-form-urlencoded", "x-api-key": apiKey });
  });
});

describe("the facade's own requests", () => {
  test("a client-wide Content-Type never mislabels the JSON token request", async () => {
    const s = await server((_req, res) => json(res, 200, { access_token: "puid_at_x", token_type: "Bearer", expires_in: 3600, scope: "puid:generate" }));
    await Puid.fromClientCredentials({ clientId: "client_x", clientSecret: "secret_x", endpoint: s.url, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.requests[0]!.body)).toMatchObject({ grant_type: "client_credentials" });
  });

  test("a JSON body goes as JSON whatever non-JSON type the caller set", async () => {
    const s = await server((_req, res) => json(res, 200, { nonce: "n", statement: "s", format: "siwe" }));
    await new Picket("sk_test_x", { baseURL: s.url, headers: { "Content-Type": "application/x-www-form-urlencoded" } }).nonce({ walletAddress: "0xabc" });
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.requests[0]!.body)).toMatchObject({ walletAddress: "0xabc" });
  });

  test("a success whose JSON is null is invalid_response, not a TypeError", async () => {
    const s = await server((_req, res) => json(res, 200, null));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
  });
});

describe("the typed low-level client shares the transport", () => {
  test("its per-call signal ends a stalled body with code aborted", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user left")), 150);
    const client = createPuidClient({ apiKey, endpoint: s.url, timeout: 10_000 });
    const { ms, error } = await timed(() => client.GET("/v1/quota", { signal: controller.signal }));
    expect(error).toBeInstanceOf(PuidError);
    expect(error).toMatchObject({ status: null, code: "aborted" });
    expect(ms).toBeLessThan(2_000);
  });

  test("a timeout and retries apply to it as to the facade", async () => {
    const s = await server((_req, res) => setTimeout(() => json(res, 200, quota), 3_000));
    const client = createPuidClient({ apiKey, endpoint: s.url, timeout: 150, maxRetries: 1 });
    const { error } = await timed(() => client.GET("/v1/quota"));
    expect(error).toMatchObject({ code: "timeout" });
    expect(s.requests).toHaveLength(2);
  });
});

describe("bad answers", () => {
  test("500 with an HTML body: a read is retried, then status 500, code null", async () => {
    const s = await server((_req, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<h1>Internal Server Error</h1>");
    });
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 500, code: null });
    expect((error as Error).message).toContain("HTTP 500");
    expect(s.requests).toHaveLength(3);
    expect(ms).toBeGreaterThan(0.75 * 1500 - 50);
    expect(ms).toBeLessThan(10_000);
  });

  test("500 on /v1/ids is not repeated: quota may have been spent", async () => {
    const s = await server((_req, res) => json(res, 500, { error: "internal" }));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).ids(3));
    expect(error).toMatchObject({ status: 500, code: "internal" });
    expect(s.requests).toHaveLength(1);
  });

  test("malformed JSON in a success → invalid_response with the status, not a SyntaxError", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"plan": "free", ');
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(s.requests).toHaveLength(1);
  });
});

describe("rate limits and server hints", () => {
  test("429 with Retry-After: 1, then 200: waits about a second, succeeds", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited" }, { "retry-after": "1" }) : json(res, 200, ids(1)),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(value).toEqual(["id0"]);
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeGreaterThan(950);
    expect(ms).toBeLessThan(3_000);
  });

  test("PUID's body retryAfterMs wins over the rounded-up Retry-After", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited", retryAfterMs: 150 }, { "retry-after": "1" }) : json(res, 200, ids(1)),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(value).toEqual(["id0"]);
    expect(ms).toBeGreaterThan(140);
    expect(ms).toBeLessThan(900);
  });

  test("retry-after-ms wins over everything", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { error: "rate_limited", retryAfterMs: 5000 }, { "retry-after-ms": "100", "retry-after": "5" }) : json(res, 200, quota),
    );
    const { ms } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeLessThan(900);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1
        ? json(res, 503, { error: "maintenance" }, { "retry-after": new Date(Date.now() + 2_000).toUTCString() })
        : json(res, 200, quota),
    );
    const { ms, value } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(value).toEqual(quota);
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeGreaterThan(900); // HTTP dates have whole seconds: between 1 and 2 s from now
    expect(ms).toBeLessThan(4_000);
  });

  test("a hint over 60 s is not waited for: the error says how long", async () => {
    const s = await server((_req, res) => json(res, 429, { error: "rate_limited" }, { "retry-after": "120" }));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false }).ids(1));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 120_000 });
    expect(s.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1_000);
  });

  test("503 until retries run out: maxRetries + 1 attempts with backoff", async () => {
    const s = await server((_req, res) => json(res, 503, { error: "unavailable", message: "down for maintenance" }));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, maxRetries: 3 }).quota());
    expect(error).toMatchObject({ status: 503, code: "unavailable", message: expect.stringMatching(/^down for maintenance \(4 attempts over \d+\.\d s\)$/) });
    expect(s.requests).toHaveLength(4);
    expect(ms).toBeGreaterThan(0.75 * (500 + 1000 + 2000) - 50);
    expect(ms).toBeLessThan(12_000);
  });

  test("per-call maxRetries overrides the client's", async () => {
    const s = await server((_req, res) => json(res, 503, { error: "unavailable" }));
    await rejection(PuidError, new Puid({ apiKey, endpoint: s.url, maxRetries: 5 }).quota({ maxRetries: 0 }));
    expect(s.requests).toHaveLength(1);
  });

  test("each attempt sends a fresh copy of the body (a Picket POST refused with 429)", async () => {
    const s = await server((_req, res, _b, attempt) =>
      attempt === 1 ? json(res, 429, { msg: "slow down", code: "rate_limited" }, { "retry-after": "0" }) : json(res, 200, { nonce: "abcdefgh12", statement: "Sign in" }),
    );
    const picket = new Picket("sk_test_x", { baseURL: s.url });
    expect(await picket.nonce({ walletAddress: "0xabc" })).toEqual({ nonce: "abcdefgh12", statement: "Sign in" });
    expect(s.requests.map((r) => r.body)).toEqual([
      JSON.stringify({ chain: "ethereum", walletAddress: "0xabc" }),
      JSON.stringify({ chain: "ethereum", walletAddress: "0xabc" }),
    ]);
  });

  test("a Picket POST is not repeated after a 502", async () => {
    const s = await server((_req, res) => json(res, 502, { msg: "upstream failed" }));
    const error = await rejection(PicketError, new Picket("sk_test_x", { baseURL: s.url }).auth({ walletAddress: "0xabc", signature: "0x1" }));
    expect(error).toMatchObject({ status: 502, code: null, message: "upstream failed" });
    expect(s.requests).toHaveLength(1);
  });
});

describe("redirects never carry credentials to another origin", () => {
  test("cross-origin: followed without X-API-Key or Authorization", async () => {
    const other = await server((_req, res) => json(res, 200, quota));
    const first = await server((_req, res) => {
      res.writeHead(307, { location: `${other.url.replace("127.0.0.1", "localhost")}/v1/quota` });
      res.end();
    });
    expect(await new Puid({ apiKey, endpoint: first.url }).quota()).toEqual(quota);
    expect(first.requests[0]!.headers["x-api-key"]).toBe(apiKey);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  test("same origin: followed with the credential", async () => {
    const s = await server((req, res) => {
      if (req.url === "/old/v1/quota") {
        res.writeHead(301, { location: "/v1/quota" });
        res.end();
      } else json(res, 200, quota);
    });
    const picketStyle = new Puid({ apiKey, endpoint: `${s.url}/old` });
    expect(await picketStyle.quota()).toEqual(quota);
    expect(s.requests.map((r) => [r.url, r.headers["x-api-key"]])).toEqual([
      ["/old/v1/quota", apiKey],
      ["/v1/quota", apiKey],
    ]);
  });

  test("plain http to another host is refused unless allowed", async () => {
    for (const endpoint of ["http://puid.example.com/api", "http://10.1.2.3:8080/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).toThrow(expect.objectContaining({ code: "insecure_endpoint", status: null }));
      expect(() => new Puid({ apiKey, endpoint, allowInsecureHttp: true })).not.toThrow();
    }
    expect(() => new Picket("sk_x", { baseURL: "http://picket.example.com/api/v1" })).toThrow(PicketError);
    for (const endpoint of ["http://localhost:4010", "http://127.0.0.1:9", "http://[::1]:80/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).not.toThrow();
    }
    for (const endpoint of ["ftp://puid.dev/api", "not a url", "https://user:pw@puid.dev/api"]) {
      expect(() => new Puid({ apiKey, endpoint })).toThrow(expect.objectContaining({ code: "invalid_endpoint" }));
    }
  });
});

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
});

describe("pacing and bulk ids against a server that enforces one /v1/ids request per second", () => {
  /** Refuses a /v1/ids request that arrives within 1000 ms of the previous accepted one, as PUID does. */
  async function strictServer(opts: { quotaAfter?: number } = {}) {
    let last = -Infinity;
    let served = 0;
    const arrivals: number[] = [];
    const s = await server((req, res) => {
      const now = performance.now();
      arrivals.push(now);
      const n = Number(new URL(req.url!, "http://x").searchParams.get("n") ?? "1");
      if (now - last < 1000) return json(res, 429, { error: "rate_limited", retryAfterMs: Math.ceil(1000 - (now - last)) }, { "retry-after": "1" });
      last = now;
      if (opts.quotaAfter !== undefined && served + n > opts.quotaAfter) return json(res, 402, { error: "quota_exceeded", message: "Free tier is 1000 numbers/day.", upgrade_url: "https://puid.dev/upgrade" });
      json(res, 200, ids(n, served));
      served += n;
    });
    return { s, arrivals };
  }

  test("three concurrent ids() on one client: no 429 even with maxRetries 0, served in order", async () => {
    const { s, arrivals } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 0 });
    const results = await Promise.all([puid.ids(1), puid.ids(2), puid.ids(3)]);
    expect(results).toEqual([["id0"], ["id1", "id2"], ["id3", "id4", "id5"]]);
    expect(s.requests.map((r) => r.url)).toEqual(["/v1/ids?n=1", "/v1/ids?n=2", "/v1/ids?n=3"]);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(1000);
  });

  test("without pacing the same calls meet the limit (the test server really enforces it)", async () => {
    const { s } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url, maxRetries: 0, requestsPerSecond: false });
    const outcomes = await Promise.allSettled([puid.ids(1), puid.ids(1)]);
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
  });

  test("quota() and ordinal() are not paced", async () => {
    const s = await server((req, res) => (req.url === "/v1/quota" ? json(res, 200, quota) : json(res, 200, ids(1))));
    const puid = new Puid({ apiKey, endpoint: s.url });
    await puid.ids(1);
    const { ms } = await timed(() => Promise.all([puid.quota(), puid.quota(), puid.quota()]));
    expect(ms).toBeLessThan(500);
  });

  test("generate(25) makes exactly 3 requests (10, 10, 5) and yields 25 ids", async () => {
    const { s } = await strictServer();
    const seen: string[] = [];
    for await (const id of new Puid({ apiKey, endpoint: s.url, maxRetries: 0 }).generate(25)) seen.push(id);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `id${i}`));
    expect(s.requests.map((r) => r.url)).toEqual(["/v1/ids?n=10", "/v1/ids?n=10", "/v1/ids?n=5"]);
  });

  test("generate() stops with quota_exceeded after yielding what it got", async () => {
    const { s } = await strictServer({ quotaAfter: 20 });
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const id of new Puid({ apiKey, endpoint: s.url }).generate(30)) seen.push(id);
    } catch (error) {
      caught = error;
    }
    expect(seen).toHaveLength(20);
    expect(caught).toBeInstanceOf(PuidError);
    expect(caught).toMatchObject({ status: 402, code: "quota_exceeded", upgradeUrl: "https://puid.dev/upgrade" });
    expect(s.requests).toHaveLength(3);
  });

  test("generate(0) yields nothing and sends nothing; a bad total is invalid_count", async () => {
    const { s } = await strictServer();
    const puid = new Puid({ apiKey, endpoint: s.url });
    const none: string[] = [];
    for await (const id of puid.generate(0)) none.push(id);
    expect(none).toEqual([]);
    for (const total of [-1, 2.5, Number.NaN, "5"]) {
      await expect(puid.generate(total as number).next()).rejects.toMatchObject({ code: "invalid_count", status: null });
    }
    expect(s.requests).toHaveLength(0);
  });
});

describe("review findings pinned", () => {
  test("a cross-origin 307 of a POST is refused: the body (a client secret) never reaches the other origin", async () => {
    const other = await server((_req, res) => json(res, 200, { access_token: "stolen", token_type: "Bearer", expires_in: 3600, scope: "" }));
    const first = await server((_req, res) => {
      res.writeHead(307, { location: `${other.url.replace("127.0.0.1", "localhost")}/steal` });
      res.end();
    });
    const error = await rejection(PuidError, Puid.fromClientCredentials({ clientId: "client_abc", clientSecret: "secret_TOPSECRET", endpoint: first.url }));
    expect(error).toMatchObject({ status: null, code: "redirect_refused" });
    expect(other.requests).toHaveLength(0);
  });

  test("an HTML 200 (a captive portal) is invalid_response with status 200", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Sign in to the Wi-Fi</html>");
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
  });

  test("a JSON 200 of the wrong shape is invalid_response, never undefined", async () => {
    const s = await server((_req, res) => json(res, 200, { hello: 1 }));
    const puid = new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false });
    for (const call of [() => puid.ids(1), () => puid.quota(), () => puid.ordinal("abc")]) {
      expect(await rejection(PuidError, call())).toMatchObject({ status: 200, code: "invalid_response" });
    }
    expect(await rejection(PicketError, new Picket("sk_x", { baseURL: s.url }).chains())).toMatchObject({ code: "invalid_response" });
  });

  test("a key that cannot travel in a header is refused before any request, without echoing it", async () => {
    for (const apiKey of ["puid_live_SECRET\nX", "puid_live_€uro", "puid live"]) {
      let caught: unknown;
      try {
        new Puid({ apiKey });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ status: null, code: "invalid_credentials" });
      expect((caught as Error).message).not.toContain("SECRET");
    }
  });

  test("null options are the same as none", async () => {
    const s = await server((req, res) => (req.url === "/chains" ? json(res, 200, { data: [] }) : json(res, 200, quota)));
    expect(await new Puid({ apiKey, endpoint: s.url }).quota(null as never)).toEqual(quota);
    expect(await new Picket("sk_x", { baseURL: s.url }).chains(null as never)).toEqual([]);
    expect(() => new Picket("sk_x", null as never)).not.toThrow();
    expect(() => new Puid({ apiKey, endpoint: 5 as never })).toThrow(expect.objectContaining({ code: "invalid_endpoint" }));
  });

  test("bad option values are invalid_option before any request", async () => {
    const s = await server((_req, res) => json(res, 200, quota));
    const puid = new Puid({ apiKey, endpoint: s.url });
    for (const options of [{ timeout: 0 }, { timeout: -1 }, { timeout: "5" }, { maxRetries: 1.5 }, { maxRetries: -1 }, { signal: {} }, { fetch: 1 }]) {
      expect(await rejection(PuidError, puid.quota(options as never))).toMatchObject({ status: null, code: "invalid_option" });
    }
    expect(() => new Puid({ apiKey, endpoint: s.url, requestsPerSecond: 0 })).toThrow(expect.objectContaining({ code: "invalid_option" }));
    expect(s.requests).toHaveLength(0);
  });
});

describe("cancellation reaches every wait", () => {
  test("the caller's signal ends a call that waits for a slow token renewal", async () => {
    let minted = 0;
    const s = await server((req, res) => {
      if (req.url === "/oauth/token") {
        minted++;
        const reply = () => json(res, 200, { access_token: `tok${minted}`, token_type: "Bearer", expires_in: 1, scope: "puid:generate" });
        return minted === 1 ? reply() : void setTimeout(reply, 5_000); // the renewal hangs
      }
      json(res, 200, quota);
    });
    const puid = await Puid.fromClientCredentials({ clientId: "client_abc", clientSecret: "secret_xyz", endpoint: s.url });
    await new Promise((r) => setTimeout(r, 1_050)); // the first token has expired
    const { ms, error } = await timed(() => puid.quota({ signal: AbortSignal.timeout(200) }));
    expect(error).toMatchObject({ status: null, code: "aborted" });
    expect(ms).toBeLessThan(1_500);
  });

  test("a custom fetch that ignores Request.signal cannot outlast the timeout", async () => {
    const deaf = (request: Request) => globalThis.fetch(request.url, { headers: request.headers }); // drops the signal
    const s = await server((_req, res) => setTimeout(() => json(res, 200, quota), 3_000));
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url, fetch: deaf, timeout: 300, maxRetries: 0 }).quota());
    expect(error).toMatchObject({ code: "timeout" });
    expect(ms).toBeLessThan(1_500);
  });

  test("a client-wide signal collects no listeners across calls", async () => {
    const s = await server((_req, res) => json(res, 200, quota));
    const controller = new AbortController();
    const puid = new Puid({ apiKey, endpoint: s.url, signal: controller.signal });
    for (let i = 0; i < 30; i++) await puid.quota({ signal: new AbortController().signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0); // the client listens only while a call is in flight
  });

  test("a client-wide signal ends every call in flight, however many, without a listener warning", async () => {
    const s = await server(() => undefined); // never answers
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const puid = new Puid({ apiKey, endpoint: s.url, signal: controller.signal, timeout: 5_000 });
      const calls = Array.from({ length: 24 }, () => rejection(PuidError, puid.quota()));
      await vi.waitFor(() => expect(s.requests.length).toBeGreaterThan(0));
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort(new Error("shutting down"));
      for (const error of await Promise.all(calls)) expect(error.code).toBe("aborted");
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("a caller aborted while queued for pacing frees its turn", async () => {
    const s = await server((_req, res) => json(res, 200, ids(1)));
    const puid = new Puid({ apiKey, endpoint: s.url });
    await puid.ids(1);
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const queued = controllers.map((c) => puid.ids(1, { signal: c.signal }));
    controllers.forEach((c) => c.abort());
    for (const q of queued) await expect(q).rejects.toMatchObject({ code: "aborted" });
    const { ms } = await timed(() => puid.ids(1));
    expect(ms).toBeLessThan(1_600); // one interval after the first call, not five
    expect(s.requests).toHaveLength(2);
  });
});

describe("pacing holds when the network is slow", () => {
  test("a first request slowed on its way (connection setup) does not squeeze the next one", async () => {
    let last = -Infinity;
    const gaps: number[] = [];
    const s = await server((_req, res) => {
      const now = performance.now();
      gaps.push(now - last);
      if (now - last < 1000) return json(res, 429, { error: "rate_limited", retryAfterMs: 1000 });
      last = now;
      json(res, 200, ids(1));
    });
    let first = true;
    const slowFirst = async (request: Request) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 300)); // 300 ms before the request reaches the server
      }
      return globalThis.fetch(request);
    };
    const puid = new Puid({ apiKey, endpoint: s.url, fetch: slowFirst, maxRetries: 0 });
    await Promise.all([puid.ids(1), puid.ids(1)]);
    expect(gaps[1]).toBeGreaterThanOrEqual(1000);
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
