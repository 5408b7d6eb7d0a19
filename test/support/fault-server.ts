// The fault-injection harness: a real local HTTP server (node:http, 127.0.0.1, port 0, from
// servers.ts) that misbehaves on purpose, closed after every test of the file that imports this
// module; canned answers in the shape PUID sends; and a clock around a call. Tests built on it
// assert the outcome, the error code, how many attempts the server saw, and elapsed-time bounds
// wide enough never to flake.
import type http from "node:http";
import { afterEach } from "vitest";
import { serve, type LocalServer } from "./servers.js";

export const apiKey = "puid_live_FaultTestKey0123456789abc";

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, attempt: number) => void;
/** A server whose handler also knows which attempt (1-based) this request is. */
export async function server(handler: Handler): Promise<LocalServer> {
  let attempt = 0;
  const s = await serve((req, res, body) => handler(req, res, body, ++attempt));
  servers.push(s);
  return s;
}

export const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
export const quota = { plan: "free", used: 1, limit: 1000, remaining: 999 };
export const ids = (n: number, from = 0) => ({ ids: Array.from({ length: n }, (_, i) => `id${from + i}`), count: n, quota: { used: n, limit: 1000 } });

/** Time a promise; returns its settled outcome and the milliseconds it took. */
export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await run();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}
