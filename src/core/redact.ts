/**
 * Keeping secrets out of errors: a server may echo back what it was sent (a key in a message, a
 * token in a header), and an error is logged, shown and serialized. Every secret the request
 * carried is replaced by `[redacted]` in what an error keeps.
 */
import { CREDENTIAL_HEADERS } from "./headers.js";
import { isRecord } from "./values.js";

export const REDACTED = "[redacted]";

/** Body fields that hold a secret in the requests of either API. */
const SECRET_FIELDS = /^(client_secret|code_verifier|refresh_token|code|access_token|accessToken|password)$/;

/**
 * The secrets one request carries: the values of its credential headers (and the key inside a
 * Basic one), and the secret fields of its JSON body. Short values (under 8 characters) are left
 * out: replacing them would garble an error without protecting anything.
 */
export function secretsOf(headers: Record<string, string>, body: unknown): string[] {
  const found: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    if (!value) continue;
    found.push(value);
    const space = value.search(/\s/);
    const scheme = space < 0 ? "" : value.slice(0, space);
    const credential = space < 0 ? "" : value.slice(space).trim();
    if (credential) found.push(credential);
    if (/^basic$/i.test(scheme) && credential) {
      try {
        const decoded = atob(credential);
        found.push(decoded, decoded.replace(/:$/, ""));
      } catch {
        // not base64: the header value itself is already listed
      }
    }
  }
  if (typeof body === "string" && body.startsWith("{")) {
    try {
      const fields: unknown = JSON.parse(body);
      if (isRecord(fields)) for (const [name, value] of Object.entries(fields)) if (SECRET_FIELDS.test(name) && typeof value === "string") found.push(value);
    } catch {
      // not JSON: nothing to find in it
    }
  }
  return [...new Set(found.filter((secret) => secret.length >= 8))].sort((a, b) => b.length - a.length);
}

/** How a request carried its credential, named without its value (`X-API-Key`, `Authorization: Bearer`), or `null`. */
export function credentialOf(headers: Record<string, string>): string | null {
  if (headers["x-api-key"]) return "X-API-Key";
  const scheme = headers.authorization?.split(" ")[0];
  return scheme ? `Authorization: ${scheme}` : null;
}

/** `text` with every secret replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * A copy of a parsed body with every string redacted, object keys included. Walked with a stack
 * of its own, not recursion, so a body nested a million deep is copied, not a stack overflow.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (typeof value !== "object" || value === null) return value;
  const root = (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
  const stack: [Record<string, unknown>, Record<string, unknown>][] = [[value as Record<string, unknown>, root]];
  for (let pair = stack.pop(); pair; pair = stack.pop()) {
    const [from, to] = pair;
    for (const key of Object.keys(from)) {
      const item = from[key];
      const name = Array.isArray(from) ? key : redactText(key, secrets);
      if (typeof item === "string") to[name] = redactText(item, secrets);
      else if (typeof item === "object" && item !== null) {
        const copy = (Array.isArray(item) ? [] : {}) as Record<string, unknown>;
        to[name] = copy;
        stack.push([item as Record<string, unknown>, copy]);
      } else to[name] = item;
    }
  }
  return root as T;
}

/** Headers an error may keep: no challenge or cookie a server set (they may carry a credential), the rest redacted. */
export function keptHeaders(headers: Headers, secrets: readonly string[]): Headers {
  const kept = new Headers();
  headers.forEach((value, name) => {
    if (!/^(set-cookie2?|www-authenticate|proxy-authenticate)$/.test(name)) kept.append(name, redactText(value, secrets));
  });
  return kept;
}
