// The hostile-server suite's harness: real node:http servers on 127.0.0.1 that misbehave on
// purpose, each bounded in time and in what it sends, closed after every test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface Hostile {
  url: string;
  /** Requests that reached the server, in order. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** How many connections closed, and how many of those before the server finished its answer. */
  closedEarly: () => number;
  close(): Promise<void>;
}

const open: Hostile[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A server whose handler may write anything, for as long as the socket stays open. */
export async function hostile(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Hostile> {
  const requests: Hostile["requests"] = [];
  let early = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.on("close", () => {
        if (!res.writableFinished) early++;
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const s: Hostile = {
    url: `http://127.0.0.1:${port}`,
    requests,
    closedEarly: () => early,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(s);
  return s;
}

export const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

/**
 * Write `chunk` again and again until `limit` bytes went out or the client hangs up; respects
 * back-pressure, so the server never buffers more than a chunk ahead.
 */
export function flood(res: http.ServerResponse, chunk: Buffer, limit: number): void {
  let sent = 0;
  const more = () => {
    while (sent < limit && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

export const apiKey = "puid_live_HostileTestKey0123456789ab";
export const secretKey = "sk_live_HostileSECRETkey0123456789";
export const quota = { plan: "free", used: 1, limit: 1000, remaining: 999 };

/** A server that writes `response` as raw bytes on every connection: for answers node:http refuses to write. */
export async function rawServer(response: string | Buffer): Promise<{ url: string; connections: () => number }> {
  const net = await import("node:net");
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.once("data", () => socket.end(response));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  open.push({ url: "", requests: [], closedEarly: () => 0, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}
