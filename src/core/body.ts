/** Reading a response body to its end, and what it holds. */
import { CoreCode, type ErrorFactory } from "./errors.js";

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
}

/** Races one step of an attempt against the end of the attempt. */
export type Race = <T>(step: Promise<T>) => Promise<T>;

const decoder = new TextDecoder();
export const EMPTY = new Uint8Array(0);

/** The whole body, each read raced as the attempt says. */
export async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, race: Race): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await race(reader.read());
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (chunks.length < 2) return chunks[0] ?? EMPTY;
  const all = new Uint8Array(size);
  chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.byteLength), 0);
  return all;
}

/**
 * Parse the body. An error body is read as JSON whatever its type says (servers label them
 * carelessly); a success only when it says it is JSON, and then it must be (a truncated body is
 * `invalid_response` with its status). A success in another type (the YAML description, an HTML
 * page) is left as text: whether that is acceptable is for the caller to say.
 */
export function toReply(errors: ErrorFactory, response: Response, bytes: Uint8Array): Reply {
  const { status, statusText, headers, ok } = response;
  const text = decoder.decode(bytes);
  let data: unknown;
  let problem: unknown;
  if (text !== "" && (!ok || /json/i.test(headers.get("content-type") ?? ""))) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      problem = error;
    }
  }
  if (ok && problem !== undefined) {
    throw errors.make({
      status,
      code: CoreCode.invalidResponse,
      message: `The server answered HTTP ${status} with a body that is not JSON.`,
      headers,
      body: text.slice(0, 1_000),
      cause: problem,
    });
  }
  return { status, statusText, headers, bytes, text, data };
}
