// The progress line of `generate`, in process: drawn only on a terminal, rewritten in place,
// taken away whole. (test/cli.puid.test.ts watches the real command draw it on a pty.)
import { describe, expect, test } from "vitest";
import { progressLine } from "../src/cli/progress.js";

/** A stream that records what is written to it. */
const recorder = (isTTY: boolean) => {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
};

describe("progressLine", () => {
  test("on a terminal: each show replaces the line (carriage return, erase), clear erases it once", () => {
    const stream = recorder(true);
    const progress = progressLine(stream, 25);
    expect(progress.active).toBe(true);
    progress.show(0);
    progress.show(10);
    progress.clear();
    progress.clear(); // nothing shown: nothing to take away
    progress.show(25);
    progress.clear();
    expect(stream.writes).toEqual(["\r\x1b[2K0 of 25 ids (0%)", "\r\x1b[2K10 of 25 ids (40%)", "\r\x1b[2K", "\r\x1b[2K25 of 25 ids (100%)", "\r\x1b[2K"]);
  });

  test("not a terminal (a pipe, a file, a CI log): nothing is ever written", () => {
    for (const isTTY of [false, undefined]) {
      const stream = {
        isTTY,
        writes: [] as string[],
        write(text: string) {
          this.writes.push(text);
        },
      };
      const progress = progressLine(stream, 25);
      expect(progress.active).toBe(false);
      progress.show(5);
      progress.clear();
      expect(stream.writes).toEqual([]);
    }
  });

  test("a total of 0 shows 100%, not NaN", () => {
    const stream = recorder(true);
    progressLine(stream, 0).show(0);
    expect(stream.writes).toEqual(["\r\x1b[2K0 of 0 ids (100%)"]);
  });
});
