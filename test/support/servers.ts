// Real local HTTP servers for tests that need a server Prism cannot be: one that answers with
// what a test says, or a port where nothing listens.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  url: string;
  /** Requests seen so far, in order. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** Serve on 127.0.0.1:0 with `handler`, recording every request. */
export async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that answers everything with an HTML error page, as a proxy in front of an API does. */
export function serveHtml(status: number): Promise<LocalServer> {
  return serve((_req, res) => {
    res.writeHead(status, { "content-type": "text/html" });
    res.end(`<html><body><h1>${status} Bad Gateway</h1></body></html>`);
  });
}
