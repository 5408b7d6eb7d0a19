/** The `--help` texts, made from the command table so they cannot drift from what is parsed. */
import { VERSION } from "../version.js";
import type { OptionName } from "./args.js";
import type { Command, Group } from "./command.js";
import { pairs } from "./output.js";

/** What the top level holds: commands (`emulate`) and groups (`puid`, `picket`). */
export type Entry = Command | Group;

export const isGroup = (entry: Entry): entry is Group => "commands" in entry;

/** How each option is shown: its form, and one line on what it does. */
const OPTION_HELP: Record<OptionName, readonly [form: string, meaning: string]> = {
  help: ["-h, --help", "show this help"],
  version: ["--version", "print the version"],
  json: ["--json", "print the result as JSON, for scripts"],
  endpoint: ["--endpoint <url>", "the PUID API base URL (over PUID_ENDPOINT)"],
  "base-url": ["--base-url <url>", "the Picket API base URL (over PICKET_BASE_URL)"],
  "allow-insecure-http": ["--allow-insecure-http", "allow plain http to a host other than this machine"],
  port: ["--port <n>", "the port to listen on (default: a free one)"],
  host: ["--host <address>", "the address to listen on (default 127.0.0.1)"],
  chain: ["--chain <slug>", "the chain (default ethereum)"],
  locale: ["--locale <tag>", "the language of the statement, e.g. de"],
  contract: ["--contract <address>", "a token contract the wallet must hold (EVM chains)"],
  min: ["--min <n>", "the least balance that counts (default: any)"],
  "token-id": ["--token-id <mint>", "an SPL token mint (Solana); repeatable"],
  collection: ["--collection <id>", "a Metaplex collection (Solana); repeatable"],
  creator: ["--creator <address>", "the verified creator of the NFTs (Solana)"],
  allowed: ["--allowed <wallet>", "a wallet allowed whatever it holds; repeatable"],
  "redirect-uri": ["--redirect-uri <url>", "a redirect URI Picket's OAuth login may send back to; repeatable"],
};

const EXIT_STATUS = "Exit status: 0 success, 1 an API error, 2 a usage error.";

const indent = (text: string) => text.replace(/^/gm, "  ");
const options = (names: readonly OptionName[]) => indent(pairs(names.map((name) => OPTION_HELP[name])));
const environment = (group: Group) => indent(pairs(group.environment));
const usageOf = (command: Command) => `${command.name}${command.usage ? ` ${command.usage}` : ""}`;

/** `picket-puid --help`: every command and group, the common options, the exit statuses. */
export function topHelp(entries: readonly Entry[]): string {
  const rows = entries.map((entry): [string, string] => [isGroup(entry) ? `${entry.name} <command>` : usageOf(entry), entry.summary]);
  return [
    `picket-puid ${VERSION}: PUID ids and Picket wallet checks from the shell.`,
    "",
    "Usage: picket-puid <command> [options]",
    "",
    "Commands:",
    indent(pairs(rows)),
    "",
    "Options:",
    options(["json", "help", "version"]),
    "",
    EXIT_STATUS,
    "Run 'picket-puid <command> --help' for more on a command.",
  ].join("\n");
}

/** `picket-puid <group> --help`: the group's commands and the environment they read. */
export function groupHelp(group: Group): string {
  return [
    `Usage: picket-puid ${group.name} <command> [options]`,
    "",
    `${group.summary}.`,
    "",
    "Commands:",
    indent(pairs(group.commands.map((command) => [usageOf(command), command.summary]))),
    "",
    "Environment:",
    environment(group),
    "",
    EXIT_STATUS,
    `Run 'picket-puid ${group.name} <command> --help' for a command's options.`,
  ].join("\n");
}

/** `picket-puid [<group>] <command> --help`: its usage line, what it prints, its options and environment. */
export function commandHelp(command: Command, group: Group | undefined): string {
  const path = group ? `${group.name} ${usageOf(command)}` : usageOf(command);
  const sections = [`Usage: picket-puid ${path} [options]`, "", `${capitalized(command.summary)}.`];
  if (command.details) sections.push("", ...command.details);
  sections.push("", "Options:", options([...command.options, "json", "help"]));
  if (group && command.online) sections.push("", "Environment:", environment(group));
  sections.push("", EXIT_STATUS);
  return sections.join("\n");
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
