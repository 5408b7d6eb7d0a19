/** What a command is: how `main.ts` finds and checks it, and what `help.ts` shows of it. */
import type { OptionName, OptionValues } from "./args.js";

/** What a command gets to run with: its arguments, options and the environment. */
export interface Input {
  /** The positional arguments after the command words, already counted against `arity`. */
  args: string[];
  options: OptionValues;
  env: NodeJS.ProcessEnv;
}

/** One command, e.g. `puid ids [n]`. */
export interface Command {
  /** The word that names it under its group (`ids`), or at the top (`emulate`). */
  name: string;
  /** Its arguments as the usage line shows them, e.g. `[n]` or `<wallet>`. */
  usage: string;
  /** One line for the list of commands. */
  summary: string;
  /** More lines for its own `--help`: what it prints, what it needs. */
  details?: readonly string[];
  /** How many arguments it takes, at least and at most. */
  arity: readonly [min: number, max: number];
  /** The options it takes besides `--help`, `--version` and `--json`. */
  options: readonly OptionName[];
  /** Whether it calls an API, so needs the group's environment (`decode` and `encode` do not). */
  online: boolean;
  run(input: Input): Promise<void>;
}

/** A group of commands under one word (`puid`, `picket`). */
export interface Group {
  name: string;
  summary: string;
  /** The environment variables its online commands read, with what each is. */
  environment: readonly (readonly [name: string, meaning: string])[];
  commands: readonly Command[];
}

/** The options every command takes. */
export const COMMON_OPTIONS: readonly OptionName[] = ["help", "version", "json"];
