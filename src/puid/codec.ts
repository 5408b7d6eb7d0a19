/**
 * An offline PUID codec: the id format of `puid-api.md` §5, written from that description.
 *
 * An id is an ordinal (an unsigned 128-bit counter value) run through a 4-round balanced Feistel
 * permutation over 128 bits, then written in big-endian base62 without padding. Decoding reads
 * the base62 value (mod 2^128, as the server does) and runs the rounds backwards.
 *
 * Speed: every BigInt operation allocates, and a naive BigInt version decodes about 400,000 ids
 * a second. So the work happens on 32-bit limbs in plain numbers: the Feistel rounds treat each
 * 64-bit word as a (hi, lo) pair of int32s (`Math.imul` for low halves of products, 16-bit
 * pieces for high halves), and base62 is folded in and out of four limbs three digits at a time
 * in exact double arithmetic. A bigint is only split on the way in and built on the way out, as
 * two 64-bit halves. `bench/codec.mjs` measures the result.
 */
import { CoreCode } from "../core/errors.js";
import { describeValue } from "../core/values.js";
import { PuidCode, puidArgument, type PuidErrorCode } from "./errors.js";

/**
 * An encoder/decoder for one set of round keys, made by `createPuidCodec`. Every method is
 * synchronous, and throws only `PuidError` (with `status: null`).
 *
 * ```ts
 * import { createPuidCodec } from "picket-puid/puid";
 *
 * const codec = createPuidCodec(); // puid.dev's keys
 * codec.decode(codec.encode(7n)); // 7n
 * codec.unpermute(codec.permute(7n)); // 7n
 * ```
 */
export interface PuidCodec {
  /** The id of `ordinal`: 1–22 base62 characters. Throws `PuidError` `invalid_ordinal` unless `ordinal` is a bigint in [0, 2^128). */
  encode(ordinal: bigint): string;
  /**
   * The ordinal of `id`. Throws `PuidError` `invalid_puid` unless `id` is 1–22 characters
   * `0-9A-Za-z`. A 22-character id above `7n42DGM5Tflk9n8mt7Fhc7` (2^128 − 1) wraps mod 2^128,
   * as on the server.
   */
  decode(id: string): bigint;
  /** The raw 128-bit permutation (ordinal → the number an id spells). Throws `PuidError` `invalid_value` outside [0, 2^128). */
  permute(value: bigint): bigint;
  /** The inverse of `permute`. Throws `PuidError` `invalid_value` outside [0, 2^128). */
  unpermute(value: bigint): bigint;
}

/**
 * puid.dev's four public round keys (`puid-api.md` §5), in the order encoding uses them. A
 * self-hosted deployment may use others; pass them to `createPuidCodec`.
 *
 * ```ts
 * import { createPuidCodec, PUID_ROUND_KEYS } from "picket-puid/puid";
 *
 * createPuidCodec(PUID_ROUND_KEYS).encode(1n); // "64qAN39GjJh5kbi4HROOxh", as encodePuid(1n)
 * ```
 */
export const PUID_ROUND_KEYS: readonly bigint[] = /* @__PURE__ */ Object.freeze([
  0x9e3779b97f4a7c15n,
  0xbf58476d1ce4e5b9n,
  0x94d049bb133111ebn,
  0xd6e8feb86659fd93n,
]);

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MAX_ID_LENGTH = 22;
// Constants are written as literals, not expressions: a bundler keeps a computed constant (and
// the code around it) in bundles that never use the codec.
const TWO_32 = 4294967296;
const INV_2_32 = 2.3283064365386963e-10; // 2^-32, exact
const MAX_128 = 0xffffffffffffffffffffffffffffffffn; // 2^128 − 1
const MAX_64 = 0xffffffffffffffffn; // 2^64 − 1

/** The digit of each ASCII code, or -1 where the character is not base62. */
const DIGIT = /* @__PURE__ */ digitTable();

function digitTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
}

/**
 * Base62 is folded in and out three digits at a time: 62^3 = 238,328 < 2^21, so a 32-bit limb
 * times it plus a carry stays below 2^53 and is exact in a double.
 */
const CHUNK = 238328; // 62^3
const ZERO = 48; // "0"

/** The mixer's two 64-bit multipliers, as 32-bit halves. */
const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;

/**
 * The high 32 bits (as int32 bits) of the 64-bit product of two 32-bit values read as unsigned.
 * `Math.imul` gives only the low half, and a double holds only 53 bits, so the operands are cut
 * into 16-bit pieces whose products (< 2^32) are exact, and the middle terms are added with their
 * carries. (Taking the high half from the rounded double product instead was slower.)
 */
function mulHi(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const low = a0 * b0;
  const mid1 = a1 * b0 + (low >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16)) | 0;
}

/**
 * The working value: 16 bytes holding the 128-bit number big-endian, so a bigint goes in and
 * comes out as two 64-bit halves (`getBigUint64` / `setBigUint64`, several times faster than
 * assembling it from 32-bit parts with shifts), and the limbs are read as `getUint32` at 0, 4, 8,
 * 12. The codec is synchronous and never re-entered, so one cell serves every call and nothing
 * is allocated for it per call.
 */
const cell = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(16));

/**
 * Run the four Feistel rounds over `cell` in place with `keys` (eight 32-bit halves, hi then lo
 * per round). L is the 64-bit half at byte offset `left`, R the one at `right`; each round sets
 * (L, R) = (R, L XOR F(R, k)). Encoding passes (0, 8): L is the high half. Decoding passes (8, 0)
 * with the keys reversed: the inverse of a Feistel network is the same network with its keys in
 * reverse order, run on the swapped halves, whose result is swapped back.
 *
 * Every 32-bit half is kept as a signed int32 (`| 0`, `getInt32`), which V8 holds in a register
 * as an integer; unsigned values (`>>> 0`) above 2^31 become doubles, and the same rounds written
 * that way ran about 30% slower. Only the carry test needs the unsigned view.
 */
function feistel(keys: Int32Array, left: number, right: number): void {
  let lh = cell.getInt32(left);
  let ll = cell.getInt32(left + 4);
  let rh = cell.getInt32(right);
  let rl = cell.getInt32(right + 4);
  for (let i = 0; i < 8; i += 2) {
    // F(R, k), the SplitMix64-style mixer, on (hi, lo) halves.
    // z = (R + k) mod 2^64: add the low halves; the sum wrapped (carry) iff it is below an addend.
    let zl = (rl + keys[i + 1]!) | 0;
    let zh = (rh + keys[i]! + (zl >>> 0 < rl >>> 0 ? 1 : 0)) | 0;
    // z ^= z >> 30 (a 64-bit shift: the high half's low bits move into the low half)
    zl ^= (zl >>> 30) | (zh << 2);
    zh ^= zh >>> 30;
    // z *= M1 mod 2^64: the full product of the low halves, plus the cross terms' low halves into
    // the high half (the high × high term lies above 2^64).
    let lo = Math.imul(zl, M1_LO);
    let hi = (mulHi(zl, M1_LO) + Math.imul(zh, M1_LO) + Math.imul(zl, M1_HI)) | 0;
    zl = lo;
    zh = hi;
    // z ^= z >> 27
    zl ^= (zl >>> 27) | (zh << 5);
    zh ^= zh >>> 27;
    // z *= M2 mod 2^64
    lo = Math.imul(zl, M2_LO);
    hi = (mulHi(zl, M2_LO) + Math.imul(zh, M2_LO) + Math.imul(zl, M2_HI)) | 0;
    zl = lo;
    zh = hi;
    // z ^= z >> 31
    zl ^= (zl >>> 31) | (zh << 1);
    zh ^= zh >>> 31;
    // F = rotl64(z, 17); then (L, R) = (R, L ^ F)
    const nh = lh ^ ((zh << 17) | (zl >>> 15));
    const nl = ll ^ ((zl << 17) | (zh >>> 15));
    lh = rh;
    ll = rl;
    rh = nh;
    rl = nl;
  }
  cell.setInt32(left, lh);
  cell.setInt32(left + 4, ll);
  cell.setInt32(right, rh);
  cell.setInt32(right + 4, rl);
}

/**
 * Read a base62 string of 1–22 characters into `cell` (mod 2^128); false if a character is not
 * base62. The first chunk takes the length mod 3 characters (maybe none), then every chunk
 * exactly 3, so the loop needs no end test per character. Validity is gathered as a sign bit and tested
 * once: a digit of -1 (not base62) or a code above 127 makes `bad` negative.
 */
function parse(id: string): boolean {
  const n = id.length;
  let bad = 0;
  let i = n % 3;
  let w3 = 0;
  for (let j = 0; j < i; j++) {
    const c = id.charCodeAt(j);
    const d = DIGIT[c & 127]!;
    bad |= d | (127 - c);
    w3 = w3 * 62 + d;
  }
  let w2 = 0;
  let w1 = 0;
  let w0 = 0;
  for (; i < n; i += 3) {
    const c0 = id.charCodeAt(i);
    const c1 = id.charCodeAt(i + 1);
    const c2 = id.charCodeAt(i + 2);
    const d0 = DIGIT[c0 & 127]!;
    const d1 = DIGIT[c1 & 127]!;
    const d2 = DIGIT[c2 & 127]!;
    bad |= d0 | d1 | d2 | (127 - c0) | (127 - c1) | (127 - c2);
    // w = w * 62^3 + chunk, from the lowest limb up: each product is exact (< 2^53), its low 32
    // bits stay and the rest carries into the next limb. Multiplying by 2^-32 is exact, unlike a
    // general division, and faster.
    let t = w3 * CHUNK + (d0 * 62 + d1) * 62 + d2;
    let carry = Math.floor(t * INV_2_32);
    w3 = t - carry * TWO_32;
    t = w2 * CHUNK + carry;
    carry = Math.floor(t * INV_2_32);
    w2 = t - carry * TWO_32;
    t = w1 * CHUNK + carry;
    carry = Math.floor(t * INV_2_32);
    w1 = t - carry * TWO_32;
    // What carries out of the top limb is the part above 2^128: dropped, as the server drops it.
    t = w0 * CHUNK + carry;
    w0 = t - Math.floor(t * INV_2_32) * TWO_32;
  }
  cell.setUint32(0, w0);
  cell.setUint32(4, w1);
  cell.setUint32(8, w2);
  cell.setUint32(12, w3);
  return bad >= 0;
}

/** Character codes of the digits, least significant first (8 chunks of 3 cover 128 bits). */
const digits: number[] = /* @__PURE__ */ Array.from({ length: 24 }, () => 0);
/**
 * One array per id length, filled most significant digit first: `String.fromCharCode.apply` on
 * it makes the id as one flat string, where joining single characters would leave a chain of
 * pieces for the garbage collector (several times slower overall).
 */
const byLength: number[][] = /* @__PURE__ */ Array.from({ length: 23 }, (_, n) => Array.from({ length: n }, () => 0)); // lengths 0–22

/** `cell` in base62, most significant digit first, with no leading zeros ("0" for zero). */
function format(): string {
  let w0 = cell.getUint32(0);
  let w1 = cell.getUint32(4);
  let w2 = cell.getUint32(8);
  let w3 = cell.getUint32(12);
  let n = 0;
  do {
    // (w, r) = divmod(w, 62^3), from the top limb down; r is the next three digits. Each
    // dividend is below 2^50, and the quotient of a correctly rounded division floors exactly.
    // Limbs that are already zero are skipped: the value loses ~18 bits per pass, so the top
    // limbs empty early (about 20 divisions per id instead of 32).
    let r = 0;
    let t = w0;
    if (t !== 0) {
      w0 = Math.floor(t / CHUNK);
      r = t - w0 * CHUNK;
    }
    t = r * TWO_32 + w1;
    if (t !== 0) {
      w1 = Math.floor(t / CHUNK);
      r = t - w1 * CHUNK;
    }
    t = r * TWO_32 + w2;
    if (t !== 0) {
      w2 = Math.floor(t / CHUNK);
      r = t - w2 * CHUNK;
    }
    t = r * TWO_32 + w3;
    w3 = Math.floor(t / CHUNK);
    // r < 62^3 fits an int32: split it with integer arithmetic, not floating-point remainders.
    let digit3 = (t - w3 * CHUNK) | 0;
    const q = (digit3 / 62) | 0;
    digits[n++] = ALPHABET.charCodeAt(digit3 - q * 62);
    digit3 = (q / 62) | 0;
    digits[n++] = ALPHABET.charCodeAt(q - digit3 * 62);
    digits[n++] = ALPHABET.charCodeAt(digit3);
  } while (w0 !== 0 || w1 !== 0 || w2 !== 0 || w3 !== 0);
  // The last chunk may have written leading zeros: drop them, but keep one so that zero is "0".
  while (n > 1 && digits[n - 1] === ZERO) n--;
  const codes = byLength[n]!;
  for (let i = 0; i < n; i++) codes[i] = digits[n - 1 - i]!;
  return String.fromCharCode.apply(null, codes);
}

/** Put a checked bigint in [0, 2^128) into `cell`. */
function load(value: bigint): void {
  cell.setBigUint64(0, value >> 64n);
  cell.setBigUint64(8, value); // keeps the low 64 bits
}

/** `cell` as a bigint. */
function store(): bigint {
  // Ordinals below 2^64 (every issued one) skip the shift and the or, and their allocations.
  if ((cell.getInt32(0) | cell.getInt32(4)) === 0) return cell.getBigUint64(8);
  return (cell.getBigUint64(0) << 64n) | cell.getBigUint64(8);
}

/** Describe a rejected value; a huge bigint is described by its size, not written out. */
function describe(value: unknown): string {
  if (typeof value === "bigint" && (value > MAX_128 || value < -MAX_128)) {
    return `a ${value < 0n ? "negative " : ""}bigint of ${(value < 0n ? -value : value).toString(2).length} bits`;
  }
  return describeValue(value);
}

function check128(value: unknown, name: string, code: PuidErrorCode): asserts value is bigint {
  if (typeof value !== "bigint" || value < 0n || value > MAX_128) {
    throw puidArgument(code)(`${name} must be a bigint from 0 to 2^128 - 1; got ${describe(value)}.`);
  }
}

/** The round keys as 32-bit halves, in order (for encoding) and reversed (for decoding). */
function splitKeys(roundKeys: unknown): { forward: Int32Array; inverse: Int32Array } {
  if (!Array.isArray(roundKeys) || roundKeys.length !== 4) {
    const got = Array.isArray(roundKeys) ? `an array of length ${roundKeys.length}` : describe(roundKeys);
    throw puidArgument(CoreCode.invalidOption)(`roundKeys must be an array of 4 bigints; got ${got}.`);
  }
  const forward = new Int32Array(8);
  const inverse = new Int32Array(8);
  for (let i = 0; i < 4; i++) {
    const key: unknown = roundKeys[i];
    if (typeof key !== "bigint" || key < 0n || key > MAX_64) {
      throw puidArgument(CoreCode.invalidOption)(`roundKeys[${i}] must be a bigint from 0 to 2^64 - 1; got ${describe(key)}.`);
    }
    const hi = Number(key >> 32n);
    const lo = Number(BigInt.asUintN(32, key));
    forward[2 * i] = hi;
    forward[2 * i + 1] = lo;
    inverse[6 - 2 * i] = hi;
    inverse[7 - 2 * i] = lo;
  }
  return { forward, inverse };
}

/**
 * A codec for a deployment with its own round keys (PUID's source invites each deployment to
 * change them). Without arguments it uses puid.dev's keys, like `encodePuid` / `decodePuid`.
 *
 * ```ts
 * import { createPuidCodec } from "picket-puid/puid";
 *
 * const codec = createPuidCodec([0x1n, 0x2n, 0x3n, 0x4n]);
 * const id = codec.encode(42n);
 * codec.decode(id); // 42n
 * // An emulator answering /v1/ordinal for a string of any length, as the server does:
 * const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
 * const value = [..."A".repeat(30)].reduce((n, c) => n * 62n + BigInt(digits.indexOf(c)), 0n);
 * codec.unpermute(value % 2n ** 128n);
 * ```
 *
 * @param roundKeys exactly four bigints in [0, 2^64), used in order when encoding. The list is
 *   copied: changing it afterwards does not change the codec.
 * @throws {PuidError} code `invalid_option`, `status: null`, for any other key list.
 */
export function createPuidCodec(roundKeys: readonly bigint[] = PUID_ROUND_KEYS): PuidCodec {
  const { forward, inverse } = splitKeys(roundKeys);
  return {
    encode(ordinal) {
      check128(ordinal, "ordinal", PuidCode.invalidOrdinal);
      load(ordinal);
      feistel(forward, 0, 8);
      return format();
    },
    decode(id) {
      if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH || !parse(id)) {
        throw puidArgument(PuidCode.invalidPuid)(`puid must be a string of 1 to 22 characters 0-9, A-Z, a-z; got ${describe(id)}.`);
      }
      feistel(inverse, 8, 0);
      return store();
    },
    permute(value) {
      check128(value, "value", PuidCode.invalidValue);
      load(value);
      feistel(forward, 0, 8);
      return store();
    },
    unpermute(value) {
      check128(value, "value", PuidCode.invalidValue);
      load(value);
      feistel(inverse, 8, 0);
      return store();
    },
  };
}

const defaultCodec = /* @__PURE__ */ createPuidCodec();

/**
 * The puid.dev id of `ordinal`, computed locally: the same string `GET /v1/ids` hands out for
 * that counter value. Ids are 1–22 base62 characters (not always 22: there is no padding).
 *
 * ```ts
 * import { encodePuid } from "picket-puid/puid";
 *
 * encodePuid(1n); // "64qAN39GjJh5kbi4HROOxh"
 * ```
 *
 * @throws {PuidError} code `invalid_ordinal`, `status: null`, unless `ordinal` is a bigint in [0, 2^128).
 */
export function encodePuid(ordinal: bigint): string {
  return defaultCodec.encode(ordinal);
}

/**
 * The ordinal of a puid.dev id, computed locally: what `GET /v1/ordinal/{puid}` (and
 * `Puid.ordinal()`) answer, without a request. Like the server, it checks nothing beyond the
 * characters: every base62 string decodes to some ordinal, issued or not. A 22-character string
 * whose base62 value exceeds 2^128 − 1 (anything above `7n42DGM5Tflk9n8mt7Fhc7`) is reduced
 * mod 2^128 before decoding, exactly as the server does (`puid-api.md` §14): such a string
 * decodes to the same ordinal as the id whose value is 2^128 less. No issued id is above it.
 *
 * ```ts
 * import { decodePuid } from "picket-puid/puid";
 *
 * decodePuid("64qAN39GjJh5kbi4HROOxh"); // 1n
 * ```
 *
 * @throws {PuidError} code `invalid_puid`, `status: null`, unless `id` is a string of 1–22
 *   characters `0-9A-Za-z` (the rule `Puid.ordinal()` applies; the server itself also accepts
 *   longer strings).
 */
export function decodePuid(id: string): bigint {
  return defaultCodec.decode(id);
}
