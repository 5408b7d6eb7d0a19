/** The global counter and the ids made from it (§3.1, §5). */
import type { PuidCodec } from "../../puid/codec.js";

/** One id the emulator issued. */
export interface IssuedId {
  readonly id: string;
  /** The counter value it encodes; `codec.decode(id)` gives it back. */
  readonly ordinal: bigint;
  /** The account whose request issued it: a team id, or `client:<clientId>`. */
  readonly account: string;
}

export type Counter = ReturnType<typeof createCounter>;

/**
 * One counter for every account, starting at 1 (SCHEMA `sequence`), so ids from separate
 * requests are not consecutive per account; ids are the codec's encoding of their ordinals.
 */
export function createCounter(codec: PuidCodec) {
  let next = 1n;
  const issued: IssuedId[] = [];
  return {
    codec,
    issued: (): readonly IssuedId[] => issued,
    /** DATA `allocateOrdinals`: `n` consecutive ordinals for `account`, encoded. */
    allocate(n: number, account: string): string[] {
      const ids: string[] = [];
      for (let i = 0; i < n; i++, next++) {
        const id = codec.encode(next);
        issued.push(Object.freeze({ id, ordinal: next, account }));
        ids.push(id);
      }
      return ids;
    },
  };
}
