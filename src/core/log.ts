/**
 * Logging: a `logger` with the four usual methods (the `console`, pino and winston all fit) and a
 * level below which nothing is written. Messages never hold a secret: credentials are redacted
 * before a line is built.
 */

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

/** Whether `level` is a log level. */
export const isLogLevel = (level: unknown): level is LogLevel => LEVELS.includes(level as LogLevel);

/** The functions a client logs through, at `level` and above, each line prefixed with `[picket-puid]`. */
export function createLog(logger: Logger, level: LogLevel): Log {
  const log: Log = {};
  for (const name of LEVELS.slice(LEVELS.indexOf(level), 4) as Exclude<LogLevel, "off">[]) log[name] = (message) => logger[name](`[picket-puid] ${message}`);
  return log;
}
