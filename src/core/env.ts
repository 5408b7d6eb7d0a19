/** What the runtime offers a client: environment variables where there are any, and whether this is a browser. */
import { CoreCode, type ErrorFactory } from "./errors.js";

/**
 * An environment variable, where the runtime has them (Node, Bun, Deno with `--allow-env`), or
 * `undefined` (browsers, workers, Deno without the permission).
 */
export function env(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Whether this runs in a web page (not a server runtime or a worker without a DOM). */
export const inBrowser = (): boolean =>
  typeof (globalThis as { window?: { document?: unknown } }).window?.document !== "undefined" && typeof navigator !== "undefined";

/**
 * Refuse a secret credential (an API key, a client secret) in a web page, where anyone who opens
 * the page can read it, unless the caller set `dangerouslyAllowBrowser: true` (the ecosystem's
 * convention). Tokens from a user's own login (PKCE) and publishable keys are not secrets.
 */
export function refuseInBrowser(errors: ErrorFactory, what: string, allowed: unknown): void {
  if (allowed !== true && inBrowser()) {
    throw errors.make({
      status: null,
      code: CoreCode.secretInBrowser,
      message: `${what} is a secret, and this runs in a web page where anyone can read it. Call the API from your server instead; if you know the risk (a local tool, an internal page), set dangerouslyAllowBrowser: true.`,
    });
  }
}
