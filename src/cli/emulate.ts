/**
 * `picket-puid emulate`: the PUID and Picket emulators on local ports until Ctrl-C, and what to
 * paste into a shell to point the other commands (or any client) at them. Printing the
 * emulators' generated keys is its job: they unlock nothing but these in-memory servers.
 */
import type { Listening } from "../emulator/index.js";
import { quoted, UsageError, wholeNumber } from "./args.js";
import type { Command } from "./command.js";
import { json, out, pairs } from "./output.js";

/** What `--json` prints: where each emulator listens, its keys, and the environment to use them. */
interface Started {
  puid?: { endpoint: string; apiKey: string };
  picket?: { baseUrl: string; secretKey: string; publishableKey: string };
  env: Record<string, string>;
}

export const emulate: Command = {
  name: "emulate",
  usage: "[puid|picket]",
  summary: "run local PUID and Picket emulators until Ctrl-C",
  details: [
    "Starts both emulators (or the one named) on 127.0.0.1, on free ports unless --port says;",
    "with both, --port N puts PUID on N and Picket on N + 1. Prints each URL and key, and",
    "the export lines that point the puid and picket commands at them; with --json, one object.",
    "State lives in memory. The PUID account is on the free plan, as on puid.dev: 1000 ids",
    "a day, one ids request a second. Picket's OAuth login sends back only to the URLs given",
    "with --redirect-uri. Ctrl-C (or SIGTERM) closes the servers and exits 0.",
  ],
  arity: [0, 1],
  options: ["port", "host", "redirect-uri"],
  online: false,
  async run(input) {
    const which = input.args[0];
    if (which !== undefined && which !== "puid" && which !== "picket") throw new UsageError(`emulate runs puid or picket (or both); got ${quoted(which)}`);
    const both = which === undefined;
    const port = input.options.port === undefined ? 0 : wholeNumber(input.options.port, "--port", 0, both ? 65_534 : 65_535);
    const host = input.options.host ?? "127.0.0.1";
    const redirectUris = input.options["redirect-uri"] ?? [];
    for (const uri of redirectUris) {
      if (!URL.canParse(uri)) throw new UsageError("--redirect-uri takes an absolute URL, such as https://app.example.com/callback");
    }
    const { createPicketEmulator, createPuidEmulator } = await loadEmulators();
    const stop = stopRequested(); // from now on, Ctrl-C ends the command rather than the process
    const running: Listening[] = [];
    try {
      let puid: Started["puid"];
      let picket: Started["picket"];
      if (which !== "picket") {
        const emulator = createPuidEmulator();
        const server = await emulator.listen({ port, host });
        running.push(server);
        puid = { endpoint: server.url, apiKey: emulator.apiKeys[0]! };
      }
      if (which !== "puid") {
        const emulator = createPicketEmulator({ redirectUris });
        const server = await emulator.listen({ port: both && port !== 0 ? port + 1 : port, host });
        running.push(server);
        picket = { baseUrl: server.url, secretKey: emulator.secretKeys[0]!, publishableKey: emulator.publishableKeys[0]! };
      }
      const env = {
        ...(puid && { PUID_ENDPOINT: puid.endpoint, PUID_API_KEY: puid.apiKey }),
        ...(picket && { PICKET_BASE_URL: picket.baseUrl, PICKET_SECRET_KEY: picket.secretKey }),
      };
      const started: Started = { ...(puid && { puid }), ...(picket && { picket }), env };
      await out(`${input.options.json ? json(started) : human(started)}\n`);
      await stop;
    } finally {
      await Promise.all(running.map((server) => server.close()));
    }
  },
};

/**
 * The emulators, loaded only when `emulate` runs: they bring hono, jose and three elliptic curves,
 * about a quarter of a second of loading that every other command would pay at each start if
 * the bundle imported them (esbuild lifts a bundled module's package imports to the top of the
 * file, even behind a dynamic `import()`). So the bundle in `dist/cli` imports the package's own
 * emulator entry in `dist/esm` at run time, by a specifier esbuild leaves alone; run from
 * source (tsx), this file imports the module beside it.
 */
function loadEmulators(): Promise<typeof import("../emulator/index.js")> {
  const entry = import.meta.url.endsWith(".ts") ? "../emulator/index.js" : "../esm/emulator/index.js";
  return import(new URL(entry, import.meta.url).href) as Promise<typeof import("../emulator/index.js")>;
}

function human({ puid, picket, env }: Started): string {
  const rows: [string, string][] = [];
  if (puid) rows.push(["PUID endpoint", puid.endpoint], ["PUID API key", puid.apiKey]);
  if (picket) rows.push(["Picket base URL", picket.baseUrl], ["Picket secret key", picket.secretKey], ["Picket publishable key", picket.publishableKey]);
  const exports = [];
  if (puid) exports.push(`export PUID_ENDPOINT=${shell(env.PUID_ENDPOINT!)} PUID_API_KEY=${shell(env.PUID_API_KEY!)}`);
  if (picket) exports.push(`export PICKET_BASE_URL=${shell(env.PICKET_BASE_URL!)} PICKET_SECRET_KEY=${shell(env.PICKET_SECRET_KEY!)}`);
  return `${pairs(rows)}\n\n${exports.join("\n")}\n\nCtrl-C stops ${puid && picket ? "the emulators" : "the emulator"}.`;
}

/** A value a shell reads back unchanged: as is when plain, else single-quoted (an IPv6 `[::1]` would glob). */
const shell = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * Resolves at the first SIGINT or SIGTERM: a requested stop, so the command closes its servers
 * and exits 0 without a word. A second signal while closing exits at once.
 */
function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(0);
      stopping = true;
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
