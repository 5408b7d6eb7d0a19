/**
 * Logging: a `logger` with the four usual methods (the `console`, pino and winston all fit) and a
 * level below which nothing is written. Messages never hold a secret: credentials are redacted
 * before a line is built.
 */
import { env } from "./env.js";
import { CoreCode, type ErrorFactory } from "./errors.js";

/** Where log lines go. `console` fits, and so do pino and winston loggers. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** From most to least verbose; `off` writes nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "off"];

/** What a client writes at each level: a function, or `undefined` below the level set. */
export type Log = Partial<Record<Exclude<LogLevel, "off">, (message: string) => void>>;

/** Options about what a client tells of what it does. */
export interface LogOptions {
  /**
   * Where log lines go; default the `console`. Lines name each request (method and URL, never a
   * header or a body), its answer and timing, each retry and why, and each wait.
   */
  logger?: Logger | undefined;
  /**
   * What is written: `debug` (every request and answer), `info` (retries and waits), `warn`
   * (default), `error`, or `off`. The environment variable `PICKET_PUID_LOG` sets it when the
   * option is left out.
   */
  logLevel?: LogLevel | undefined;
}

/** The levels a line is written at (all but `off`): the methods a logger must have. */
const WRITTEN = LEVELS.slice(0, 4) as Exclude<LogLevel, "off">[];

/** Whether `value` has the four methods a logger needs (debug, info, warn, error). */
export function isLogger(value: unknown): value is Logger {
  return typeof value === "object" && value !== null && WRITTEN.every((name) => typeof (value as Record<string, unknown>)[name] === "function");
}

/** The message for a logger that is not one, the same wherever a logger is taken. */
export const NOT_A_LOGGER = "logger must have debug, info, warn and error methods (the console, pino and winston loggers do).";

/**
 * The functions a client logs through, each line prefixed with `[picket-puid]`: to `logger`, else
 * the console; at `level` and above, else the level in `PICKET_PUID_LOG`, else `warn`.
 * @throws the API's `invalid_option` for a level that is none of them, or a logger without the four methods.
 */
export function createLog(errors: ErrorFactory, logger: Logger | undefined, level: LogLevel | undefined): Log {
  const chosen = (level ?? env("PICKET_PUID_LOG")?.toLowerCase() ?? "warn") as LogLevel;
  if (!LEVELS.includes(chosen)) {
    throw errors.make({
      status: null,
      code: CoreCode.invalidOption,
      message: `logLevel (or PICKET_PUID_LOG) must be debug, info, warn, error or off; got ${JSON.stringify(chosen)}.`,
    });
  }
  if (logger !== undefined && !isLogger(logger)) {
    throw errors.make({ status: null, code: CoreCode.invalidOption, message: NOT_A_LOGGER });
  }
  const target = logger ?? console;
  const log: Log = {};
  for (const name of WRITTEN.slice(LEVELS.indexOf(chosen))) log[name] = (message) => target[name](`[picket-puid] ${message}`);
  return log;
}
