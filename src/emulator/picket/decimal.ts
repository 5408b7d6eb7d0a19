/**
 * Exact non-negative decimals for balances and `minTokenBalance` (reference §5.1: "decimals
 * allowed"; picket-js compares with BigNumber). A value is `units / 10^scale` with bigint units,
 * so "0.1" + "0.2" is exactly "0.3" and a 30-digit ERC-20 balance keeps every digit.
 */

/** `units / 10^scale`, `units >= 0`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Far beyond any token's decimals; keeps a hostile "1e999999999" from allocating a huge bigint.
const MAX_DIGITS = 400;

/**
 * A balance or minimum written as a decimal string (`"3"`, `"0.5"`, `"1e18"`), a finite number
 * `>= 0` or a bigint `>= 0`; `undefined` for anything else (negative, NaN, empty, words).
 */
export function parseDecimal(value: unknown): Decimal | undefined {
  if (typeof value === "bigint") return value >= 0n ? { units: value, scale: 0 } : undefined;
  if (typeof value === "number") {
    // String(n) is the shortest text that reads back as n, e.g. "1e-7", "1e+21".
    return Number.isFinite(value) && value >= 0 ? parseDecimal(String(value)) : undefined;
  }
  if (typeof value !== "string") return undefined;
  const match = DECIMAL.exec(value.trim());
  if (!match) return undefined;
  const [, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  const shift = fraction.length - exponent;
  if (!Number.isSafeInteger(exponent) || Math.abs(shift) + whole.length + fraction.length > MAX_DIGITS) return undefined;
  const digits = BigInt(whole + fraction);
  return shift >= 0 ? normalize({ units: digits, scale: shift }) : { units: digits * 10n ** BigInt(-shift), scale: 0 };
}

/** The same value with no trailing zeros after the point. */
function normalize(value: Decimal): Decimal {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** Both values over one scale. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return normalize({ units: x + y, scale });
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const isZero = (value: Decimal): boolean => value.units === 0n;

/** Plain decimal text, no exponent: `"3"`, `"0.25"`, `"1000000000000000000"`. */
export function formatDecimal(value: Decimal): string {
  const { units, scale } = normalize(value);
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, "0");
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
