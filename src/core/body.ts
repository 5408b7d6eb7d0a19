/** Reading a response body to its end, and what it holds. */
import { TooLarge } from "./failure.js";

/** A whole answer: the body has been read to its end under the attempt's timer. */
export interface Reply {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as it came; empty when there was none. */
  bytes: Uint8Array;
  /** The body as UTF-8 text; `""` when there was none. */
  text: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  data: unknown;
  /** Why a success that says it is JSON could not be parsed (a truncated body), if that happened. */
  invalidJson?: unknown;
}

/** Races one step of an attempt against the end of the attempt. */
export type Race = <T>(step: Promise<T>) => Promise<T>;

const decoder = new TextDecoder();
export const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The whole body, each read raced as the attempt says, up to `limit` bytes: past it, reading
 * stops with `TooLarge` (the caller cancels the stream and the connection). A `Content-Length`
 * over the limit stops it before the first read. The limit counts the bytes as they arrive from
 * the runtime, that is after any `Content-Encoding` is undone, so a small compressed body that
 * inflates past it stops too.
 */
export async function readBody(
  response: Response,
  race: Race,
  limit: number,
  reading: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<Uint8Array> {
  if (!response.body) return EMPTY;
  if (Number(response.headers.get("content-length")) > limit) throw new TooLarge(limit, response);
  const reader = response.body.getReader();
  reading(reader);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await race(reader.read());
    if (done) break;
    size += value.byteLength;
    if (size > limit) throw new TooLarge(limit, response);
    chunks.push(value);
  }
  if (chunks.length < 2) return chunks[0] ?? EMPTY;
  const all = new Uint8Array(size);
  chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.byteLength), 0);
  return all;
}

/**
 * Parse the body. An error body is read as JSON whatever its type says (servers label them
 * carelessly); a success only when it says it is JSON (and then a body that does not parse is
 * noted in `invalidJson`). A success in another type (the YAML description, an HTML page) is left
 * as text: whether that is acceptable is for the caller to say.
 */
export function toReply(response: Response, bytes: Uint8Array): Reply {
  const { status, statusText, headers, ok } = response;
  const text = decoder.decode(bytes);
  const reply: Reply = { status, statusText, headers, bytes, text, data: undefined };
  if (text !== "" && (!ok || /json/i.test(headers.get("content-type") ?? ""))) {
    try {
      reply.data = JSON.parse(text);
    } catch (error) {
      if (ok) reply.invalidJson = error;
    }
  }
  return reply;
}
