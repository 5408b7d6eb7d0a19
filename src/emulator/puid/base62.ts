import { BASE62_ALPHABET } from "./random.js";

const MASK_128 = (1n << 128n) - 1n;
const DIGIT = new Map([...BASE62_ALPHABET].map((char, index) => [char, BigInt(index)]));

/** A string that is not base62; `message` is the server's, word for word (§3.2). */
export class NotBase62 extends Error {
  constructor(readonly character: string) {
    super(`invalid base62 character: ${character}`);
  }
}

/**
 * Read `text` as big-endian base62 and reduce it mod 2^128, as the server's `/v1/ordinal` does
 * before undoing the permutation (§3.2, §14): strings of any length decode, longer ones wrap.
 * The codec's own decoder rejects what no id can be; the endpoint does not, so this is separate.
 *
 * @throws {NotBase62} at the first character outside `[0-9A-Za-z]`.
 */
export function decodeBase62Mod128(text: string): bigint {
  let value = 0n;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new NotBase62(char);
    // Reducing at every step gives the same value as at the end, and keeps long input cheap.
    value = (value * 62n + digit) & MASK_128;
  }
  return value;
}
