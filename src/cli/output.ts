/**
 * Where results go and how they look: results on stdout (human lines, or JSON with `--json`),
 * everything else on stderr. Human output is aligned and short; JSON is the result itself on one
 * line, with bigints (ordinals) as decimal strings so no reader loses digits.
 */
import { once } from "node:events";
import type { OptionValues } from "./args.js";

/**
 * Write `text` to stdout, waiting while the reader is behind, so a long `generate` into a slow
 * pipe holds ids back rather than piling them up in memory. A reader that went away (EPIPE) is
 * handled by `main.ts`, which ends the process quietly.
 */
export async function out(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

/** Print the result: its JSON with `--json`, else the human lines `human` makes of it. */
export function result<T>(options: OptionValues, value: T, human: (value: T) => string): Promise<void> {
  return out(`${options.json ? json(value) : human(value)}\n`);
}

/** JSON on one line; a bigint becomes its decimal string. */
export function json(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === "bigint" ? field.toString() : field));
}

/** `key  value` lines, the values lined up. */
export function pairs(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`.trimEnd()).join("\n");
}

/** A table: a header row and rows of cells, the columns lined up. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * The fields of an answer as `pairs` rows: nested objects flattened to dotted keys
 * (`tokenBalances.contractAddress.0xa330…`), lists joined by commas, absent values as `-`.
 */
export function fields(value: unknown, prefix = ""): [string, string][] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [[prefix, scalar(value)]];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[prefix, "-"]];
  return entries.flatMap(([key, field]) => fields(field, prefix ? `${prefix}.${key}` : key));
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.map((item) => (typeof item === "object" ? json(item) : String(item))).join(", ");
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects take the json() branch; TypeScript does not narrow `unknown` in the other
  return typeof value === "object" ? json(value) : String(value);
}

/** `yes` or `no`. */
export const yesNo = (value: unknown): string => (value ? "yes" : "no");

/** A line (or lines) on stderr. */
export function warn(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Resolve once everything written to `stream` so far has been handed to the system. */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    stream.write("", () => resolve());
  });
}
