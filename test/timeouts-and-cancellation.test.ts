// Timeouts and cancellation: a timeout bounds each whole attempt (headers and body), the caller's
// signal ends a call wherever it waits (the connection, the body, a backoff, a token renewal, a
// place in the pacing queue), and neither leaves anything behind — no open request, no listener,
// nothing holding the event loop. The typed low-level client gets the same from the same transport.
import { describe, expect, test, vi } from "vitest";
import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import type http from "node:http";
import { Picket } from "../src/picket/index.js";
import { createPuidClient, Puid, PuidError } from "../src/puid/index.js";
import { apiKey, ids, json, quota, server, timed } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";

/** Resolves when the connection of `req` closes, with the milliseconds since `since`. */
const closed = (req: http.IncomingMessage, since: number) =>
  new Promise<number>((resolve) => req.socket.once("close", () => resolve(performance.now() - since)));
const settledWithin = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms))]);

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
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const start = performance.now();
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const outcome = await settledWithin(exited, 10_000);
    if (outcome === "pending") child.kill();
    expect(outcome).toBe(0);
    expect(output.trim()).toBe("timeout");
    expect(performance.now() - start).toBeLessThan(10_000);
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
