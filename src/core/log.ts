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
