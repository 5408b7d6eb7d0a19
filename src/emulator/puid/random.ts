/** The base62 alphabet of PUID: digits, then upper case, then lower case (§5). */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * `prefix` + `length` random base62 characters, the shape of every credential the server mints
 * (`puid_live_`+24, `puid_at_`+32, `code_`+24, ...; §9). Like the server, each character is
 * `byte % 62`: slightly biased, which no client can tell apart from the real thing.
 */
export function randomBase62(prefix: string, length: number): string {
  let text = prefix;
  for (const byte of crypto.getRandomValues(new Uint8Array(length))) text += BASE62_ALPHABET[byte % 62];
  return text;
}
