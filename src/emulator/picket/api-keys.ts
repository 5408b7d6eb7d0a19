/**
 * The project's API keys and the `Authorization` header that carries one (reference §2.2, §12).
 *
 * The official clients send three different headers for the same key and the service accepts all
 * of them: `Basic base64(key + ":")` (python, go, curl), `Basic base64(key)` with no colon (node)
 * and `Basic  base64(key)` with two spaces (picket-js). So does the emulator.
 */
import { PicketFailure } from "./failure.js";

/** Which of the project's keys a request carried. */
export type KeyKind = "secret" | "publishable";

/** The keys of the one project the emulator serves. */
export interface ProjectKeys {
  readonly secretKeys: readonly string[];
  readonly publishableKeys: readonly string[];
}

/** The kind of `key` in this project, or `undefined` when it is not one of its keys. */
export function kindOfKey(keys: ProjectKeys, key: string): KeyKind | undefined {
  if (keys.secretKeys.includes(key)) return "secret";
  if (keys.publishableKeys.includes(key)) return "publishable";
  return undefined;
}

/** 401 `authentication_required`: no `Authorization` header at all (§6.3). */
export const authenticationRequired = (): PicketFailure =>
  new PicketFailure(401, "authentication required: send the project's API key as the HTTP Basic user name", "authentication_required");

/** 401 `api_key_invalid`, whose `msg` contains "invalid project key", the text picket-js matches (§6.4). */
export const invalidProjectKey = (detail: string): PicketFailure => new PicketFailure(401, `invalid project key: ${detail}`, "api_key_invalid");

const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * The key in an `Authorization` header, or `undefined` when the header is missing. The scheme is
 * case-insensitive and any run of spaces may follow it; the decoded credentials are the key with
 * or without a trailing colon. A password after the colon is refused: Picket's keys are user
 * names with an empty password (§2.2), so a password means the client put something in the wrong
 * place.
 *
 * @throws {PicketFailure} 401 `api_key_invalid` for a header that is not Basic or not decodable.
 */
export function keyFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = BASIC.exec(header.trim());
  if (!match) throw invalidProjectKey("the Authorization header must be `Basic base64(<key>:)`");
  let decoded: string;
  try {
    const binary = atob(match[1]!);
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    throw invalidProjectKey("the Basic credentials are not valid base64 of UTF-8 text");
  }
  const colon = decoded.indexOf(":");
  if (colon >= 0 && colon < decoded.length - 1) throw invalidProjectKey("the password must be empty; the key is the user name");
  const key = colon >= 0 ? decoded.slice(0, colon) : decoded;
  if (key === "") throw invalidProjectKey("the user name (the key) is empty");
  return key;
}

/**
 * The kind of key a request authenticates with.
 * @throws {PicketFailure} 401 `authentication_required` without a header, 401 `api_key_invalid`
 *   for a malformed header or a key the project does not have.
 */
export function authenticate(keys: ProjectKeys, header: string | undefined): KeyKind {
  const key = keyFromHeader(header);
  if (key === undefined) throw authenticationRequired();
  const kind = kindOfKey(keys, key);
  if (!kind) throw invalidProjectKey("this key belongs to no project");
  return kind;
}
