// `npm start` as a newcomer runs it: a real process that starts both emulators and walks the tour
// against them. The tests read what it prints and check each claim with code of their own: the
// printed URLs and keys answer, the signature verifies, the ids decode, the pacing and the quota
// add up. Ctrl-C and SIGTERM end it at once, quietly.
import { spawn } from "node:child_process";
import { verifyMessage } from "viem";
import { beforeAll, describe, expect, test } from "vitest";
import { decodePuid } from "../src/puid/index.js";

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `npm start`'s command; `whenPrinted` runs once when stdout first matches its pattern. */
function start(whenPrinted?: { pattern: RegExp; then: (stdout: string, stop: (signal: NodeJS.Signals) => void) => void }): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/tour.mjs"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = whenPrinted;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (pending && pending.pattern.test(stdout)) {
      const { then } = pending;
      pending = undefined;
      then(stdout, (signal) => child.kill(signal));
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Every value printed for `label`: on its line after the padding, or on the next line when the label is long. */
function valuesOf(stdout: string, label: string): string[] {
  const lines = stdout.split("\n");
  const pattern = new RegExp(`^  ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?: {2,}(.*))?$`);
  const values: string[] = [];
  lines.forEach((text, i) => {
    const match = pattern.exec(text);
    if (match) values.push((match[1] ?? lines[i + 1]!).trim());
  });
  if (values.length === 0) throw new Error(`the tour printed no "${label}"`);
  return values;
}
const valueOf = (stdout: string, label: string) => valuesOf(stdout, label)[0]!;
const jsonOf = (stdout: string, label: string) => JSON.parse(valueOf(stdout, label));

/** The lines after the first line that contains `marker`, up to the next blank or unindented line. */
function blockAfter(stdout: string, marker: string): string[] {
  const lines = stdout.split("\n");
  const from = lines.findIndex((text) => text.includes(marker));
  if (from < 0) throw new Error(`the tour printed no "${marker}"`);
  const block: string[] = [];
  for (const text of lines.slice(from + 1)) {
    if (!text.startsWith("    ")) break;
    block.push(text);
  }
  return block;
}

describe("the tour (npm start) against the emulators it starts", () => {
  let run: Run;
  /** What the test got from the printed curl commands, sent while the tour was running. */
  let tried: Promise<{ puid: { status: number; body: any }; picket: { status: number; body: any } }>;

  beforeAll(async () => {
    run = await start({
      pattern: /curl -u .*\n/,
      then: (stdout) => {
        // The two curl commands, sent as they are printed.
        const puid = /curl -H 'X-API-Key: (\S+)' (\S+)/.exec(stdout)!;
        const picket = /curl -u '(\S+):' (\S+)/.exec(stdout)!;
        const answer = async (response: Promise<Response>) => {
          const got = await response;
          return { status: got.status, body: await got.json() };
        };
        tried = Promise.all([
          answer(fetch(puid[2]!, { headers: { "X-API-Key": puid[1]! } })),
          answer(fetch(picket[2]!, { headers: { authorization: `Basic ${btoa(`${picket[1]}:`)}` } })),
        ]).then(([puidAnswer, picketAnswer]) => ({ puid: puidAnswer, picket: picketAnswer }));
      },
    });
  }, 60_000);

  test("exits 0 with nothing on stderr and no failure shown", () => {
    expect(run.stderr).toBe("");
    expect(run.stdout).not.toMatch(/unexpectedly succeeded|\n\s+at /);
    expect(run.code).toBe(0);
  });

  test("prints each emulator's URL and generated keys, and they answer the printed curl commands while the tour runs", async () => {
    const puidUrl = /^ {2}PUID +(http:\/\/127\.0\.0\.1:\d+\/api)$/m.exec(run.stdout)?.[1];
    const picketUrl = /^ {2}Picket +(http:\/\/127\.0\.0\.1:\d+\/api\/v1)$/m.exec(run.stdout)?.[1];
    expect(puidUrl).toBeDefined();
    expect(picketUrl).toBeDefined();
    expect(run.stdout).toMatch(/^ +API key +puid_live_[0-9A-Za-z]{24}$/m);
    expect(run.stdout).toMatch(/^ +secret key +sk_[0-9a-f]{32}$/m);
    expect(run.stdout).toMatch(/^ +publishable key +pk_[0-9a-f]{32}$/m);
    expect(run.stdout).toContain(`${puidUrl}/v1/quota`);
    expect(run.stdout).toContain(`${picketUrl}/chains/ethereum`);
    const { puid, picket } = await tried;
    expect(puid).toEqual({ status: 200, body: { plan: "free", used: expect.any(Number), limit: 1000, remaining: expect.any(Number) } });
    expect(picket).toMatchObject({ status: 200, body: { chainSlug: "ethereum", chainId: 1 } });
    expect(run.stdout).toMatch(/picket-puid emulate/);
  });

  test("signs in with a fresh wallet: the printed SIWE message carries the nonce, the signature is the wallet's, and the token names the wallet", async () => {
    const wallet = valueOf(run.stdout, "wallet address (viem, random key)");
    expect(wallet).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const { nonce, statement, format } = jsonOf(run.stdout, "picket.nonce({ walletAddress })");
    expect(format).toBe("siwe");
    const message = run.stdout
      .split("\n")
      .filter((text) => text.startsWith("    │"))
      .map((text) => text.replace(/^ {4}│ ?/, ""))
      .join("\n");
    expect(message.split("\n").slice(0, 4)).toEqual([expect.stringMatching(/ wants you to sign in with your Ethereum account:$/), wallet, "", statement]);
    expect(message).toContain(`\nNonce: ${nonce}\n`);
    const signature = valueOf(run.stdout, "account.signMessage({ message })") as `0x${string}`;
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    expect(await verifyMessage({ address: wallet as `0x${string}`, message, signature })).toBe(true);

    const { accessToken, user } = jsonOf(run.stdout, "picket.auth({ walletAddress, signature, context })");
    expect(accessToken).toMatch(/^eyJ/);
    expect(user).toMatchObject({ chain: "ethereum", walletAddress: wallet, tokenBalances: {} });
    const claims = jsonOf(run.stdout, "picket.validate(accessToken)");
    expect(claims.sub).toBe(`ethereum:${wallet}`);
    expect(Date.parse(claims.exp)).toBeGreaterThan(Date.now());
  });

  test("token gating: authz passes for the contract the ledger gives the wallet, and is refused for one it does not hold", () => {
    const given = /setBalance\("ethereum", walletAddress, "contractAddress", UNI, "(\d+)"\)/.exec(run.stdout)?.[1];
    expect(given).toBeDefined();
    const passed = jsonOf(run.stdout, "picket.authz({ accessToken, requirements: { contractAddress: UNI } })");
    expect(passed.allowed).toBe(true);
    expect(Object.values(passed.tokenBalances.contractAddress)).toEqual([given]);
    expect(valueOf(run.stdout, "picket.authz({ accessToken, requirements: { contractAddress: USDC } })")).toMatch(
      /^PicketError status=403 code=permission_denied: /,
    );
    expect(valueOf(run.stdout, "picket.auth() with a signature by another key")).toMatch(/^PicketError status=400 code=parameter_invalid: invalid signature/);
  });

  /** The ids the tour printed, in order: ids(3), generate(25), then the retried eager.ids(1). */
  function printedIds() {
    const three: string[] = jsonOf(run.stdout, "puid.ids(3)");
    const generated = blockAfter(run.stdout, "The ids, ordinals").flatMap((text) => text.trim().split(/\s+/));
    const late = /^ {2}eager\.ids\(1\) +(\[.*\]) after ([\d.]+) s$/m.exec(run.stdout);
    expect(late).not.toBeNull();
    return { three, generated, late: JSON.parse(late![1]!) as string[], lateSeconds: Number(late![2]) };
  }

  test("ids decode offline to exactly the ordinals the server reports", () => {
    const { three } = printedIds();
    const rows = blockAfter(run.stdout, "decodePuid(id), offline").map((text) => text.trim().split(/\s+/));
    expect(rows.map(([id]) => id)).toEqual(three);
    for (const [id, offline, server] of rows) {
      expect(offline).toBe(`${decodePuid(id!)}n`);
      expect(server).toBe(offline);
    }
  });

  test("generate(25): 25 distinct ids in 3 requests of 10, 10 and 5, each a second or more after the previous", () => {
    const { three, generated } = printedIds();
    expect(generated).toHaveLength(25);
    expect(new Set(generated).size).toBe(25);
    // One counter on the server: they follow the three before, one by one.
    const last = decodePuid(three.at(-1)!);
    expect(generated.map(decodePuid)).toEqual(generated.map((_, i) => last + 1n + BigInt(i)));
    const requests = [...run.stdout.matchAll(/^ {4}GET \/api\/v1\/ids\?n=(\d+) +→ (\d+) +([\d.]+) s after the previous/gm)];
    expect(requests.map((request) => [request[1], request[2]])).toEqual([
      ["10", "200"],
      ["10", "200"],
      ["5", "200"],
    ]);
    for (const request of requests) expect(Number(request[3])).toBeGreaterThanOrEqual(1);
    const summary = /^ {2}for await \(const id of puid\.generate\(25\)\) +25 ids, 25 distinct, in ([\d.]+) s$/m.exec(run.stdout);
    expect(Number(summary?.[1])).toBeGreaterThanOrEqual(2);
  });

  test("a 429: the typed error with maxRetries 0, then the client waits the server's retryAfterMs and retries by itself", () => {
    const refused = /^ {2}eager\.ids\(1, \{ maxRetries: 0 \}\) +PuidError status=429 code=rate_limited retryAfterMs=(\d+): /m.exec(run.stdout);
    expect(refused).not.toBeNull();
    expect(Number(refused![1])).toBeGreaterThan(0);
    expect(Number(refused![1])).toBeLessThanOrEqual(1000);
    const puidUrl = /^ {2}PUID +(\S+)$/m.exec(run.stdout)![1]!;
    const retry = new RegExp(
      `^\\[picket-puid\\] retrying GET ${puidUrl.replace(/[.]/g, "\\.")}/v1/ids\\?n=1 in (\\d+) ms after HTTP 429 \\(retry 1 of 2\\)$`,
      "m",
    ).exec(run.stdout);
    expect(retry).not.toBeNull();
    const { generated, late, lateSeconds } = printedIds();
    expect(late).toHaveLength(1);
    expect(decodePuid(late[0]!)).toBe(decodePuid(generated.at(-1)!) + 1n);
    expect(lateSeconds * 1000).toBeGreaterThanOrEqual(Number(retry![1]) - 10);
  });

  test("the quota goes down by exactly the ids issued; refused requests spend nothing", () => {
    const [before, after] = valuesOf(run.stdout, "puid.quota()").map((text) => JSON.parse(text));
    const { three, generated, late } = printedIds();
    const issued = [...three, ...generated, ...late];
    expect(new Set(issued).size).toBe(issued.length);
    expect(before).toMatchObject({ plan: "free", used: 0 });
    expect(after.used - before.used).toBe(issued.length);
    expect(after.remaining).toBe(after.limit - after.used);
  });
});

describe("the tour (npm start) stopped early", () => {
  test.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s while it waits for its turn stops the emulators and the process at once, quietly (exit %i)",
    async (signal, status) => {
      let sent = 0;
      const { code, stdout, stderr } = await start({
        pattern: /^4\. 25 ids/m,
        then: (_stdout, stop) => {
          sent = performance.now();
          stop(signal);
        },
      });
      const afterSignal = performance.now() - sent;
      expect(stdout).toMatch(/^ {2}PUID +http:\/\/127\.0\.0\.1:\d+\/api$/m);
      expect(stdout).not.toContain("5. A 429"); // nothing printed after the signal
      expect(stderr).toBe("");
      expect(code).toBe(status);
      expect(afterSignal).toBeLessThan(2_000);
    },
    60_000,
  );
});
