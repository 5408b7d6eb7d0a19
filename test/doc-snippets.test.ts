// Every TypeScript example a user reads — the README's and docs/*.md's ```ts blocks, the samples
// the API references show, the docs front page's, the TSDoc comments' in src/ (the SDK reference
// and editors show them) — compiles in a strict project (nodenext and
// bundler) and runs as it stands against emulators started for it, with the environment
// variables the clients read (the package from src/: nothing needs building first). A block may opt out of running (never of compiling) only with a
// `// compile-only: <why>` comment readers see; they are counted, and must stay few.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { docBlocks, locate, writeSnippetProject, type DocBlock } from "../scripts/doc-blocks.mjs";
import { createPicketEmulator, createPuidEmulator, type Listening } from "../src/emulator/index.js";
import { evmWallet, signIn } from "./support/picket-emulator.js";
import { clientToken } from "./support/puid-emulator.js";
import { startRedis, type RedisServer } from "./support/redis.js";

const root = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);

/** The most blocks that may be left out of running; each one is code a reader cannot try as it stands. */
const MAX_COMPILE_ONLY = 5;
/** Blocks run at once: each is a Node process, and the machine has two cores shared with the rest of the suite. */
const PARALLEL = 2;
/** How long one block may run: the slowest wait on PUID's pace for a few seconds. */
const RUN_TIMEOUT_MS = 45_000;

/** The package's entries, mapped to src/ as a user's project maps them to the installed package. */
const PATHS = {
  "picket-puid": ["src/index.ts"],
  "picket-puid/puid": ["src/puid/index.ts"],
  "picket-puid/picket": ["src/picket/index.ts"],
  "picket-puid/emulator": ["src/emulator/index.ts"],
  "picket-puid/redis": ["src/redis/index.ts"],
};

/** The OAuth client and redirect URI each PUID emulator knows, and the Picket project allows. */
const CLIENT = { clientId: "client_docs0000000000", clientSecret: "secret_docs00000000000000000000", redirectUris: ["https://app.example.com/callback"] };
/** What the wallet in the examples holds, so a token-gating example has something to find. */
const WALLET = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
const UNI = "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984";

const blocks = docBlocks(root);
const runnable = blocks.filter((block) => block.compileOnly === null);
const compileOnly = blocks.filter((block) => block.compileOnly !== null);
const where = (block: DocBlock) => `${block.source}:${block.line}`;

// Inside the repository, so the blocks' imports of other packages (redis, viem) and Node's types
// resolve from its node_modules, as they would in a user's project.
fs.mkdirSync(path.join(root, ".tmp"), { recursive: true });
const dir = fs.mkdtempSync(path.join(root, ".tmp", "doc-snippets-"));
const out = path.join(dir, "out");
let runner = "";

beforeAll(async () => {
  writeSnippetProject(dir, blocks, {
    paths: Object.fromEntries(Object.entries(PATHS).map(([name, [file]]) => [name, [path.relative(dir, path.join(root, file!))]])),
  });
  // Each runnable block as one ES module with the package's src/ in it, so a run is a plain Node
  // process (a TypeScript loader in each of them would cost more than the block). Other packages
  // (redis, viem, the emulator's libraries) stay imports, resolved from node_modules as a user's are.
  await esbuild.build({
    entryPoints: runnable.map((block) => path.join(dir, `${block.name}.ts`)),
    outdir: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: Object.fromEntries(Object.entries(PATHS).map(([name, [file]]) => [name, path.join(root, file!)])),
    sourcemap: "inline",
    logLevel: "silent",
  });
  // Runs one block as a script would be run, and exits once its top level is done: a server or
  // a Redis connection it leaves open (as an app would) does not keep the test waiting.
  runner = path.join(out, "run-block.mjs");
  fs.writeFileSync(
    runner,
    [
      'import { pathToFileURL } from "node:url";',
      'process.on("unhandledRejection", (reason) => { console.error("unhandled rejection:", reason); process.exit(1); });',
      "await import(pathToFileURL(process.argv[2]).href);",
      "setTimeout(() => process.exit(0), 100);",
      "",
    ].join("\n"),
  );
});

afterAll(() => {
  console.log(
    `doc snippets: ${blocks.length} blocks compiled (nodenext and bundler), ${runnable.length} run against the emulators, ${compileOnly.length} compile-only` +
      compileOnly.map((block) => `\n  ${where(block)}: ${block.compileOnly}`).join(""),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the docs' TypeScript examples", () => {
  test("are found where readers see them: the README, docs/*.md, every sample, the front page, the TSDoc comments", () => {
    const from = (prefix: string) => blocks.filter((block) => block.source.startsWith(prefix)).length;
    expect(from("README.md")).toBeGreaterThanOrEqual(20);
    expect(from("docs/samples/")).toBe(
      fs.readdirSync(path.join(root, "docs/samples"), { recursive: true }).filter((file) => String(file).endsWith(".ts")).length,
    );
    expect(from("docs/index.html")).toBeGreaterThanOrEqual(2);
    expect(from("src/")).toBeGreaterThanOrEqual(10);
    expect(new Set(blocks.map((block) => block.name)).size).toBe(blocks.length);
  });

  test(`few are left out of running (at most ${MAX_COMPILE_ONLY}), each saying why`, () => {
    expect(compileOnly.length, `compile-only: ${compileOnly.map(where).join(", ")}`).toBeLessThanOrEqual(MAX_COMPILE_ONLY);
    for (const block of compileOnly) expect(block.compileOnly!.length, where(block)).toBeGreaterThan(10);
  });

  test.each(["tsconfig.json", "tsconfig.bundler.json"])("compile, strict with noUncheckedIndexedAccess (%s)", { timeout: 120_000 }, async (config) => {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", path.join(dir, config), "--pretty", "false"], { cwd: dir }).then(
      () => "",
      (error: Error & { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error),
    );
    expect(locate(result, blocks)).toBe("");
  });
});

describe.concurrent("the docs' TypeScript examples run against the emulators", () => {
  const turn = slots(PARALLEL);
  test.each(runnable.map((block) => [where(block), block] as const))("%s", { timeout: 4 * RUN_TIMEOUT_MS }, async (_, block) => {
    const release = await turn();
    const servers = await serversFor(block);
    try {
      const { code, output } = await runBlock(block, servers.env);
      expect(code, `${where(block)} failed:\n${output}`).toBe(0);
    } finally {
      await servers.close();
      release();
    }
  });
});

/** The servers one block runs against, and the environment that points it at them. */
async function serversFor(block: DocBlock): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const puid = createPuidEmulator({ clients: [CLIENT] });
  const picket = createPicketEmulator({ redirectUris: CLIENT.redirectUris, ledger: { ethereum: { [WALLET]: { contractAddress: { [UNI]: "3" } } } } });
  const open: Listening[] = [await puid.listen(), await picket.listen()];
  let redis: RedisServer | null = null;
  try {
    const env: Record<string, string> = {
      PUID_API_KEY: puid.apiKeys[0]!,
      PUID_ENDPOINT: open[0]!.url,
      PUID_CLIENT_ID: CLIENT.clientId,
      PUID_CLIENT_SECRET: CLIENT.clientSecret,
      PICKET_SECRET_KEY: picket.secretKeys[0]!,
      PICKET_BASE_URL: open[1]!.url,
    };
    // What takes a request or a signature to make is made for the blocks that use it.
    if (block.code.includes("PUID_ACCESS_TOKEN")) env.PUID_ACCESS_TOKEN = await clientToken(puid, CLIENT);
    if (block.code.includes("USER_ACCESS_TOKEN")) {
      // A user who signed in with a wallet that holds the token the examples gate on.
      const wallet = evmWallet();
      picket.setBalance("ethereum", wallet.address, "contractAddress", UNI, "3");
      const login = await signIn(picket, wallet);
      if (login.status !== 200) throw new Error(`the sign-in for USER_ACCESS_TOKEN failed: ${JSON.stringify(login.body)}`);
      env.USER_ACCESS_TOKEN = login.body.accessToken;
    }
    if (block.code.includes("REDIS_URL")) {
      redis = await startRedis();
      env.REDIS_URL = redis.url;
    }
    return {
      env,
      close: async () => {
        await Promise.all([...open.map((server) => server.close()), redis?.stop()]);
      },
    };
  } catch (error) {
    await Promise.all(open.map((server) => server.close()));
    throw error;
  }
}

/** Run one block in a Node process of its own, with `env` over this process's. */
function runBlock(block: DocBlock, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--enable-source-maps", runner, path.join(out, `${block.name}.js`)], {
      cwd: dir,
      env: { ...process.env, PICKET_PUID_LOG: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[killed after ${RUN_TIMEOUT_MS} ms]`;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A counting semaphore: `await turn()` waits for one of `n` slots and returns its release. */
function slots(n: number): () => Promise<() => void> {
  let free = n;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async () => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return release;
  };
}
