// picket-puid emulate as a real, long-running process: what it prints, that the URLs and keys it
// prints work (through the facades and through the command itself), and that SIGINT or SIGTERM
// ends it quietly with exit 0. It is waited on by its output, never by the clock.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Picket } from "../src/picket/index.js";
import { Puid } from "../src/puid/index.js";
import { buildCli, lines, type Cli } from "./support/cli.js";

let cli: Cli;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli?.remove());

/** The `export` lines' variables, read as a shell would. */
function exported(stdout: string): Record<string, string> {
  const pairs = lines(stdout)
    .filter((line) => line.startsWith("export "))
    .flatMap((line) => line.slice("export ".length).split(" "))
    .map((assignment) => assignment.split(/=(.*)/s).slice(0, 2) as [string, string]);
  return Object.fromEntries(pairs);
}

describe.concurrent("picket-puid emulate", () => {
  test("both emulators: URLs and keys, the export lines; they answer; the commands work with them; SIGINT ends it with exit 0 and nothing on stderr", async () => {
    const running = cli.start(["emulate"]);
    const stdout = await running.stdoutMatching(/Ctrl-C stops the emulators\.\n/);
    const env = exported(stdout);
    expect(Object.keys(env)).toEqual(["PUID_ENDPOINT", "PUID_API_KEY", "PICKET_BASE_URL", "PICKET_SECRET_KEY"]);
    expect(env.PUID_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(env.PICKET_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(stdout).toMatch(new RegExp(`^PUID endpoint +${env.PUID_ENDPOINT}$`, "m"));
    expect(stdout).toMatch(new RegExp(`^PUID API key +${env.PUID_API_KEY}$`, "m"));
    expect(stdout).toMatch(new RegExp(`^Picket secret key +${env.PICKET_SECRET_KEY}$`, "m"));
    expect(stdout).toMatch(/^Picket publishable key +pk_[0-9a-f]{32}$/m);

    const puid = new Puid({ apiKey: env.PUID_API_KEY!, endpoint: env.PUID_ENDPOINT! });
    expect(await puid.ids(2)).toHaveLength(2);
    const picket = new Picket(env.PICKET_SECRET_KEY, { baseURL: env.PICKET_BASE_URL! });
    expect((await picket.chainInfo("ethereum")).chainId).toBe(1);
    const quota = await cli.run(["puid", "quota", "--json"], { env });
    expect(JSON.parse(quota.stdout)).toMatchObject({ plan: "free", used: 2 });
    expect((await cli.run(["picket", "chain", "ethereum", "--json"], { env })).stdout).toContain('"chainId":1');

    running.child.kill("SIGINT");
    const { code, signal, stderr } = await running.exit;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    await expect(puid.quota({ maxRetries: 0 })).rejects.toMatchObject({ code: "network_error" }); // the servers are closed
  });

  test("emulate picket --json: one JSON object with the URL, both keys and the environment; SIGTERM ends it with exit 0", async () => {
    const running = cli.start(["emulate", "picket", "--json"]);
    const started = JSON.parse(await running.stdoutMatching(/\n$/));
    expect(started).toEqual({
      picket: {
        baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/),
        secretKey: expect.stringMatching(/^sk_/),
        publishableKey: expect.stringMatching(/^pk_/),
      },
      env: { PICKET_BASE_URL: started.picket.baseUrl, PICKET_SECRET_KEY: started.picket.secretKey },
    });
    const chains = await new Picket(started.picket.secretKey, { baseURL: started.picket.baseUrl }).chains();
    expect(chains.length).toBeGreaterThan(0);
    running.child.kill("SIGTERM");
    expect(await running.exit).toMatchObject({ code: 0, signal: null, stderr: "" });
  });

  test("emulate picket --redirect-uri: Picket's OAuth login may send back there, and nowhere else; a URI that is not one is a usage error", async () => {
    const running = cli.start(["emulate", "picket", "--json", "--redirect-uri", "https://app.example.com/callback"]);
    const started = JSON.parse(await running.stdoutMatching(/\n$/));
    const authorize = async (redirectUri: string) => {
      const { url } = await Picket.authorizationUrl({ clientId: started.picket.publishableKey, redirectUri, baseURL: started.picket.baseUrl });
      return (await (await fetch(url, { redirect: "manual" })).json()) as { code: string; msg: string };
    };
    // Allowed: it gets as far as the login the emulator cannot show (no wallet signed beforehand).
    expect(await authorize("https://app.example.com/callback")).toMatchObject({
      code: "invalid_request",
      msg: expect.stringContaining("no interactive login page"),
    });
    expect(await authorize("https://elsewhere.example.com/callback")).toMatchObject({ code: "unauthorized_client" });
    running.child.kill("SIGTERM");
    expect(await running.exit).toMatchObject({ code: 0, signal: null, stderr: "" });
    const refused = await cli.run(["emulate", "picket", "--redirect-uri", "not a url"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--redirect-uri takes an absolute URL");
  });

  test("emulate puid --port N --json: the PUID emulator alone, on that port", async () => {
    const port = await freePort();
    const running = cli.start(["emulate", "puid", "--port", String(port), "--json"]);
    const started = JSON.parse(await running.stdoutMatching(/\n$/));
    expect(started).toEqual({ puid: { endpoint: `http://127.0.0.1:${port}/api`, apiKey: expect.stringMatching(/^puid_live_/) }, env: expect.any(Object) });
    expect(await new Puid({ apiKey: started.puid.apiKey, endpoint: started.puid.endpoint }).quota()).toMatchObject({ used: 0 });
    running.child.kill("SIGINT");
    expect(await running.exit).toMatchObject({ code: 0, stderr: "" });
  });

  test("a port already taken: exit 1 with the system's reason, no stack", async () => {
    const running = cli.start(["emulate", "puid", "--json"]);
    const taken = new URL(JSON.parse(await running.stdoutMatching(/\n$/)).puid.endpoint).port;
    const { code, stdout, stderr } = await cli.run(["emulate", "puid", "--port", taken]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^picket-puid emulate: .*EADDRINUSE.*\n$/);
    running.child.kill("SIGINT");
    expect((await running.exit).code).toBe(0);
  });
});

/** A port nothing listens on right now: the system picks one, and it is let go at once. */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
