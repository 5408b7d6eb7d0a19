// Worker processes for tests that need real separate processes (a fleet sharing Redis): a worker
// source bundled once with esbuild (loading node-redis file by file is what makes twenty processes
// take a minute to start on a small machine; one file takes seconds), then forked with the job as
// its argument. A worker talks over IPC: it sends { type: "ready" } once set up, waits for
// { type: "go" } (so all start at once), and reports with messages of its own types; a
// { type: "log" } message is a log line, a { type: "failed", message } one a failure.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";

/** What every worker may send besides its own messages. */
export type CommonMessage = { type: "ready" } | { type: "failed"; message: string } | { type: "log"; level: string; message: string };

/** A bundled worker source; `close()` removes it. */
export interface Bundle {
  readonly file: string;
  close(): Promise<void>;
}

/** Bundle `source` (a .ts file) into one CommonJS file for Node. */
export async function bundle(source: string): Promise<Bundle> {
  const dir = await mkdtemp(path.join(tmpdir(), "picket-puid-worker-"));
  const file = path.join(dir, `${path.basename(source, ".ts")}.cjs`);
  await build({ entryPoints: [source], outfile: file, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" });
  return { file, close: () => rm(dir, { recursive: true, force: true }) };
}

/** One forked worker: its messages, taken in order, and its log lines. */
export interface Worker<M extends { type: string }> {
  readonly child: ChildProcess;
  /**
   * The next message of `type` not taken yet, waiting for it. Rejects if the worker reports a
   * failure or exits first.
   */
  next<T extends M["type"]>(type: T): Promise<Extract<M, { type: T }>>;
  readonly logs: { level: string; message: string }[];
}

export function forkWorker<M extends { type: string }>(bundled: Bundle, job: unknown): Worker<M | CommonMessage> {
  const child = fork(bundled.file, [JSON.stringify(job)], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const inbox: (M | CommonMessage)[] = [];
  const logs: { level: string; message: string }[] = [];
  const waiting = new Set<() => void>();
  let exit: string | null = null;
  child.on("message", (message: M | CommonMessage) => {
    if (message.type === "log") {
      const line = message as Extract<CommonMessage, { type: "log" }>;
      logs.push({ level: line.level, message: line.message });
    } else inbox.push(message);
    waiting.forEach((check) => check());
  });
  child.on("exit", (code, signal) => {
    exit = `exited (${code ?? signal})`;
    waiting.forEach((check) => check());
  });
  return {
    child,
    logs,
    next(type) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = inbox.findIndex((m) => m.type === type || m.type === "failed");
          if (at >= 0) {
            const [message] = inbox.splice(at, 1) as [M | CommonMessage];
            waiting.delete(check);
            if (message.type === "failed" && type !== "failed") reject(new Error(`a worker failed: ${(message as { message?: string }).message}`));
            else resolve(message as never);
          } else if (exit !== null) {
            waiting.delete(check);
            reject(new Error(`a worker ${exit} before sending "${type}"`));
          }
        };
        waiting.add(check);
        check();
      });
    },
  };
}

/** Fork `count` workers, wait until every one is ready, then let them go at once. */
export async function startAll<M extends { type: string }>(bundled: Bundle, count: number, job: unknown): Promise<Worker<M | CommonMessage>[]> {
  const workers = Array.from({ length: count }, () => forkWorker<M>(bundled, job));
  try {
    await Promise.all(workers.map((w) => (w as Worker<CommonMessage>).next("ready")));
  } catch (error) {
    stopAll(workers);
    throw error;
  }
  workers.forEach((w) => w.child.send({ type: "go" }));
  return workers;
}

/** Kill every worker still running. */
export function stopAll(workers: readonly { child: ChildProcess }[]): void {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
}
