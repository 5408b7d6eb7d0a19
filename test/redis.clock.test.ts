// Redis's clock as a process sees it (src/redis/clock.ts): the offset from the most certain
// reading, readings that age, and the conversions both ways. A fake local clock drives it.
import { describe, expect, test } from "vitest";
import { createRedisClock } from "../src/redis/clock.js";

describe("RedisClock", () => {
  test("a reading fixes the offset to within half its round trip; conversions go both ways", () => {
    const now = 1_000;
    const clock = createRedisClock(() => now);
    expect(clock.uncertainty()).toBe(Infinity);
    expect(() => clock.local(5)).toThrow(/before any reading/);
    // Redis read 50_000 somewhere between local 990 and 1_000: taken as the middle, 995.
    clock.sample(50_000, 990, 1_000);
    expect(clock.uncertainty()).toBe(5);
    expect(clock.local(50_000)).toBe(995);
    expect(clock.local(51_050)).toBe(2_045);
    expect(clock.redis(2_045)).toBe(51_050);
  });

  test("a more certain reading replaces a less certain one; a less certain one does not", () => {
    let now = 0;
    const clock = createRedisClock(() => now);
    clock.sample(10_000, 0, 40); // ±20 ms: a busy start
    now = 100;
    clock.sample(10_097, 95, 100); // ±2.5 ms
    expect(clock.uncertainty()).toBeCloseTo(2.5, 2);
    expect(clock.local(10_097)).toBe(97.5);
    now = 200;
    clock.sample(20_000, 100, 200); // ±50 ms: ignored
    expect(clock.local(10_097)).toBe(97.5);
  });

  test("a reading grows less certain as it ages, so a fresh one replaces it in the end", () => {
    let now = 0;
    const clock = createRedisClock(() => now);
    clock.sample(1_000, 0, 2); // ±1 ms
    now = 60_002; // a minute later: ±1 ms + 6 ms of possible drift
    expect(clock.uncertainty()).toBeCloseTo(7, 5);
    now = 60_010;
    clock.sample(61_010, 60_000, 60_010); // ±5 ms, now the more certain one
    expect(clock.uncertainty()).toBeCloseTo(5, 5);
    expect(clock.local(61_010)).toBe(60_005);
  });
});
