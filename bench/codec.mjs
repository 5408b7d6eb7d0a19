#!/usr/bin/env node
// The offline PUID codec's speed — a benchmark, not a test: it prints figures and fails only on
// errors (or if the codec and the reference below disagree, which would make the figures moot).
//
//   npm run build && node bench/codec.mjs
//
// What it measures, in operations per second (median of ROUNDS timed rounds after a warm-up):
//
// - decodePuid and encodePuid from the built `picket-puid/puid` entry, over two precomputed sets
//   of 65,536 inputs each: "issued" (ordinals below 2^40, like those puid.dev hands out; decoding
//   them takes the path for results below 2^64) and "any" (uniformly random 128-bit ordinals);
// - a naive BigInt implementation of the same algorithm (`puid-api.md` §5), for comparison.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { decodePuid, encodePuid } from "picket-puid/puid";

const OPS = 1_000_000; // per timed round of the codec
const NAIVE_OPS = 200_000; // per timed round of the naive reference, which is slower
const ROUNDS = 7;
const SET = 1 << 16;

// --- The naive reference: BigInt all the way, as the algorithm is written down. ---
const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const KEYS = [0x9e3779b97f4a7c15n, 0xbf58476d1ce4e5b9n, 0x94d049bb133111ebn, 0xd6e8feb86659fd93n];
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** @type {(r: bigint, k: bigint) => bigint} */
const mix = (r, k) => {
  let z = (r + k) & M64;
  z ^= z >> 30n;
  z = (z * 0xbf58476d1ce4e5b9n) & M64;
  z ^= z >> 27n;
  z = (z * 0x94d049bb133111ebn) & M64;
  z ^= z >> 31n;
  return ((z << 17n) | (z >> 47n)) & M64;
};
/** @param {bigint} ordinal */
function naiveEncode(ordinal) {
  let l = ordinal >> 64n;
  let r = ordinal & M64;
  for (const k of KEYS) [l, r] = [r, l ^ mix(r, k)];
  let x = (l << 64n) | r;
  if (x === 0n) return "0";
  let s = "";
  for (; x > 0n; x /= 62n) s = ALPHABET[Number(x % 62n)] + s;
  return s;
}
/** @param {string} id */
function naiveDecode(id) {
  let x = 0n;
  for (const c of id) x = x * 62n + BigInt(ALPHABET.indexOf(c));
  x &= M128;
  let l = x >> 64n;
  let r = x & M64;
  for (let i = 3; i >= 0; i--) [l, r] = [r ^ mix(l, /** @type {bigint} */ (KEYS[i])), l];
  return (l << 64n) | r;
}

// --- Inputs: a seeded xorshift32, so every run times the same values. ---
let state = 0x2545f491;
const u32 = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return BigInt(state >>> 0);
};
const random128 = () => (u32() << 96n) | (u32() << 64n) | (u32() << 32n) | u32();
const sets = {
  issued: Array.from({ length: SET }, () => ((u32() << 8n) | (u32() & 0xffn)) + 1n),
  any: Array.from({ length: SET }, random128),
};
const names = /** @type {(keyof typeof sets)[]} */ (Object.keys(sets));
const ids = { issued: sets.issued.map(naiveEncode), any: sets.any.map(naiveEncode) };

// The figures mean nothing if the codec is wrong: check it against the reference first.
for (const name of names) {
  for (let i = 0; i < SET; i += 97) {
    const ordinal = /** @type {bigint} */ (sets[name][i]);
    const id = /** @type {string} */ (ids[name][i]);
    if (encodePuid(ordinal) !== id || decodePuid(id) !== ordinal || naiveDecode(id) !== ordinal) {
      throw new Error(`codec and reference disagree on ordinal ${ordinal}`);
    }
  }
}

/**
 * A timing loop of its own for each measured function: a loop shared by all of them would see
 * four different callees and stop inlining any, which is not what a caller's code sees.
 * @template T
 * @param {(input: T) => unknown} fn
 * @param {T[]} inputs as many as a power of two
 * @param {number} ops calls per round
 * @returns {() => number} one timed round; its calls per second
 */
function timer(fn, inputs, ops) {
  const mask = inputs.length - 1;
  const sink = new Array(inputs.length); // results stay alive, as a caller's would
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling the loop is how each measured function gets a loop of its own (see above)
  const loop = new Function("fn", "inputs", "sink", "ops", "mask", "for (let i = 0; i < ops; i++) sink[i & mask] = fn(inputs[i & mask]);");
  return () => {
    const start = performance.now();
    loop(fn, inputs, sink, ops, mask);
    return ops / ((performance.now() - start) / 1000);
  };
}

/** @type {{ inputs: string, column: string, run: () => number, rates: number[] }[]} */
const measured = [];
for (const name of names) {
  measured.push(
    { inputs: name, column: "decodes/s", run: timer(decodePuid, ids[name], OPS), rates: [] },
    { inputs: name, column: "encodes/s", run: timer(encodePuid, sets[name], OPS), rates: [] },
    { inputs: name, column: "naive decodes/s", run: timer(naiveDecode, ids[name], NAIVE_OPS), rates: [] },
    { inputs: name, column: "naive encodes/s", run: timer(naiveEncode, sets[name], NAIVE_OPS), rates: [] },
  );
}
// One warm-up round, then ROUNDS timed ones; each round runs every measurement once, so drift of
// a shared machine lands on all of them alike.
for (const m of measured) m.run();
for (let round = 0; round < ROUNDS; round++) for (const m of measured) m.rates.push(m.run());
const median = (/** @type {number[]} */ values) => /** @type {number} */ (values.sort((a, b) => a - b)[values.length >> 1]);
const columns = ["inputs", ...new Set(measured.map((m) => m.column))];
const rows = names.map((name) => [name, ...measured.filter((m) => m.inputs === name).map((m) => Math.round(median(m.rates)).toLocaleString("en-US"))]);
const table = [columns, ...rows];
const widths = columns.map((_, i) => Math.max(...table.map((line) => String(line[i]).length)));
console.log(
  `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}; ` +
    `median of ${ROUNDS} rounds (${OPS.toLocaleString("en-US")} codec ops, ${NAIVE_OPS.toLocaleString("en-US")} naive ops each)`,
);
for (const [i, line] of table.entries()) {
  console.log(line.map((cell, j) => (j === 0 ? cell.padEnd(widths[j] ?? 0) : cell.padStart(widths[j] ?? 0))).join("  "));
  if (i === 0) console.log(widths.map((n) => "-".repeat(n)).join("  "));
}
