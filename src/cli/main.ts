/**
 * The picket-puid command: find the command in the words typed, check its options and arguments,
 * run it, and turn whatever ends it into an exit status (0 done, 1 an API error, 2 a usage
 * error) with a line or two on stderr, never a stack trace and never a credential.
 */
import { CoreCode, PicketPuidError } from "../core/errors.js";
import { PicketCode } from "../picket/index.js";
import { PuidCode, PuidError } from "../puid/index.js";
import { VERSION } from "../version.js";
import { checkOptions, quoted, readCommandLine, UsageError } from "./args.js";
import { COMMON_OPTIONS, type Command, type Group } from "./command.js";
import { emulate } from "./emulate.js";
import { commandHelp, groupHelp, isGroup, topHelp, type Entry } from "./help.js";
import { flushed, out, warn } from "./output.js";
import { picketGroup } from "./picket.js";
import { puidGroup } from "./puid.js";

const ENTRIES: readonly Entry[] = [emulate, puidGroup, picketGroup];

/**
 * The codes the facades and the codec raise for an argument or a setting the user gave, before
 * any request: the user's mistake, so exit 2 like any other usage error.
 */
const USAGE_CODES = new Set<string | null>([
  PuidCode.invalidCount,
  PuidCode.invalidPuid,
  PuidCode.invalidOrdinal,
  PuidCode.invalidCredentials,
  PicketCode.parameterInvalid,
  CoreCode.invalidEndpoint,
  CoreCode.insecureEndpoint,
  CoreCode.invalidOption,
]);

/** What the words typed lead to: the group and command found, the words after them, and the first word not known. */
interface Found {
  group?: Group | undefined;
  command?: Command | undefined;
  args: string[];
  /** The command words found, e.g. `puid ids`: where a mistake is reported and `--help` points. */
  path: string;
  unknown?: string | undefined;
}

function find(words: readonly string[]): Found {
  const [first, second] = words;
  if (first === undefined) return { args: [], path: "" };
  const entry = ENTRIES.find(({ name }) => name === first);
  if (!entry) return { args: [], path: "", unknown: first };
  if (!isGroup(entry)) return { command: entry, args: words.slice(1), path: entry.name };
  if (second === undefined) return { group: entry, args: [], path: entry.name };
  const command = entry.commands.find(({ name }) => name === second);
  if (!command) return { group: entry, args: [], path: entry.name, unknown: second };
  return { group: entry, command, args: words.slice(2), path: `${entry.name} ${command.name}` };
}

function helpOf({ group, command }: Found): string {
  if (command) return commandHelp(command, group);
  return group ? groupHelp(group) : topHelp(ENTRIES);
}

async function main(argv: readonly string[]): Promise<number> {
  const line = readCommandLine(argv);
  const found = find(line.words);
  try {
    if (found.unknown !== undefined) throw new UsageError(`unknown command ${quoted(found.unknown)}`);
    if (line.values.help || line.values.version) {
      await out(`${line.values.help ? helpOf(found) : VERSION}\n`);
      return 0;
    }
    const { command, group, args } = found;
    if (!command) {
      const names = (group ? group.commands : ENTRIES).map(({ name }) => name);
      throw new UsageError(`missing command (${names.slice(0, -1).join(", ")} or ${names.at(-1)})`);
    }
    checkOptions(line, [...COMMON_OPTIONS, ...command.options], `'${found.path}'`);
    const [min, max] = command.arity;
    if (args.length < min) throw new UsageError(`missing ${command.usage.split(" ")[args.length]}`);
    if (args.length > max) throw new UsageError(max === 0 ? "takes no arguments" : `takes at most ${max} argument${max === 1 ? "" : "s"}; got ${args.length}`);
    await command.run({ args, options: line.values, env: process.env });
    return 0;
  } catch (error) {
    return failed(error, found.path);
  }
}

/** Say what went wrong on stderr, and the exit status it means. */
function failed(error: unknown, path: string): number {
  const where = path ? `picket-puid ${path}` : "picket-puid";
  const pointer = `Run '${where} --help' for usage.`;
  if (error instanceof UsageError) {
    warn(`${where}: ${error.message}\n${pointer}`);
    return 2;
  }
  if (error instanceof PicketPuidError) {
    const { code, status, message } = error as PicketPuidError; // instanceof narrows to PicketPuidError<any>
    const lines = [`error${code === null ? "" : ` ${code}`}: ${message}${status === null ? "" : ` (HTTP ${status})`}`];
    if (error instanceof PuidError && error.upgradeUrl) lines.push(`upgrade: ${error.upgradeUrl}`);
    if (code === CoreCode.insecureEndpoint) lines.push("On the command line, allowInsecureHttp is --allow-insecure-http.");
    const usage = status === null && USAGE_CODES.has(code);
    if (usage) lines.push(pointer);
    warn(lines.join("\n"));
    return usage ? 2 : 1;
  }
  // Not an API's error: a failure of this machine (a port in use) or of this program. The
  // message says which; a stack would only bury it.
  warn(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

// The reader went away (`picket-puid puid generate 1000 | head -3`): nothing more can reach it,
// and it has what it wanted, so that is a quiet end, not a failure. Any other failure to write
// the results is one, still without a stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));
process.stderr.on("error", () => {}); // nowhere left to report to; the exit status still tells

const status = await main(process.argv.slice(2));
// Everything written is handed over before exit cuts the process short.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(status);
