/**
 * The progress line of a long `generate`: on stderr, only when stderr is a terminal (a log file
 * or a CI capture would fill with carriage returns), rewritten in place, and gone at the end.
 */

/** What the progress line needs of a stream: `process.stderr` fits. */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** A progress line over `total` items. Every method does nothing when the stream is not a terminal. */
export interface Progress {
  /** Whether the line is drawn at all (the stream is a terminal). */
  readonly active: boolean;
  /** Show `done` of `total`, replacing what the line said. */
  show(done: number): void;
  /**
   * Take the line away (if shown), e.g. before a result is printed to the same terminal, or
   * at the end; the next `show` draws it again.
   */
  clear(): void;
}

/** Back to the start of the line and erase it (ANSI EL 2). */
const ERASE = "\r\x1b[2K";

export function progressLine(stream: ProgressStream, total: number, noun = "ids"): Progress {
  const active = stream.isTTY === true;
  let shown = false;
  return {
    active,
    show(done) {
      if (!active) return;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      stream.write(`${ERASE}${done} of ${total} ${noun} (${percent}%)`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write(ERASE);
      shown = false;
    },
  };
}
