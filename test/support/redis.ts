// A real redis-server (Debian's, /usr/bin/redis-server) for coordination tests: one per test
// file or per test, on a free loopback port, with no persistence and a temp dir of its own.
// Tests may kill it (as a crash would) and start it again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "redis";
import type { Logger } from "../../src/core/log.js";

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, for `createClient({ url })`. */
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** SIGKILL the server, as a crash would, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Start it again on the same port (empty: nothing persists) and wait until it answers. */
  restart(): Promise<void>;
  /** Stop it and remove its directory. */
  stop(): Promise<void>;
}

/** Debian's redis-server by default; REDIS_SERVER names another (e.g. Homebrew's), else the one on the PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER ?? (fs.existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server");
const START_TIMEOUT_MS = 10_000;

/** Start redis-server on a free port of 127.0.0.1; resolves once it answers `PING`. */
export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "picket-puid-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      // DEBUG SLEEP is how the tests make Redis slow; loopback callers only.
      "--enable-debug-command",
      "local",
      "--loglevel",
      "warning",
    ];
    const started = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    let output = "";
    started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_, reject) => {
      started.once("exit", (code, signal) => reject(new Error(`redis-server exited (${code ?? signal}) before answering:\n${output}`)));
      started.once("error", (error) =>
        reject(
          new Error(`cannot start ${REDIS_SERVER} (${error.message}): install it (apt-get install redis-server) or set REDIS_SERVER to its path`, {
            cause: error,
          }),
        ),
      );
    });
    exited.catch(() => undefined);
    await Promise.race([answers(port, START_TIMEOUT_MS), exited]);
  };

  const kill = async () => {
    const current = child;
    child = null;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => current.once("exit", () => resolve()));
    current.kill("SIGKILL");
    await gone;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolve once `PING` on `port` gets `+PONG`; each refused or unanswered try is repeated until `timeoutMs`. */
async function answers(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await ping(port)) === "pong") return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Resolve once the server on `port` is inside a blocking command (`DEBUG SLEEP`): a `PING` on a
 * fresh connection gets no answer for `silenceMs`, where a server that runs answers in well under 1 ms.
 */
export async function untilAsleep(port: number, silenceMs = 100, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await ping(port, silenceMs)) !== "silent") {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not fall silent within ${timeoutMs} ms`);
  }
}

/** One `PING` on a fresh connection: answered with `+PONG`, left unanswered for `timeoutMs`, or refused/failed. */
function ping(port: number, timeoutMs = 1_000): Promise<"pong" | "silent" | "failed"> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let reply = "";
    const done = (outcome: "pong" | "silent" | "failed") => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done("silent"));
    socket.once("error", () => done("failed"));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG") ? "pong" : "failed");
    });
  });
}

/** A node-redis client connected to `url`, with the `error` listener node-redis asks its owner for. */
export async function connect(url: string) {
  const client = createClient({ url });
  client.on("error", () => undefined); // outages are what some tests cause; the coordination reports them
  await client.connect();
  return client;
}

/** What `connect()` gives. */
export type RedisClient = Awaited<ReturnType<typeof connect>>;

/** A logger that keeps every line, to count warnings and check that nothing secret is written. */
export function recordingLogger() {
  const lines: { level: "debug" | "info" | "warn" | "error"; message: string; details: unknown[] }[] = [];
  const logger: Logger = {
    debug: (message, ...details) => void lines.push({ level: "debug", message, details }),
    info: (message, ...details) => void lines.push({ level: "info", message, details }),
    warn: (message, ...details) => void lines.push({ level: "warn", message, details }),
    error: (message, ...details) => void lines.push({ level: "error", message, details }),
  };
  return { logger, lines, at: (level: (typeof lines)[number]["level"]) => lines.filter((line) => line.level === level) };
}

/**
 * Watch the server with `MONITOR` from a client of its own: every command any client (or a Lua
 * script) runs, as Redis prints it. `until(n)` resolves once `n` lines match `pattern`.
 */
export async function monitor(url: string) {
  const client = await connect(url);
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  await client.monitor((line) => {
    lines.push(String(line));
    waiting.forEach((check) => check());
  });
  return {
    lines,
    until(pattern: RegExp, count: number): Promise<string[]> {
      return new Promise((resolve) => {
        const check = () => {
          const matching = lines.filter((line) => pattern.test(line));
          if (matching.length >= count) {
            waiting.delete(check);
            resolve(matching);
          }
        };
        waiting.add(check);
        check();
      });
    },
    close: () => client.destroy(),
  };
}

/** `INFO commandstats` as calls per command name (`evalsha`, `get`, ...). */
export async function commandCalls(client: RedisClient): Promise<Record<string, number>> {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- INFO answers a bulk string (RESP2) or a verbatim one (RESP3, a String object): text either way
  const info = String(await client.sendCommand(["INFO", "commandstats"]));
  const calls: Record<string, number> = {};
  for (const [, name, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[name!] = Number(count);
  return calls;
}
