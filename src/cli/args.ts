/**
 * Reading the command line. One lenient `parseArgs` pass knows every option of every command, so
 * the command words can be found wherever the options stand and `--help` works even next to a
 * mistake; each command's options and arguments are then judged on their own. Messages name a
 * flag or an argument but never repeat what was typed after it: that can be a token or a key.
 */
import { parseArgs } from "node:util";

/** Every option any command takes. Which command takes which is said by its `options` list. */
export const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  json: { type: "boolean" },
  endpoint: { type: "string" },
  "base-url": { type: "string" },
  "allow-insecure-http": { type: "boolean" },
  port: { type: "string" },
  host: { type: "string" },
  chain: { type: "string" },
  locale: { type: "string" },
  contract: { type: "string" },
  min: { type: "string" },
  "token-id": { type: "string", multiple: true },
  collection: { type: "string", multiple: true },
  creator: { type: "string" },
  allowed: { type: "string", multiple: true },
  "redirect-uri": { type: "string", multiple: true },
} as const satisfies Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

export type OptionName = keyof typeof OPTIONS;

type ValueOf<Spec> = Spec extends { type: "boolean" } ? boolean : Spec extends { multiple: true } ? string[] : string;

/** The options given, by name; an option not given is absent. */
export type OptionValues = { [Name in OptionName]?: ValueOf<(typeof OPTIONS)[Name]> };

/** A mistake on the command line: exit code 2, with a pointer to `--help`. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One option as it was typed. */
interface Given {
  name: string;
  /** As typed, without any `=value`: what a message may show. */
  raw: string;
  value: string | undefined;
  inline: boolean;
}

/** The command line, read but not yet judged. */
export interface CommandLine {
  /** The positional words in order: the command path, then the command's arguments. */
  words: string[];
  values: OptionValues;
  given: Given[];
}

/** Read `argv` without judging it: unknown options are kept for `checkOptions` to name. */
export function readCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const given: Given[] = [];
  for (const token of tokens) {
    if (token.kind === "option") given.push({ name: token.name, raw: token.rawName, value: token.value, inline: token.inlineValue ?? false });
  }
  return { words: positionals, values: values as OptionValues, given };
}

/**
 * Refuse an option the command does not take, a value missing or glued to a flag that takes
 * none. A value that starts with `-` must be glued (`--chain=-x`), as `parseArgs` would insist in
 * strict mode: otherwise `--chain --json` would quietly read `--json` as the chain.
 */
export function checkOptions(line: CommandLine, allowed: readonly OptionName[], command: string): void {
  for (const { name, raw, value, inline } of line.given) {
    const spec = (OPTIONS as Record<string, { type: string }>)[name];
    if (!spec || !allowed.includes(name as OptionName)) {
      throw new UsageError(spec ? `${command} does not take ${raw}` : `unknown option ${raw}`);
    }
    if (spec.type === "boolean" && inline) throw new UsageError(`${raw} takes no value`);
    if (spec.type === "string" && (value === undefined || value === "" || (!inline && value.startsWith("-")))) {
      throw new UsageError(`${raw} needs a value`);
    }
  }
}

/** `text` as a whole number from `min` to `max`: digits only (no sign, point or exponent). */
export function wholeNumber(text: string, name: string, min: number, max: number): number {
  const value = /^[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${name} must be a whole number from ${min} to ${max}; got ${quoted(text)}`);
  return value;
}

/** `text` as a non-negative bigint, in decimal. */
export function bigWholeNumber(text: string, name: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${name} must be a whole number in decimal; got ${quoted(text)}`);
  return BigInt(text);
}

/** A value typed by the user, shown short in a message (only where it cannot be a secret). */
export const quoted = (text: string): string => `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
