// The benchmark's HTTP server, run by bench/run.mjs in a child process of its own (see run.mjs
// for why). It answers two routes with fixed bodies, as fast as node:http can, and keeps
// connections alive so every variant measures requests, not TCP handshakes:
//
//   GET  /v1/ids?n=3   → an ids-like JSON answer (PUID)
//   POST /auth/nonce   → a nonce-like JSON answer (Picket); the JSON body is read and parsed
//
// Anything else is a 404, so a client that builds the wrong URL fails the run instead of being
// timed. It tells its parent the port over IPC and exits when the parent goes away.
import http from "node:http";

/** @typedef {{ body: Buffer, headers: Record<string, string> }} Answer A body with its headers, made once and sent many times. */

/** @returns {Answer} */
const json = (/** @type {unknown} */ value) => {
  const body = Buffer.from(JSON.stringify(value));
  return { body, headers: { "content-type": "application/json", "content-length": String(body.length) } };
};

const IDS = json({
  ids: ["64qAN39GjJh5kbi4HROOxh", "7U17bzw0MO3mzwuFKO7cc0", "30VPBF31VZWWlzaiUnNPQ6"],
  count: 3,
  quota: { used: 3, limit: 1000 },
});
const NONCE = json({ nonce: "Ov8GZ4fKq1OKtbgZV", statement: "Sign in to Example App", format: "siwe" });
const NOT_FOUND = json({ error: "not_found" });
const BAD_REQUEST = json({ error: "bad_request" });

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {Answer} answer
 */
function send(res, status, { body, headers }) {
  res.writeHead(status, headers);
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/v1/ids?n=3") {
    // Drain (there is no body) so the connection is ready for the next request at once.
    req.resume();
    return send(res, 200, IDS);
  }
  if (req.method === "POST" && req.url === "/auth/nonce") {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (typeof body?.walletAddress !== "string") return send(res, 400, BAD_REQUEST);
      } catch {
        return send(res, 400, BAD_REQUEST);
      }
      send(res, 200, NONCE);
    });
    return;
  }
  req.resume();
  send(res, 404, NOT_FOUND);
});

// Keep idle connections far longer than any pause of the benchmark (undici's client keeps them
// as long as the server's Keep-Alive hint says), so no variant pays for a reconnect.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;

server.listen(0, "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
});

// The parent's IPC channel closing (it exited, or crashed) ends the server too.
process.on("disconnect", () => process.exit(0));
