/**
 * What both emulators share: the clock they read, and serving a `fetch` handler on a local port.
 *
 * An emulator is a Web-standard `fetch` handler first (it runs unchanged in Node, Bun, Deno,
 * workers and browsers); `listen()` puts it on a real socket where the runtime has one.
 */

/** A source of time in milliseconds since the epoch. Emulators read it for every expiry, window and day. */
export type Now = () => number;

/** A clock a test moves by hand, so expiry and rate windows pass without sleeping. */
export interface ManualClock {
  /** The current time, in ms since the epoch. Pass it as an emulator's `now`. */
  readonly now: Now;
  /** Move the clock forward by `ms` (not backward: time in an emulator only goes on). */
  advance(ms: number): void;
  /** Set the clock to `at` (ms since the epoch). */
  set(at: number): void;
}

/** A clock that starts at `start` (default: the real time now) and moves only when told. */
export function manualClock(start: number = Date.now()): ManualClock {
  let at = start;
  return {
    now: () => at,
    advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance() takes a finite number of ms >= 0; got ${ms}`);
      at += ms;
    },
    set(next) {
      if (!Number.isFinite(next)) throw new RangeError(`set() takes a finite time in ms; got ${next}`);
      at = next;
    },
  };
}

/** Where `listen` serves. */
export interface ListenOptions {
  /** Default 0: a free port chosen by the system. */
  port?: number | undefined;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
}

/** A running emulator: its API base URL (e.g. `http://127.0.0.1:PORT/api`) and how to stop it. */
export interface Listening {
  /** The API base URL: pass it as a client's `endpoint` / `baseURL`. */
  url: string;
  /** The origin alone, e.g. `http://127.0.0.1:PORT` (pages at the site root live here). */
  origin: string;
  /** Stop listening and close every open connection. */
  close(): Promise<void>;
}

type Handler = (request: Request) => Promise<Response>;

interface BunLike {
  serve(options: { port: number; hostname: string; fetch: Handler }): { port: number; stop(force?: boolean): void | Promise<void> };
}
interface DenoLike {
  serve(
    options: { port: number; hostname: string; onListen?: (address: { port: number }) => void },
    handler: Handler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}
interface NodeServer {
  close(callback?: (error?: Error) => void): void;
  closeAllConnections?(): void;
  address(): { port: number } | string | null;
}
type NodeServe = (options: { fetch: Handler; port: number; hostname: string }, listening?: (info: { port: number }) => void) => NodeServer;

/**
 * Serve `handler` on `host:port` with the runtime's own server: Bun's and Deno's built-in ones,
 * else Node's `http` through `@hono/node-server` (loaded only here, so the handler itself needs no
 * Node module). `basePath` is where the API lives under the origin (`/api`, `/api/v1`).
 */
export async function listen(handler: Handler, basePath: string, options: ListenOptions = {}): Promise<Listening> {
  const port = options.port ?? 0;
  const host = options.host ?? "127.0.0.1";
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be an integer from 0 to 65535; got ${port}`);
  const runtime = globalThis as { Bun?: BunLike; Deno?: DenoLike };
  const at = (actual: number, close: () => Promise<void>): Listening => {
    const origin = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
    return { url: origin + basePath, origin, close };
  };
  if (runtime.Bun) {
    const server = runtime.Bun.serve({ port, hostname: host, fetch: handler });
    return at(server.port, async () => void (await server.stop(true)));
  }
  if (runtime.Deno) {
    const deno = runtime.Deno;
    let server!: ReturnType<DenoLike["serve"]>;
    await new Promise<void>((resolve) => {
      server = deno.serve({ port, hostname: host, onListen: () => resolve() }, handler);
    });
    return at(server.addr.port, () => server.shutdown());
  }
  const { serve } = (await import("@hono/node-server")) as unknown as { serve: NodeServe };
  const server = await new Promise<NodeServer>((resolve, reject) => {
    const started = serve({ fetch: handler, port, hostname: host }, () => resolve(started));
    (started as unknown as { once(event: "error", listener: (error: Error) => void): void }).once("error", reject);
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return at(
    actual,
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
}
