/** `picket-puid puid …`: the PUID commands, each one facade call (or one codec call, offline). */
import { decodePuid, encodePuid, MAX_IDS_PER_REQUEST, Puid, type PuidQuota } from "../puid/index.js";
import { bigWholeNumber, UsageError, wholeNumber, type OptionName } from "./args.js";
import type { Command, Group, Input } from "./command.js";
import { json, out, pairs, result } from "./output.js";
import { progressLine } from "./progress.js";
import { stdinLines } from "./stdin.js";

const ONLINE: readonly OptionName[] = ["endpoint", "allow-insecure-http"];

/** The client the environment and flags describe. Exactly one credential, or a usage error. */
function client({ env, options }: Input): Puid {
  const apiKey = env.PUID_API_KEY || undefined;
  const accessToken = env.PUID_ACCESS_TOKEN || undefined;
  if (apiKey && accessToken) throw new UsageError("set one of PUID_API_KEY and PUID_ACCESS_TOKEN, not both");
  const common = { endpoint: options.endpoint ?? (env.PUID_ENDPOINT || undefined), allowInsecureHttp: options["allow-insecure-http"] };
  if (apiKey) return new Puid({ apiKey, ...common });
  if (accessToken) return new Puid({ accessToken, ...common });
  throw new UsageError("set PUID_API_KEY (or PUID_ACCESS_TOKEN) to call the PUID API");
}

const lines = (ids: readonly string[]) => ids.join("\n");

const ids: Command = {
  name: "ids",
  usage: "[n]",
  summary: `issue n new ids (1–${MAX_IDS_PER_REQUEST}, default 1) in one request`,
  details: ["Prints one id per line; with --json, one JSON array.", `Spends n of today's quota.`],
  arity: [0, 1],
  options: ONLINE,
  online: true,
  async run(input) {
    const count = wholeNumber(input.args[0] ?? "1", "n", 1, MAX_IDS_PER_REQUEST);
    await result(input.options, await client(input).ids(count), lines);
  },
};

const id: Command = {
  name: "id",
  usage: "",
  summary: "issue one new id",
  details: ["Prints the id; with --json, a JSON string."],
  arity: [0, 0],
  options: ONLINE,
  online: true,
  async run(input) {
    await result(input.options, await client(input).id(), String);
  },
};

const generate: Command = {
  name: "generate",
  usage: "<total>",
  summary: `issue total ids in paced requests of ${MAX_IDS_PER_REQUEST}, printed as they arrive`,
  details: [
    "Prints one id per line as each request answers (with --json, one JSON string per line),",
    `so a pipe reads them at once. Requests go one a second: ${MAX_IDS_PER_REQUEST * 60} ids take about a minute.`,
    "On a terminal, stderr shows how far it is. When the quota runs out, it prints every id",
    "it got, then the error, and exits 1.",
  ],
  arity: [1, 1],
  options: ONLINE,
  online: true,
  async run(input) {
    const total = wholeNumber(input.args[0]!, "total", 0, Number.MAX_SAFE_INTEGER);
    const puid = client(input);
    const progress = progressLine(process.stderr, total);
    // Ctrl-C would leave a half-drawn line under the prompt: take it away first, then end as
    // an interrupted command does (128 + SIGINT).
    const interrupted = () => {
      progress.clear();
      process.exit(130);
    };
    if (progress.active) process.once("SIGINT", interrupted);
    let done = 0;
    try {
      progress.show(done);
      for await (const id of puid.generate(total)) {
        progress.clear(); // stdout may be the same terminal: the id goes where the line was
        await out(`${input.options.json ? json(id) : id}\n`);
        progress.show(++done);
      }
    } finally {
      progress.clear();
      process.removeListener("SIGINT", interrupted);
    }
  },
};

const ordinal: Command = {
  name: "ordinal",
  usage: "<id>",
  summary: "the ordinal the server decodes an id to",
  details: ["Prints the ordinal in decimal; with --json, a JSON string (exact up to 2^128 − 1).", "Spends no quota."],
  arity: [1, 1],
  options: ONLINE,
  online: true,
  async run(input) {
    await result(input.options, await client(input).ordinal(input.args[0]!), String);
  },
};

const decode: Command = {
  name: "decode",
  usage: "<id>",
  summary: "the ordinal of an id, offline (puid.dev's keys)",
  details: [
    "Decodes with the offline codec: no request, no credential.",
    "Prints the ordinal in decimal; with --json, a JSON string.",
    "Pass - to decode the ids on stdin, one a line: one ordinal a line, as they arrive",
    "(picket-puid puid generate 100 | picket-puid puid decode -).",
  ],
  arity: [1, 1],
  options: [],
  online: false,
  async run(input) {
    if (input.args[0] !== "-") return result(input.options, decodePuid(input.args[0]!), String);
    for await (const id of stdinLines()) await out(`${input.options.json ? json(decodePuid(id)) : decodePuid(id)}\n`);
  },
};

const encode: Command = {
  name: "encode",
  usage: "<ordinal>",
  summary: "the id of an ordinal, offline (puid.dev's keys)",
  details: ["Encodes with the offline codec: no request, no credential.", "The ordinal is a decimal number from 0 to 2^128 − 1."],
  arity: [1, 1],
  options: [],
  online: false,
  async run(input) {
    await result(input.options, encodePuid(bigWholeNumber(input.args[0]!, "ordinal")), String);
  },
};

const quota: Command = {
  name: "quota",
  usage: "",
  summary: "today's usage (UTC day) of the account",
  details: ['Prints plan, used, limit and remaining ("unlimited" on an unlimited plan);', "with --json, the object (limit and remaining null when unlimited)."],
  arity: [0, 0],
  options: ONLINE,
  online: true,
  async run(input) {
    await result(input.options, await client(input).quota(), (q: PuidQuota) =>
      pairs([
        ["plan", q.plan],
        ["used", String(q.used)],
        ["limit", q.limit === null ? "unlimited" : String(q.limit)],
        ["remaining", q.remaining === null ? "unlimited" : String(q.remaining)],
      ]),
    );
  },
};

export const puidGroup: Group = {
  name: "puid",
  summary: "ids, ordinals and quota (PUID, puid.dev)",
  environment: [
    ["PUID_API_KEY", "a team API key (puid_live_…)"],
    ["PUID_ACCESS_TOKEN", "or an OAuth access token with puid:generate (puid_at_…)"],
    ["PUID_ENDPOINT", "the API base URL (default https://puid.dev/api); --endpoint overrides it"],
  ],
  commands: [ids, id, generate, ordinal, decode, encode, quota],
};
