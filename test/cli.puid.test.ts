// picket-puid puid … as a real process against the PUID emulator on a real local port (its real
// clock: the command's own pacing is under test). Each test that spends ids uses an account of
// its own, so no test waits out another's rate window.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { listen, type Listening } from "../src/emulator/serve.js";
import { encodePuid } from "../src/puid/codec.js";
import { buildCli, lines, ROOT, type Cli } from "./support/cli.js";
import { clientToken } from "./support/puid-emulator.js";

const ID = /^[0-9A-Za-z]{1,22}$/;
const ACCOUNTS = ["ids", "ids-json", "id", "id-json", "generate", "generate-json", "quota", "pipe", "tty", "tty-interrupt"] as const;
type AccountName = (typeof ACCOUNTS)[number];
const keyOf = (name: string) => `puid_live_cli_${name.replace(/-/g, "_")}`;
const CLIENT = { clientId: "cli-app", clientSecret: "cli-app-secret" };

let cli: Cli;
let emulator: PuidEmulator;
let server: Listening;
/**
 * Requests a test holds back, by API key: the key's second `/v1/ids` request waits for the
 * gate, so the test can look at what the command printed before it (see `holdSecondIds`).
 */
const gates = new Map<string, { seen: number; open: Promise<void> }>();
/** A second emulator whose free plan allows 12 ids a day. */
let tight: PuidEmulator;
let tightServer: Listening;

beforeAll(async () => {
  emulator = createPuidEmulator({
    accounts: [...ACCOUNTS.map((name) => ({ id: `team_${name}`, apiKeys: [keyOf(name)] })), { id: "team_pro", plan: "pro", apiKeys: [keyOf("pro")] }],
    clients: [{ ...CLIENT, redirectUris: ["https://app.example/callback"] }],
  });
  tight = createPuidEmulator({ dailyLimit: 12 });
  const gated = async (request: Request) => {
    const gate = gates.get(request.headers.get("x-api-key") ?? "");
    if (gate && new URL(request.url).pathname.endsWith("/v1/ids") && ++gate.seen === 2) await gate.open;
    return emulator.fetch(request);
  };
  [cli, server, tightServer] = await Promise.all([buildCli(), listen(gated, "/api"), tight.listen()]);
});
afterAll(async () => {
  cli?.remove();
  await Promise.all([server?.close(), tightServer?.close()]);
});

const envOf = (account: AccountName | "pro") => ({ PUID_ENDPOINT: server.url, PUID_API_KEY: keyOf(account) });
const issuedTo = (account: string) => emulator.issued.filter((issued) => issued.account === `team_${account}`);
const idsRequestsOf = (account: string) => emulator.log.filter((entry) => entry.account === `team_${account}` && entry.path.startsWith("/api/v1/ids"));

/** Hold the account's second `/v1/ids` request until the returned function is called. */
function holdSecondIds(account: AccountName): () => void {
  let release!: () => void;
  gates.set(keyOf(account), { seen: 0, open: new Promise<void>((resolve) => (release = resolve)) });
  return release;
}

describe.concurrent("puid ids, id, generate: one id a line", () => {
  test("ids 3: three new ids, one a line, as the emulator issued them in one request", async () => {
    const { code, stdout, stderr } = await cli.run(["puid", "ids", "3"], { env: envOf("ids") });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(lines(stdout)).toEqual(issuedTo("ids").map(({ id }) => id));
    expect(lines(stdout)).toHaveLength(3);
    expect(idsRequestsOf("ids").map(({ path }) => path)).toEqual(["/api/v1/ids?n=3"]);
  });

  test("ids 2 --json: one JSON array", async () => {
    const { code, stdout } = await cli.run(["puid", "ids", "2", "--json"], { env: envOf("ids-json") });
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.stringify(issuedTo("ids-json").map(({ id }) => id))}\n`);
  });

  test("id: one id; --json: a JSON string; no argument means 1 for ids", async () => {
    const plain = await cli.run(["puid", "id"], { env: envOf("id") });
    expect(plain).toMatchObject({ code: 0, stderr: "", stdout: `${issuedTo("id")[0]!.id}\n` });
    const asJson = await cli.run(["puid", "id", "--json"], { env: envOf("id-json") });
    expect(asJson.stdout).toBe(`${JSON.stringify(issuedTo("id-json")[0]!.id)}\n`);
  });

  test("generate 25: 25 distinct ids in paced requests of 10, 10, 5; decode - turns them into the ordinals the emulator issued", async () => {
    const { code, stdout, stderr } = await cli.run(["puid", "generate", "25"], { env: envOf("generate") });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" }); // and no progress line: stderr is a pipe here
    const ids = lines(stdout);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const issued = issuedTo("generate");
    expect(ids).toEqual(issued.map(({ id }) => id));
    // Paced: three requests, none refused (no 429 to retry).
    expect(idsRequestsOf("generate").map(({ path, status }) => `${status} ${path}`)).toEqual([
      "200 /api/v1/ids?n=10",
      "200 /api/v1/ids?n=10",
      "200 /api/v1/ids?n=5",
    ]);

    const decoded = await cli.run(["puid", "decode", "-"], { input: stdout }); // offline: no environment
    expect(decoded).toMatchObject({ code: 0, stderr: "" });
    expect(lines(decoded.stdout)).toEqual(issued.map(({ ordinal }) => ordinal.toString()));
  });

  test("generate 12 --json: one JSON string a line, the first ten out through the pipe while the second request is unanswered", async () => {
    const release = holdSecondIds("generate-json");
    const running = cli.start(["puid", "generate", "12", "--json"], envOf("generate-json"));
    const firstBatch = await running.stdoutMatching(/^(".+"\n){10}/);
    expect(lines(firstBatch)).toHaveLength(10);
    expect(running.child.exitCode).toBe(null);
    release();
    const { code, stdout, stderr } = await running.exit;
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const ids = lines(stdout).map((line) => JSON.parse(line) as string);
    expect(ids).toEqual(issuedTo("generate-json").map(({ id }) => id));
    for (const id of ids) expect(id).toMatch(ID);
  });

  test("generate 0 prints nothing and spends nothing", async () => {
    expect(await cli.run(["puid", "generate", "0"], { env: envOf("pro") })).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });
});

describe.concurrent("puid ordinal, quota", () => {
  test("ordinal <id>: the server's decode, in decimal; --json: a JSON string, exact above 2^53", async () => {
    const big = 2n ** 128n - 1n;
    expect(await cli.run(["puid", "ordinal", encodePuid(1n)], { env: envOf("pro") })).toMatchObject({ code: 0, stdout: "1\n", stderr: "" });
    expect((await cli.run(["puid", "ordinal", encodePuid(big), "--json"], { env: envOf("pro") })).stdout).toBe(`"${big}"\n`);
    expect(emulator.log.filter(({ path }) => path.startsWith("/api/v1/ordinal/"))).toHaveLength(2);
  });

  test("quota: plan, used, limit and remaining, aligned; --json: the object", async () => {
    await cli.run(["puid", "ids", "4"], { env: envOf("quota") });
    const human = await cli.run(["puid", "quota"], { env: envOf("quota") });
    expect(human).toMatchObject({ code: 0, stderr: "", stdout: "plan       free\nused       4\nlimit      1000\nremaining  996\n" });
    const asJson = await cli.run(["puid", "quota", "--json"], { env: envOf("quota") });
    expect(JSON.parse(asJson.stdout)).toEqual({ plan: "free", used: 4, limit: 1000, remaining: 996 });
  });

  test("quota on an unlimited plan: 'unlimited' for people, null in JSON", async () => {
    expect((await cli.run(["puid", "quota"], { env: envOf("pro") })).stdout).toBe("plan       pro\nused       0\nlimit      unlimited\nremaining  unlimited\n");
    expect(JSON.parse((await cli.run(["puid", "quota", "--json"], { env: envOf("pro") })).stdout)).toEqual({
      plan: "pro",
      used: 0,
      limit: null,
      remaining: null,
    });
  });

  test("PUID_ACCESS_TOKEN: an OAuth access token is the credential instead of a key; --endpoint over PUID_ENDPOINT", async () => {
    const accessToken = await clientToken(emulator, CLIENT);
    const { code, stdout } = await cli.run(["puid", "quota", "--json", "--endpoint", server.url], {
      env: { PUID_ACCESS_TOKEN: accessToken, PUID_ENDPOINT: "http://127.0.0.1:1/api" },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ plan: "free", used: 0, limit: 1000, remaining: 1000 });
  });
});

describe.concurrent("API errors: exit 1, the code, the message and the status on stderr", () => {
  test("a wrong key: error unauthorized … (HTTP 401), and the key is not repeated", async () => {
    for (const command of [["quota"], ["ids", "2"], ["ordinal", "1"]]) {
      const { code, stdout, stderr } = await cli.run(["puid", ...command], { env: { PUID_ENDPOINT: server.url, PUID_API_KEY: "puid_live_wrong_key_123" } });
      expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
      expect(stderr).toMatch(/^error unauthorized: .+ \(HTTP 401\)\n$/);
      expect(stderr).not.toContain("puid_live_wrong_key_123");
    }
  });

  test("the quota running out mid-generate: every id it got on stdout, then quota_exceeded (HTTP 402) and where to upgrade", async () => {
    const { code, stdout, stderr } = await cli.run(["puid", "generate", "15"], { env: { PUID_ENDPOINT: tightServer.url, PUID_API_KEY: tight.apiKeys[0]! } });
    expect(code).toBe(1);
    expect(lines(stdout)).toEqual(tight.issued.map(({ id }) => id));
    expect(lines(stdout)).toHaveLength(10);
    expect(stderr).toMatch(new RegExp(`^error quota_exceeded: .+ \\(HTTP 402\\)\\nupgrade: ${tightServer.origin}/upgrade\\n$`));
  });
});

describe.concurrent("the terminal and the pipe", () => {
  const hasScript = (() => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  /**
   * `generate <total>` on a pty made by script(1), ids to a file: what the terminal showed (only
   * stderr goes there), the exit status, and the file. `type` is typed at the keyboard once the
   * terminal shows `when`.
   */
  function onTerminal(account: AccountName, total: number, keyboard?: { when: string; type: string }) {
    const dir = mkdtempSync(path.join(ROOT, ".tmp", "tty-"));
    const file = path.join(dir, "ids.txt");
    const command = `'${process.execPath}' '${cli.bin}' puid generate ${total} > '${file}'`;
    return new Promise<{ code: number | null; text: string; ids: string[] }>((resolve) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        env: { PATH: process.env.PATH ?? "", ...envOf(account) },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let text = "";
      let typed = false;
      child.stdin.on("error", () => {}); // script may be gone before its stdin is closed
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
        if (keyboard && !typed && text.includes(keyboard.when)) {
          typed = true;
          child.stdin.write(keyboard.type);
        }
      });
      child.on("close", (code) => {
        const ids = lines(readFileSync(file, "utf8"));
        rmSync(dir, { recursive: true, force: true });
        resolve({ code, text, ids });
      });
    });
  }

  test.skipIf(!hasScript)(
    "with stderr on a terminal (a pty from script(1)), generate draws a progress line there, updated in place and erased at the end",
    async () => {
      const terminal = await onTerminal("tty", 12);
      expect(terminal.code).toBe(0);
      expect(terminal.ids).toEqual(issuedTo("tty").map(({ id }) => id));
      expect(terminal.text).toContain("\r\x1b[2K0 of 12 ids (0%)");
      expect(terminal.text).toContain("\r\x1b[2K10 of 12 ids (83%)");
      expect(terminal.text).toContain("\r\x1b[2K12 of 12 ids (100%)");
      expect(terminal.text.endsWith("\r\x1b[2K")).toBe(true); // nothing left on the line
      expect(terminal.text).not.toMatch(/\n/); // no id reached the terminal: they went to the file
    },
  );

  test.skipIf(!hasScript)(
    "Ctrl-C on that terminal mid-generate: the line is taken away, exit 130 as for any interrupted command, the ids so far kept",
    async () => {
      const release = holdSecondIds("tty-interrupt"); // never released: the interrupt comes while it waits
      const terminal = await onTerminal("tty-interrupt", 1000, { when: "10 of 1000 ids", type: "\x03" });
      release();
      expect(terminal.code).toBe(130);
      // eslint-disable-next-line no-control-regex -- the terminal's escape sequence (ESC [2K, clear the line) is what is tested
      expect(terminal.text).toMatch(/10 of 1000 ids \(1%\)(\^C)?\r\x1b\[2K$/); // the terminal may echo ^C; then the line goes
      expect(terminal.ids).toEqual(issuedTo("tty-interrupt").map(({ id }) => id));
      expect(terminal.ids).toHaveLength(10);
    },
  );

  test("a reader that goes away (| head -3) ends generate 1000 quietly, with exit 0", async () => {
    const shell = spawn("bash", ["-o", "pipefail", "-c", `'${process.execPath}' '${cli.bin}' puid generate 1000 | head -3`], {
      env: { PATH: process.env.PATH ?? "", ...envOf("pipe") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    shell.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    shell.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => shell.on("close", resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(lines(stdout)).toHaveLength(3);
    expect(issuedTo("pipe").length).toBeLessThan(1000); // it stopped asking once the reader was gone
  });
});
