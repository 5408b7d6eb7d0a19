#!/usr/bin/env node
// Serve a folder (default site/) on 127.0.0.1 — `npm run docs:serve`, and the browser test.
//   node scripts/serve.mjs [dir] [--port N]   (port 0, the default, picks a free one)
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/svg+xml", // site/favicon.ico is an SVG
  ".woff2": "font/woff2",
};

/**
 * Serve `dir` on 127.0.0.1:`port`; resolves to `{ url, close }`.
 * @param {string} dir
 * @param {number} [port] 0 (the default) picks a free one
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(dir, port = 0) {
  const rootDir = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = path.join(rootDir, pathname);
    if (!file.startsWith(rootDir)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (error, body) => {
      if (error) {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    });
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(port, "127.0.0.1", resolve)));
  const url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const dir = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "site";
  const i = process.argv.indexOf("--port");
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    console.error(`${dir}/index.html not found: run \`npm run docs\` first.`);
    process.exit(1);
  }
  const { url, close } = await serveStatic(dir, i > 0 ? Number(process.argv[i + 1]) : 0);
  console.log(`Serving ${dir}/ at ${url}/ — Ctrl-C to stop.`);
  const stop = () => close().then(() => process.exit(0));
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
