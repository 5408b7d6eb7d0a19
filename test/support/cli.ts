// The picket-puid command as a user runs it: a real process, started from the files
// `npm run build` makes (esbuild with the same options: the command bundled into cli/picket-puid.mjs,
// the emulator entry into esm/emulator/, which the command loads at run time), built once per
// test file into a directory of its own under .tmp/ (inside the repository, so the bundles' package
// imports find node_modules). Nothing is ever waited for by the clock: only for output or an exit.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What a finished run of the command left. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A command still running: what it has printed so far, and ways to wait on it. */
export interface Running {
  child: ChildProcess;
  /** Resolves with stdout so far once it matches `pattern`; rejects if the process ends first. */
  stdoutMatching(pattern: RegExp): Promise<string>;
  exit: Promise<Exit>;
}

/** The built command: `run` it to the end, or `start` it and talk to it. */
export interface Cli {
  /** The path of the bundle (run it with `process.execPath`). */
  bin: string;
  run(args: readonly string[], options?: { env?: Record<string, string>; input?: string }): Promise<Exit>;
  start(args: readonly string[], env?: Record<string, string>): Running;
  remove(): void;
}

/** Build the command as scripts/build.mjs does, into a fresh directory. */
export async function buildCli(): Promise<Cli> {
  mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, ".tmp", "cli-"));
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), "node:*"];
  const common = { absWorkingDir: ROOT, bundle: true, format: "esm", external, legalComments: "none", logLevel: "warning" } as const;
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { "emulator/index": "src/emulator/index.ts" },
      outdir: path.join(dir, "esm"),
      splitting: true,
      platform: "neutral",
      target: "es2022",
    }),
    esbuild.build({
      ...common,
      entryPoints: ["src/cli/main.ts"],
      outfile: path.join(dir, "cli", "picket-puid.mjs"),
      platform: "node",
      target: "node20",
      banner: { js: "#!/usr/bin/env node" },
    }),
  ]);
  const bin = path.join(dir, "cli", "picket-puid.mjs");
  const start = (args: readonly string[], env: Record<string, string> = {}, input?: string): Running => {
    // Only what the test gives: a PUID_API_KEY of the machine running the tests must not leak in.
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.on("error", () => {}); // a command that never reads its stdin may be gone before it is closed
    child.stdin.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exit = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
    return {
      child,
      exit,
      stdoutMatching: (pattern) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (!pattern.test(stdout)) return;
            child.stdout.off("data", check);
            resolve(stdout);
          };
          child.stdout.on("data", check); // after the collecting listener, so `stdout` holds the chunk
          check();
          void exit.then(({ code, stderr: errors }) => reject(new Error(`the command ended (${code}) before printing ${pattern}; stderr: ${errors}`)));
        }),
    };
  };
  return {
    bin,
    run: (args, options = {}) => start(args, options.env, options.input).exit,
    start: (args, env) => start(args, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The lines of an output, without the final newline. */
export const lines = (text: string): string[] => text.replace(/\n$/, "").split("\n");
