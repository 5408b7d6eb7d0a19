// The picket-puid command without any server: help at every level, the version, the offline codec,
// and every kind of usage error (exit 2, a message on stderr that points at --help, nothing on
// stdout, and never a value that could be a secret). Each case is a real process.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli, lines, ROOT, type Cli } from "./support/cli.js";

let cli: Cli;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli?.remove());

const COMMANDS = {
  emulate: [],
  puid: ["ids", "id", "generate", "ordinal", "decode", "encode", "quota"],
  picket: ["chains", "chain", "nonce", "validate", "owns"],
} as const;

describe.concurrent("help and version", () => {
  test("picket-puid --help and -h: the usage line, every command, the exit statuses; on stdout, exit 0", async () => {
    const [long, short] = await Promise.all([cli.run(["--help"]), cli.run(["-h"])]);
    expect(short).toEqual(long);
    const { code, stdout, stderr } = long;
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^picket-puid \d+\.\d+\.\d+: /);
    expect(stdout).toContain("Usage: picket-puid <command> [options]");
    expect(stdout).toMatch(/^ {2}emulate \[puid\|picket\] /m);
    expect(stdout).toMatch(/^ {2}puid <command> /m);
    expect(stdout).toMatch(/^ {2}picket <command> /m);
    expect(stdout).toContain("Exit status: 0 success, 1 an API error, 2 a usage error.");
  });

  test.each(["puid", "picket"] as const)("picket-puid %s --help lists each of its commands and its environment", async (group) => {
    const { code, stdout, stderr } = await cli.run([group, "--help"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`Usage: picket-puid ${group} <command> [options]`);
    for (const name of COMMANDS[group]) expect(stdout).toMatch(new RegExp(`^ {2}${name}\\b`, "m"));
    expect(stdout).toContain(group === "puid" ? "PUID_API_KEY" : "PICKET_SECRET_KEY");
  });

  test.each([["emulate"], ...COMMANDS.puid.map((name) => ["puid", name]), ...COMMANDS.picket.map((name) => ["picket", name])])(
    "picket-puid %s %s --help: its usage and options",
    async (...words) => {
      const { code, stdout, stderr } = await cli.run([...words, "--help"]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(new RegExp(`^Usage: picket-puid ${words.join(" ")}\\b.* \\[options\\]$`, "m"));
      expect(stdout).toContain("--json");
      expect(stdout).toContain("-h, --help");
    },
  );

  test("--help wins wherever it stands, even beside a mistake", async () => {
    for (const args of [
      ["--help", "puid", "ids"],
      ["puid", "ids", "1", "2", "--bogus", "-h"],
    ]) {
      const { code, stdout } = await cli.run(args);
      expect(code).toBe(0);
      expect(stdout).toContain("Usage: picket-puid puid ids [n] [options]");
    }
  });

  test("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(await cli.run(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe.concurrent("puid decode / encode: offline, no environment at all", () => {
  const ORDINALS = ["0", "1", "42", "18446744073709551616", "340282366920938463463374607431768211455"];

  test("encode then decode gives every ordinal back, up to 2^128 − 1: one at a time, and a list through decode -", async () => {
    const ids = await Promise.all(
      ORDINALS.map(async (ordinal) => {
        const encoded = await cli.run(["puid", "encode", ordinal]);
        expect(encoded).toMatchObject({ code: 0, stderr: "", stdout: expect.stringMatching(/^[0-9A-Za-z]{1,22}\n$/) });
        return encoded.stdout.trim();
      }),
    );
    expect(await cli.run(["puid", "decode", ids[4]!])).toEqual({ code: 0, signal: null, stdout: `${ORDINALS[4]}\n`, stderr: "" });
    expect(await cli.run(["puid", "decode", "-"], { input: `${ids.join("\n")}\n` })).toEqual({
      code: 0,
      signal: null,
      stdout: `${ORDINALS.join("\n")}\n`,
      stderr: "",
    });
  });

  test("puid.dev's keys: ordinal 1 is 64qAN39GjJh5kbi4HROOxh; --json prints JSON strings (the ordinal exact, as a string)", async () => {
    expect((await cli.run(["puid", "encode", "1"])).stdout).toBe("64qAN39GjJh5kbi4HROOxh\n");
    expect((await cli.run(["puid", "encode", "1", "--json"])).stdout).toBe('"64qAN39GjJh5kbi4HROOxh"\n');
    expect((await cli.run(["--json", "puid", "decode", "64qAN39GjJh5kbi4HROOxh"])).stdout).toBe('"1"\n');
    const top = (await cli.run(["puid", "encode", "340282366920938463463374607431768211455", "--json"])).stdout;
    expect(JSON.parse((await cli.run(["puid", "decode", JSON.parse(top), "--json"])).stdout)).toBe("340282366920938463463374607431768211455");
  });
});

describe.concurrent("usage errors: exit 2, what is wrong and where --help is, on stderr", () => {
  const cases: [string, string[], Record<string, string>, RegExp, string][] = [
    ["no command", [], {}, /^picket-puid: missing command \(emulate, puid or picket\)$/m, "picket-puid"],
    ["an unknown command", ["bogus"], {}, /unknown command 'bogus'/, "picket-puid"],
    ["a group without a command", ["puid"], {}, /^picket-puid puid: missing command \(ids, id, generate, /m, "picket-puid puid"],
    ["an unknown command in a group", ["picket", "bogus"], {}, /^picket-puid picket: unknown command 'bogus'$/m, "picket-puid picket"],
    ["an unknown option", ["puid", "decode", "1", "--bogus"], {}, /^picket-puid puid decode: unknown option --bogus$/m, "picket-puid puid decode"],
    ["another command's option", ["puid", "ids", "--chain", "solana"], {}, /'puid ids' does not take --chain/, "picket-puid puid ids"],
    ["an option without its value", ["picket", "nonce", "0xabc", "--chain"], {}, /--chain needs a value/, "picket-puid picket nonce"],
    ["an option whose value looks like an option", ["picket", "nonce", "0xabc", "--chain", "--json"], {}, /--chain needs a value/, "picket-puid picket nonce"],
    ["a value given to a flag", ["puid", "decode", "1", "--json=yes"], {}, /--json takes no value/, "picket-puid puid decode"],
    ["a missing argument", ["puid", "ordinal"], {}, /^picket-puid puid ordinal: missing <id>$/m, "picket-puid puid ordinal"],
    ["an argument too many", ["puid", "ids", "1", "2"], {}, /takes at most 1 argument; got 2/, "picket-puid puid ids"],
    ["an argument to a command that takes none", ["puid", "quota", "x"], {}, /takes no arguments/, "picket-puid puid quota"],
    ["a count over 10", ["puid", "ids", "11"], {}, /n must be a whole number from 1 to 10; got '11'/, "picket-puid puid ids"],
    [
      "a count that is not a whole number",
      ["puid", "generate", "1.5"],
      {},
      /total must be a whole number from 0 to \d+; got '1.5'/,
      "picket-puid puid generate",
    ],
    ["an ordinal that is not a number", ["puid", "encode", "12x"], {}, /ordinal must be a whole number in decimal; got '12x'/, "picket-puid puid encode"],
    [
      "an ordinal of 2^128 (the codec's check)",
      ["puid", "encode", "340282366920938463463374607431768211456"],
      {},
      /^error invalid_ordinal: /m,
      "picket-puid puid encode",
    ],
    ["an id with a character outside base62 (the codec's check)", ["puid", "decode", "abc-def"], {}, /^error invalid_puid: /m, "picket-puid puid decode"],
    [
      "an id the facade refuses before any request",
      ["puid", "ordinal", "x".repeat(23)],
      { PUID_API_KEY: "puid_live_x" },
      /^error invalid_puid: /m,
      "picket-puid puid ordinal",
    ],
    ["no PUID credential", ["puid", "quota"], {}, /set PUID_API_KEY \(or PUID_ACCESS_TOKEN\)/, "picket-puid puid quota"],
    [
      "two PUID credentials",
      ["puid", "quota"],
      { PUID_API_KEY: "puid_live_x", PUID_ACCESS_TOKEN: "puid_at_x" },
      /one of PUID_API_KEY and PUID_ACCESS_TOKEN, not both/,
      "picket-puid puid quota",
    ],
    ["no Picket key", ["picket", "chains"], {}, /set PICKET_SECRET_KEY/, "picket-puid picket chains"],
    [
      "an endpoint that is not a URL",
      ["puid", "quota", "--endpoint", "puid.dev"],
      { PUID_API_KEY: "puid_live_x" },
      /^error invalid_endpoint: /m,
      "picket-puid puid quota",
    ],
    [
      "plain http to another machine",
      ["picket", "chains"],
      { PICKET_SECRET_KEY: "sk_x", PICKET_BASE_URL: "http://picket.example/api/v1" },
      /^error insecure_endpoint: [^\n]*\nOn the command line, allowInsecureHttp is --allow-insecure-http\.$/m,
      "picket-puid picket chains",
    ],
    [
      "owns without a requirement",
      ["picket", "owns", "0xabc"],
      { PICKET_SECRET_KEY: "sk_x" },
      /owns needs at least one of --contract, --token-id/,
      "picket-puid picket owns",
    ],
    [
      "owns with a minimum that is not a number",
      ["picket", "owns", "0xabc", "--contract", "0xdef", "--min", "lots"],
      { PICKET_SECRET_KEY: "sk_x" },
      /--min must be a decimal number/,
      "picket-puid picket owns",
    ],
    ["emulate with an unknown API", ["emulate", "redis"], {}, /emulate runs puid or picket \(or both\); got 'redis'/, "picket-puid emulate"],
    ["emulate with a port out of range", ["emulate", "--port", "70000"], {}, /--port must be a whole number from 0 to 65534/, "picket-puid emulate"],
  ];

  test.each(cases)("%s", async (_name, args, env, message, where) => {
    const { code, stdout, stderr } = await cli.run(args, { env });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(lines(stderr).at(-1)).toBe(`Run '${where} --help' for usage.`);
    expect(stderr).not.toMatch(/^\s+at /m); // no stack
  });

  test("a value that may be a secret is never repeated: not an option's, not a surplus argument", async () => {
    const unknown = await cli.run(["picket", "chains", "--secret-key=sk_live_do_not_print"], { env: { PICKET_SECRET_KEY: "sk_x" } });
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option --secret-key") });
    const surplus = await cli.run(["picket", "validate", "eyJ.token.one", "eyJ.token.two"], { env: { PICKET_SECRET_KEY: "sk_x" } });
    expect(surplus.code).toBe(2);
    for (const { stderr } of [unknown, surplus]) expect(stderr).not.toMatch(/sk_live_do_not_print|eyJ|sk_x/);
  });
});
