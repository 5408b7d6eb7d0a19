// The runtime smoke: one short walk through both facades, the same in every runtime.
//
// Runtime-agnostic on purpose: it uses only fetch (through the package), URL, console and
// globalThis — no Node module, no Deno or Bun global. The package itself is handed in by the
// caller (a launcher that imported it by name, as a user would), so this file never resolves
// `picket-puid` and runs unchanged in Node, Bun, Deno, a browser bundle and a Worker.
//
// The expected values are what the Prism mocks of openapi/*.yaml answer, and what each entry
// exports is what scripts/entries.mjs lists (the runtime matrix copies that file beside this one,
// at the same relative path); each check throws an Error that says what differed.
import { entries } from "../scripts/entries.mjs";

const WALLET = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
const SIGNATURE = `0x${"5c".repeat(65)}`;
/** A base62 PUID: 1–22 characters. */
const PUID_PATTERN = /^[0-9A-Za-z]{1,22}$/;
/** The mock answers with a documented error for this status instead of its 200 example. */
const refused = { headers: { Prefer: "code=401" }, maxRetries: 0 };

/**
 * @param {unknown} condition
 * @param {string} what what should have been so, for the message
 * @param {unknown} actual what was, for the message
 * @returns {asserts condition}
 */
function check(condition, what, actual) {
  if (!condition) throw new Error(`${what}; got ${show(actual)}`);
}

/** @param {unknown} value */
function show(value) {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Run `call`, which must fail with `ErrorClass` status 401 and a code; return that error.
 * @template {PicketPuidError} E
 * @param {string} label
 * @param {() => Promise<unknown>} call
 * @param {abstract new (...args: never[]) => E} ErrorClass
 * @param {abstract new (...args: never[]) => PicketPuidError} BaseClass
 * @returns {Promise<E>}
 */
async function expectRefusal(label, call, ErrorClass, BaseClass) {
  let caught;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  check(caught !== undefined, `${label} should have been refused with 401`, "success");
  check(caught instanceof ErrorClass, `${label} should throw ${ErrorClass.name}`, caught);
  check(caught instanceof BaseClass, `${label}: ${ErrorClass.name} should extend ${BaseClass.name}`, caught);
  check(caught.status === 401, `${label}: error.status should be 401`, caught.status);
  check(typeof caught.code === "string" && caught.code.length > 0, `${label}: error.code should be a non-empty string`, caught.code);
  return caught;
}

/**
 * Run `make`, which must throw `ErrorClass` with code `secret_in_browser` at once, before any request.
 * @param {string} label
 * @param {() => unknown} make
 * @param {abstract new (...args: never[]) => PicketPuidError} ErrorClass
 */
function expectGuard(label, make, ErrorClass) {
  let caught;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  check(
    caught instanceof ErrorClass && caught.code === "secret_in_browser",
    `${label} should throw ${ErrorClass.name} secret_in_browser`,
    caught ?? "no error",
  );
}

/**
 * @typedef {{ ids: number, ordinal: string, plan: string, nonce: string, user: string, errors: string[] }} Summary
 * @typedef {import("picket-puid").PicketPuidError} PicketPuidError
 */

/**
 * @param {{ puidUrl: unknown, picketUrl: unknown, puid: typeof import("picket-puid/puid"), picket: typeof import("picket-puid/picket"), root?: typeof import("picket-puid"), browser?: boolean }} options
 *   The mocks' URLs, as the launcher got them (checked here). `puid` and `picket` are the modules
 *   `picket-puid/puid` and `picket-puid/picket`; `root`, when given, is `picket-puid` itself and
 *   must re-export the very same classes. `browser` says the smoke runs in a web page, where a
 *   secret credential is refused unless `dangerouslyAllowBrowser` is set: the smoke checks the
 *   refusal, then sets it.
 * @returns {Promise<Summary>}
 */
export async function smoke({ puidUrl, picketUrl, puid, picket, root, browser = false }) {
  check(typeof puidUrl === "string" && new URL(puidUrl).protocol.startsWith("http"), "puidUrl should be an http URL", puidUrl);
  check(typeof picketUrl === "string" && new URL(picketUrl).protocol.startsWith("http"), "picketUrl should be an http URL", picketUrl);
  /** @type {Map<string, Record<string, unknown> | undefined>} the entries this smoke walks through, as the launcher imported them */
  const handed = new Map();
  handed.set("picket-puid/puid", puid).set("picket-puid/picket", picket);
  if (root) handed.set("picket-puid", root);
  for (const entry of entries.filter(({ specifier }) => handed.has(specifier))) {
    const module = handed.get(entry.specifier) ?? {};
    for (const [key, type] of Object.entries(entry.exports)) {
      check(typeof module[key] === type, `${entry.specifier} should export ${key} (a ${type})`, Object.keys(module));
    }
    for (const key of entry.forbidden ?? []) {
      check(!(key in module), `${entry.specifier} should export only its own API, not ${key}`, Object.keys(module));
    }
  }
  if (root) {
    check(root.Puid === puid.Puid && root.Picket === picket.Picket, "picket-puid should re-export the classes of its subpath entries", Object.keys(root));
    check(typeof root.VERSION === "string" && root.VERSION.length > 0, "picket-puid should export VERSION", root.VERSION);
  }

  const PUID_KEY = "puid_live_4kT9sQ2mZx7LbR1nVw8cYp3J";
  const PICKET_KEY = "sk_test_8f3a1c9e2b7d4f60a5e1";
  if (browser) {
    expectGuard("new Puid({ apiKey }) in a page", () => new puid.Puid({ apiKey: PUID_KEY, endpoint: puidUrl }), puid.PuidError);
    expectGuard("new Picket(secretKey) in a page", () => new picket.Picket(PICKET_KEY, { baseURL: picketUrl }), picket.PicketError);
  }
  const allow = browser ? { dangerouslyAllowBrowser: true } : {};

  // PUID: ids, ordinal, quota. The mock has no rate limit; a pace of 10/s keeps the pacing path
  // in the walk without making it wait.
  const client = new puid.Puid({ apiKey: PUID_KEY, endpoint: puidUrl, requestsPerSecond: 10, ...allow });
  const ids = await client.ids(3);
  check(Array.isArray(ids) && ids.length === 3, "ids(3) should return 3 ids", ids);
  check(
    ids.every((id) => typeof id === "string" && PUID_PATTERN.test(id)),
    "ids(3) should return base62 strings",
    ids,
  );
  const ordinal = await client.ordinal(/** @type {string} */ (ids[0])); // one of three, checked above
  check(typeof ordinal === "bigint" && ordinal > 0n, "ordinal() should return a positive bigint", ordinal);
  const quota = await client.quota();
  check(typeof quota?.plan === "string" && typeof quota.used === "number", "quota() should return { plan, used, ... }", quota);
  check(quota.limit === null || typeof quota.limit === "number", "quota().limit should be a number or null", quota);

  // Picket: nonce, auth.
  const picketClient = new picket.Picket(PICKET_KEY, { baseURL: picketUrl, ...allow });
  const nonce = await picketClient.nonce({ walletAddress: WALLET });
  check(typeof nonce?.nonce === "string" && nonce.nonce.length > 0, "nonce() should return a nonce", nonce);
  const auth = await picketClient.auth({ walletAddress: WALLET, signature: SIGNATURE });
  check(typeof auth?.accessToken === "string" && auth.accessToken.split(".").length === 3, "auth() should return a JWT accessToken", auth);
  check(typeof auth.user?.walletAddress === "string", "auth() should return the user", auth);

  // One refusal from each API, mapped to that API's error class.
  const errors = [
    await expectRefusal("puid.quota() with Prefer: code=401", () => client.quota(refused), puid.PuidError, puid.PicketPuidError),
    await expectRefusal(
      "picket.nonce() with Prefer: code=401",
      () => picketClient.nonce({ walletAddress: WALLET }, refused),
      picket.PicketError,
      picket.PicketPuidError,
    ),
  ].map((error) => `${error.name} ${error.status} ${error.code}`);

  return { ids: ids.length, ordinal: `${ordinal}`, plan: quota.plan, nonce: nonce.nonce, user: auth.user.walletAddress, errors };
}

/**
 * The summary as the part in parentheses of a launcher's `<runtime> <version>: ok (...)` line.
 * @param {Summary} summary
 */
export function describeSmoke(summary) {
  return `ids=${summary.ids} ordinal=${summary.ordinal} plan=${summary.plan} nonce auth; ${summary.errors.join(", ")}`;
}

/**
 * A failure as one line: the message, and where it was thrown when the runtime says.
 * @param {unknown} error
 */
export function describeFailure(error) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
  const cause = error instanceof Error && error.cause !== undefined ? ` (cause: ${show(error.cause)})` : "";
  return `${message}${cause}`.replace(/\s+/g, " ");
}

/**
 * What every launcher does once it has imported the entries: run the smoke and print
 * `<name>: ok (...)`, or `<name>: FAILED (...)` and call `fail` (which sets the exit code the
 * runtime's own way).
 * @param {string} name
 * @param {Parameters<typeof smoke>[0]} args
 * @param {() => void} fail
 */
export async function report(name, args, fail) {
  try {
    console.log(`${name}: ok (${describeSmoke(await smoke(args))})`);
  } catch (error) {
    console.log(`${name}: FAILED (${describeFailure(error)})`);
    console.error(error);
    fail();
  }
}
