// `npm start` as a newcomer runs it: the tour prints both facades' results and exits 0.
import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";

function run(signalAfter?: RegExp, onSignal?: () => void) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/tour.mjs"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk;
    if (signalAfter && signalAfter.test(output) && !child.killed) {
      onSignal?.();
      child.kill("SIGINT");
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
}

describe("the tour (npm start)", () => {
  test("walks every facade method and one error of each kind, then exits 0", async () => {
    const { code, output } = await run();
    expect(output).not.toMatch(/unexpectedly succeeded|Error:.*\n\s+at /);
    for (const method of ["ids(3)", "id()", "ordinal(", "quota()", "fromClientCredentials", "nonce(", "createSigningMessage", "auth(", "authz(", "validate(", "tokenOwnership(flat)", "tokenOwnership(requirements)", "chains()", "chainInfo("]) {
      expect(output).toContain(method);
    }
    expect(output).toMatch(/code=invalid_count/);
    expect(output).toMatch(/status=429 code=rate_limited/);
    expect(output).toMatch(/PuidError status=null code=network_error/);
    expect(output).toMatch(/code=parameter_invalid/);
    expect(output).toMatch(/status=401 code=/);
    expect(output).toMatch(/PicketError status=null code=network_error/);
    expect(code).toBe(0);
  });

  test("Ctrl-C stops the mocks and the process at once, quietly", async () => {
    let interrupted = 0;
    const pending = run(/PUID — /, () => (interrupted = performance.now()));
    const { code, output } = await pending;
    const afterSignal = performance.now() - interrupted;
    expect(output).toContain("PUID — http://127.0.0.1:");
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
    expect(code).toBe(130);
    expect(afterSignal).toBeLessThan(2_000);
  });
});
