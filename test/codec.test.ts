// The offline PUID codec, checked three ways: against the published test vectors, against every
// example in openapi/puid.yaml that pairs an id with its ordinal, and, for random inputs, against
// a plain BigInt implementation of the algorithm in puid-api.md §5 written out below.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createPuidCodec, decodePuid, encodePuid, PUID_ROUND_KEYS, PuidError, type PuidCodec } from "../src/puid/index.js";
import { deref, document } from "./support/spec.js";

// --- The reference: the algorithm as described, one BigInt operation at a time. ---
const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_KEYS = [0x9e3779b97f4a7c15n, 0xbf58476d1ce4e5b9n, 0x94d049bb133111ebn, 0xd6e8feb86659fd93n];

function mix(r: bigint, k: bigint): bigint {
  let z = (r + k) & M64;
  z ^= z >> 30n;
  z = (z * 0xbf58476d1ce4e5b9n) & M64;
  z ^= z >> 27n;
  z = (z * 0x94d049bb133111ebn) & M64;
  z ^= z >> 31n;
  return ((z << 17n) | (z >> 47n)) & M64;
}
function refPermute(x: bigint, keys = DEFAULT_KEYS): bigint {
  let [l, r] = [x >> 64n, x & M64];
  for (const k of keys) [l, r] = [r, l ^ mix(r, k)];
  return (l << 64n) | r;
}
function refUnpermute(x: bigint, keys = DEFAULT_KEYS): bigint {
  let [l, r] = [x >> 64n, x & M64];
  for (const k of [...keys].reverse()) [l, r] = [r ^ mix(l, k), l];
  return (l << 64n) | r;
}
function base62(x: bigint): string {
  let s = "";
  do {
    s = ALPHABET[Number(x % 62n)] + s;
    x /= 62n;
  } while (x > 0n);
  return s;
}
/** Base62 of any length, reduced mod 2^128: what the server's decoder reads. */
function unbase62(s: string): bigint {
  let x = 0n;
  for (const c of s) x = x * 62n + BigInt(ALPHABET.indexOf(c));
  return x & M128;
}
const refEncode = (ordinal: bigint, keys = DEFAULT_KEYS) => base62(refPermute(ordinal, keys));
const refDecode = (id: string, keys = DEFAULT_KEYS) => refUnpermute(unbase62(id), keys);

// CI runs a fixed seed so a red build means a code change, not luck (FC_SEED=<n> replays one).
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? 20261202 : undefined;
const RUNS = { numRuns: 2000, ...(seed === undefined ? {} : { seed }) };

const any128 = fc.bigInt({ min: 0n, max: M128 });
const small = fc.bigInt({ min: 0n, max: 10_000_000n });
/** Values next to the limb and word boundaries, where carries and wrap-arounds happen. */
const edges = fc.oneof(
  ...[32n, 53n, 64n, 96n].map((bits) => fc.bigInt({ min: (1n << bits) - 1000n, max: (1n << bits) + 1000n })),
  fc.bigInt({ min: M128 - 1000n, max: M128 }),
);
const ordinals = fc.oneof(any128, small, edges);
const key = fc.bigInt({ min: 0n, max: M64 });
const keySets = fc.tuple(key, key, key, key);

/** A short test-name label for any value. */
function label(value: unknown): string {
  if (typeof value === "string") return value.length > 30 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === "bigint")
    return value > M128 || value < -M128 ? `${value < 0n ? "-" : ""}2^${(value < 0n ? -value : value).toString(2).length - 1}n` : `${value}n`;
  if (typeof value === "symbol" || typeof value === "function") return typeof value;
  if (Array.isArray(value)) return `[${Array.from(value, (v) => label(v)).join(", ")}]`;
  return typeof value === "object" && value !== null ? Object.prototype.toString.call(value) : String(value);
}
const labelled = (values: unknown[]) => values.map((value) => [label(value), value] as const);

/** What `call` threw, after checking it is a client-side `PuidError` with `code`. */
function thrown(call: () => unknown, code: string): PuidError {
  let error: unknown = null;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PuidError);
  expect(error).toMatchObject({ status: null, code });
  return error as PuidError;
}

describe("published test vectors (puid-api.md §5)", () => {
  const vectors: [bigint, string][] = [
    [0n, "3Mtz7WcPd0ttE9g3dyetSH"],
    [1n, "64qAN39GjJh5kbi4HROOxh"],
    [2n, "7U17bzw0MO3mzwuFKO7cc0"],
    [3n, "30VPBF31VZWWlzaiUnNPQ6"],
    [M64, "3Vu5ozaQUgjj1OlcW7bnu5"],
    [M128, "6YKQzsazwRh7qAYbtk4uy6"],
  ];
  for (const [ordinal, id] of vectors) {
    test(`${ordinal} ⇄ ${id}`, () => {
      expect(encodePuid(ordinal)).toBe(id);
      expect(decodePuid(id)).toBe(ordinal);
    });
  }

  test("the reference written here reproduces them too", () => {
    for (const [ordinal, id] of vectors) expect([refEncode(ordinal), refDecode(id)]).toEqual([id, ordinal]);
  });

  test("7n42DGM5Tflk9n8mt7Fhc7 is plain base62 of 2^128 − 1, and decodes to the ordinal the spec shows", () => {
    expect(base62(M128)).toBe("7n42DGM5Tflk9n8mt7Fhc7");
    expect(decodePuid("7n42DGM5Tflk9n8mt7Fhc7")).toBe(40409473044367775470041821693716996129n);
  });
});

describe("examples in openapi/puid.yaml", () => {
  type Example = { summary?: string; description?: string; value: unknown };
  const examples = (node: { examples?: Record<string, unknown> }): [string, Example][] =>
    Object.entries(node.examples ?? {}).map(([name, example]) => [name, deref("puid", example as Example) as Example]);
  const paths = document("puid").paths;

  const ordinalResponses = examples(deref("puid", paths["/v1/ordinal/{puid}"].get.responses["200"]).content["application/json"]);
  test.each(ordinalResponses.map(([name, { value }]) => [name, value as { puid: string; ordinal: string }]))(
    "GET /v1/ordinal 200 example %s: the id decodes to its ordinal, which encodes to the id",
    (_, { puid, ordinal }) => {
      expect(decodePuid(puid)).toBe(BigInt(ordinal));
      expect(encodePuid(BigInt(ordinal))).toBe(puid);
    },
  );

  // The parameter's examples name their ordinal in the summary ("The id of ordinal 1").
  const parameter = paths["/v1/ordinal/{puid}"].get.parameters.map((p: object) => deref("puid", p)).find((p: { name: string }) => p.name === "puid");
  test.each(examples(parameter))("GET /v1/ordinal parameter example %s: the id encodes the ordinal its summary names", (_, { summary, value }) => {
    const named = /ordinal,? (2\^128 − 1|\d+)/.exec(summary ?? "")?.[1];
    expect(named, `no ordinal named in "${summary}"`).toBeDefined();
    const ordinal = named === "2^128 − 1" ? M128 : BigInt(named!);
    expect(decodePuid(value as string)).toBe(ordinal);
    expect(encodePuid(ordinal)).toBe(value);
  });

  const idsResponses = examples(deref("puid", paths["/v1/ids"].get.responses["200"]).content["application/json"]);
  test.each(idsResponses)("GET /v1/ids 200 example %s: the ids decode to consecutive ordinals, the ones its text names if any", (_, example) => {
    const ids = (example.value as { ids: string[] }).ids;
    const decoded = ids.map(decodePuid);
    decoded.forEach((ordinal, i) => expect(ordinal).toBe(decoded[0]! + BigInt(i)));
    // "ordinals 1, 2 and 3", "Ordinals 5, 6 and 7"
    const named = /ordinals ([\d, and]+\d)/i.exec(`${example.summary ?? ""} ${example.description ?? ""}`)?.[1];
    if (named) expect(decoded).toEqual(named.split(/, | and /).map(BigInt));
    expect(ids).toEqual(decoded.map((ordinal) => encodePuid(ordinal)));
  });

  test("the examples that name their ordinals are all checked above", () => {
    const named = idsResponses.filter(([, e]) => /ordinals \d/i.test(`${e.summary ?? ""} ${e.description ?? ""}`)).map(([name]) => name);
    expect(named).toEqual(["three", "shortId"]);
  });
});

describe("properties", () => {
  test("decode(encode(x)) === x for random, small and edge ordinals", () => {
    fc.assert(
      fc.property(ordinals, (x) => decodePuid(encodePuid(x)) === x),
      RUNS,
    );
  });

  test("encode agrees with the BigInt reference", () => {
    fc.assert(
      fc.property(ordinals, (x) => {
        expect(encodePuid(x)).toBe(refEncode(x));
      }),
      RUNS,
    );
  });

  test("decode agrees with the BigInt reference on any 1–22 character base62 string, wrapping ones included", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,22}$/), (id) => {
        expect(decodePuid(id)).toBe(refDecode(id));
      }),
      RUNS,
    );
  });

  test('the one ordinal whose permuted value is 0 encodes as "0", and short ids decode', () => {
    const ordinal = refUnpermute(0n);
    expect(encodePuid(ordinal)).toBe("0");
    expect(decodePuid("0")).toBe(ordinal);
    for (const v of [1n, 61n, 62n, 238327n, 238328n, 62n ** 7n]) {
      expect(encodePuid(refUnpermute(v))).toBe(base62(v));
      expect(decodePuid(base62(v))).toBe(refUnpermute(v));
    }
  });

  test("ids are 1–22 base62 characters, without leading zeros except for the value 0", () => {
    fc.assert(
      fc.property(ordinals, (x) => {
        const id = encodePuid(x);
        expect(id).toMatch(/^[0-9A-Za-z]{1,22}$/);
        expect(id === "0" || !id.startsWith("0")).toBe(true);
      }),
      RUNS,
    );
  });

  test("permute and unpermute are the reference permutation and its inverse", () => {
    const codec = createPuidCodec();
    fc.assert(
      fc.property(ordinals, (x) => {
        const p = codec.permute(x);
        expect(p).toBe(refPermute(x));
        expect(codec.unpermute(p)).toBe(x);
        expect(codec.unpermute(x)).toBe(refUnpermute(x));
      }),
      RUNS,
    );
  });

  test("a custom key set round-trips, matches the reference with those keys, and gives other ids than puid.dev's", () => {
    fc.assert(
      fc.property(keySets, ordinals, (keys, x) => {
        fc.pre(keys.some((k, i) => k !== DEFAULT_KEYS[i]));
        const codec = createPuidCodec(keys);
        const id = codec.encode(x);
        expect(id).toBe(refEncode(x, keys));
        expect(codec.decode(id)).toBe(x);
        expect(codec.unpermute(codec.permute(x))).toBe(x);
        expect(id).not.toBe(encodePuid(x));
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  test("22-character strings above 2^128 − 1 wrap mod 2^128, as the server's decoder does", () => {
    const widest = 62n ** 22n - 1n; // "zzzzzzzzzzzzzzzzzzzzzz"
    fc.assert(
      fc.property(fc.bigInt({ min: M128 + 1n, max: widest }), (v) => {
        const id = base62(v);
        expect(id).toHaveLength(22);
        expect(decodePuid(id)).toBe(decodePuid(base62(v - (M128 + 1n))));
        expect(decodePuid(id)).toBe(refUnpermute(v & M128));
      }),
      RUNS,
    );
    expect(base62(M128 + 1n)).toBe("7n42DGM5Tflk9n8mt7Fhc8");
    expect(decodePuid("7n42DGM5Tflk9n8mt7Fhc8")).toBe(decodePuid("0"));
    expect(decodePuid("zzzzzzzzzzzzzzzzzzzzzz")).toBe(refUnpermute(widest & M128));
  });
});

describe("custom keys", () => {
  test("the default codec is puid.dev's, and PUID_ROUND_KEYS are its keys, frozen", () => {
    expect(PUID_ROUND_KEYS).toEqual(DEFAULT_KEYS);
    expect(Object.isFrozen(PUID_ROUND_KEYS)).toBe(true);
    expect(createPuidCodec().encode(1n)).toBe("64qAN39GjJh5kbi4HROOxh");
    expect(createPuidCodec(PUID_ROUND_KEYS).decode("64qAN39GjJh5kbi4HROOxh")).toBe(1n);
  });

  test("the key list is copied: changing it afterwards changes nothing", () => {
    const keys = [1n, 2n, 3n, 4n];
    const codec = createPuidCodec(keys);
    const before = codec.encode(99n);
    keys[0] = 5n;
    expect(codec.encode(99n)).toBe(before);
    expect(before).toBe(refEncode(99n, [1n, 2n, 3n, 4n]));
  });

  test("codecs with different keys do not disturb each other when interleaved", () => {
    const a = createPuidCodec([1n, 2n, 3n, 4n]);
    const b = createPuidCodec([M64, 0n, M64, 0n]);
    const ids = [a.encode(7n), b.encode(7n), encodePuid(7n)];
    expect([a.decode(ids[0]!), b.decode(ids[1]!), decodePuid(ids[2]!)]).toEqual([7n, 7n, 7n]);
    expect(new Set(ids).size).toBe(3);
  });

  test("an emulator decodes longer strings as the server does: base62 mod 2^128, then unpermute", () => {
    // puid-api.md §14: the server answers 200 for 064qAN39GjJh5kbi4HROOxh (23 characters) with ordinal 1.
    const codec: PuidCodec = createPuidCodec();
    expect(codec.unpermute(unbase62("064qAN39GjJh5kbi4HROOxh"))).toBe(1n);
    thrown(() => codec.decode("064qAN39GjJh5kbi4HROOxh"), "invalid_puid");
  });
});

describe("bad input is a PuidError with status null, before any work", () => {
  const notBigints: unknown[] = [1, 1.5, "1", null, undefined, {}, [], true, Symbol("x"), () => 1n, Object(1n)];

  test.each(labelled([...notBigints, -1n, -(1n << 200n), 1n << 128n, 1n << 4000n]))("encode(%s) → invalid_ordinal", (_, value) => {
    const error = thrown(() => encodePuid(value as bigint), "invalid_ordinal");
    expect(error.message).toMatch(/^ordinal must be a bigint from 0 to 2\^128 - 1; got /);
    expect(error.message.length).toBeLessThan(120);
  });

  test.each(labelled([...notBigints, -1n, 1n << 128n]))("permute / unpermute(%s) → invalid_value", (_, value) => {
    const codec = createPuidCodec();
    thrown(() => codec.permute(value as bigint), "invalid_value");
    thrown(() => codec.unpermute(value as bigint), "invalid_value");
  });

  const badIds: unknown[] = [
    ...notBigints.filter((v) => typeof v !== "string"),
    "",
    "x".repeat(23),
    "064qAN39GjJh5kbi4HROOxh",
    "z".repeat(10_000),
    "64qAN39GjJh5kbi4HROOx-",
    "not-a-puid",
    "has space",
    "a/b",
    "abc\u0000",
    "é",
    "\u00b0", // code 176: its low 7 bits are "0"
    "\u0130abc", // code 304: its low 7 bits are "0"
    "\u0661\u0662", // Arabic-Indic digits are not base62
    "𝟘",
    "64qAN39GjJh5kbi4HROOx\u0138", // a bad last character of a full-length id
  ];
  test.each(labelled(badIds))("decode(%s) → invalid_puid", (_, id) => {
    const error = thrown(() => decodePuid(id as string), "invalid_puid");
    expect(error.message).toMatch(/^puid must be a string of 1 to 22 characters 0-9, A-Z, a-z; got /);
    expect(error.message.length).toBeLessThan(120);
  });

  const badKeyLists: unknown[] = [
    null,
    "keys",
    1n,
    {},
    { length: 4, 0: 1n, 1: 2n, 2: 3n, 3: 4n },
    [],
    [1n, 2n, 3n],
    [1n, 2n, 3n, 4n, 5n],
    [1, 2, 3, 4],
    [1n, 2n, 3n, -1n],
    [1n, 2n, 1n << 64n, 4n],
    [1n, 1n << 1000n, 3n, 4n],
    // a hole at index 1
    // eslint-disable-next-line no-sparse-arrays -- the hole is the input under test
    [1n, , 3n, 4n],
    [1n, 2n, "3", 4n],
  ];
  test.each(labelled(badKeyLists))("createPuidCodec(%s) → invalid_option", (_, keys) => {
    const error = thrown(() => createPuidCodec(keys as bigint[]), "invalid_option");
    expect(error.message).toMatch(/^roundKeys/);
    expect(error.message.length).toBeLessThan(120);
  });

  test("createPuidCodec(undefined) is puid.dev's codec", () => {
    expect(createPuidCodec(undefined).encode(2n)).toBe("7U17bzw0MO3mzwuFKO7cc0");
  });
});
