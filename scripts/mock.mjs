#!/usr/bin/env node
// Prism mock servers for both API documents, started in-process through Prism's programmatic
// API (about 50 ms, against ~2.5 s for the CLI) so the test suite starts fast.
//
//   import { startMocks } from "./scripts/mock.mjs"   → { puid: {url, close}, picket: {...}, close }
//   node scripts/mock.mjs [--port-puid N] [--port-picket N]   → serve until Ctrl-C
//
// Every server listens on 127.0.0.1, port 0 unless told otherwise (the machine is shared).
// Request validation and security checks are on; `errors: true` turns a response example that
// breaks its own schema into a 500, so a bad example fails the suite instead of passing quietly.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const { getHttpOperationsFromSpec } = require("@stoplight/prism-http");
const { createServer } = require("@stoplight/prism-http-server");
const { createLogger } = require("@stoplight/prism-core");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** @typedef {{ url: string, close: () => Promise<void> }} Mock A running Prism: its origin, and how to stop it. */

/** The documents, by API name. */
export const documents = {
  puid: path.join(root, "openapi/puid.yaml"),
  picket: path.join(root, "openapi/picket.yaml"),
};

/**
 * Start one Prism mock for a document.
 * @param {string} document path of an OpenAPI document
 * @param {{port?: number, host?: string, errors?: boolean, verbose?: boolean, upstream?: string}} [options]
 *   `upstream`: proxy to this origin instead of mocking (see `startProxy`)
 * @returns {Promise<Mock>}
 */
export async function startMock(document, { port = 0, host = "127.0.0.1", errors = true, verbose = false, upstream } = {}) {
  const operations = await getHttpOperationsFromSpec(document);
  const logger = createLogger("mock", { level: verbose ? "info" : "silent" });
  const config = {
    upstreamProxy: undefined, // no proxy between Prism and an upstream (Prism's config requires the key)
    checkSecurity: true,
    validateRequest: true,
    validateResponse: true,
    mock: { dynamic: false },
    errors,
  };
  const server = createServer(operations, {
    components: { logger },
    cors: true,
    config: upstream ? { ...config, isProxy: true, upstream: new URL(upstream) } : { ...config, isProxy: false },
  });
  const address = await server.listen(port, host);
  // Prism answers with "http://host:port"; read the port from the real socket to be sure.
  const actual = typeof address === "string" ? new URL(address).port : String(port);
  const url = `http://${host}:${actual}`;
  return { url, close: () => server.close() };
}

/**
 * Start Prism as a validating proxy in front of `upstream` (an emulator's origin): every request
 * is checked against the document before it is forwarded, and every answer on its way back. With
 * `errors: true` a violation either way becomes an error response instead of a warning, so a test
 * that passes through the proxy fails on anything the document does not allow.
 * @param {string} document path of an OpenAPI document
 * @param {string} upstream the origin to forward to, e.g. `http://127.0.0.1:1234`
 * @param {{port?: number, host?: string, errors?: boolean, verbose?: boolean}} [options]
 * @returns {Promise<Mock>}
 */
export function startProxy(document, upstream, options = {}) {
  return startMock(document, { ...options, upstream });
}

/**
 * Start a mock for each API document.
 * @param {{errors?: boolean, verbose?: boolean, ports?: {puid?: number, picket?: number}}} [options]
 */
export async function startMocks({ errors = true, verbose = false, ports = {} } = {}) {
  const [puid, picket] = await Promise.all([
    startMock(documents.puid, { errors, verbose, port: ports.puid ?? 0 }),
    startMock(documents.picket, { errors, verbose, port: ports.picket ?? 0 }),
  ]);
  return {
    puid,
    picket,
    close: async () => {
      await Promise.allSettled([puid.close(), picket.close()]);
    },
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const arg = (/** @type {string} */ name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : 0;
  };
  const mocks = await startMocks({ verbose: process.argv.includes("--verbose"), ports: { puid: arg("--port-puid"), picket: arg("--port-picket") } });
  console.log(`PUID mock:   ${mocks.puid.url}`);
  console.log(`Picket mock: ${mocks.picket.url}`);
  console.log("Ctrl-C to stop.");
  const stop = async () => {
    await mocks.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
