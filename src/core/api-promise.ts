/**
 * What a facade method returns: a promise of its data that can also give the HTTP response the
 * data came from — `await puid.quota()` for the data, `await puid.quota().withResponse()` for
 * `{ data, response }` (status, headers, the body as sent).
 */
import type { Reply } from "./body.js";

/** The data of a call and the last answer it read. */
export interface Answered<T> {
  data: T;
  reply: Reply | undefined;
}

export class ApiPromise<T> extends Promise<T> {
  readonly #answered: Promise<Answered<T>>;

  constructor(answered: Promise<Answered<T>>) {
    // The promise itself only carries the type; every way of reading it goes to `answered`.
    super((resolve) => resolve(undefined as T));
    this.#answered = answered;
  }

  /** `finally` of a plain promise creates plain promises (it builds them with this constructor). */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /**
   * The data, or the call's error. The `catch` and `finally` every promise has read through
   * `then` (the language defines them so), so they need no versions of their own.
   */
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#answered.then(({ data }) => data).then(onFulfilled, onRejected);
  }

  /**
   * The data and the HTTP response it came from: its status, headers and body (already read, so
   * `response.json()` and `response.text()` work once more). For a method that makes several
   * requests, the last one's response.
   */
  async withResponse(): Promise<{ data: T; response: Response }> {
    const { data, reply } = await this.#answered;
    return { data, response: toResponse(reply) };
  }
}

/** A `Response` for a reply already read (an empty one when there was none). */
function toResponse(reply: Reply | undefined): Response {
  if (!reply) return new Response(null, { status: 204 });
  const body = reply.bytes.byteLength === 0 ? null : (reply.bytes as Uint8Array<ArrayBuffer>);
  try {
    return new Response(body, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
  } catch {
    // A status text the Response constructor refuses: keep the rest.
    return new Response(body, { status: reply.status, headers: reply.headers });
  }
}
