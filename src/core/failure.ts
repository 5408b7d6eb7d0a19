/** What ended an attempt without a usable answer, named as the API's error. */
import { CoreCode, PicketPuidError, type ErrorFactory } from "./errors.js";
import { RedirectRefused } from "./redirect.js";
import { describeValue } from "./values.js";

/** Thrown inside an attempt when its own timer, not the caller, ended it. */
export class Timeout extends Error {}

/**
 * Thrown when the wait for a pacing turn outlasted the call's timeout, or (`queueMs`) when a shared
 * pace said at once that the turn would come later than the timeout allows; nothing was sent.
 */
export class QueueTimeout extends Error {
  constructor(
    readonly queueMs?: number,
    /** What was left of the timeout when the shared pace answered (the call may have waited its own turn first). */
    readonly leftMs?: number,
  ) {
    super("the turn under the rate limit would come after the timeout");
  }
}

/** Thrown when an answer's body goes past `maxResponseBytes`; the answer's status and headers come along. */
export class TooLarge extends Error {
  constructor(
    readonly limit: number,
    readonly response: Response,
  ) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/**
 * A failure after at least one hop of the attempt was answered (a redirect followed to a host
 * that then failed): the request did reach a server, so it may have been done there.
 */
export class Reached extends Error {}

/** The error for a call its caller's signal ended; the signal's reason is the cause. */
export function aborted(errors: ErrorFactory, signal: AbortSignal): PicketPuidError {
  return errors.make({ status: null, code: CoreCode.aborted, message: "The request was aborted by the caller.", cause: signal.reason });
}

/**
 * Name a thrown failure of `request` (as `GET /v1/quota`): the caller's abort, our timer, a refused
 * redirect, an oversized body, or the network. A failure that is already the API's error (a token
 * request that failed while getting this one's credential) keeps its own words.
 */
export function classify(errors: ErrorFactory, error: unknown, signal: AbortSignal | undefined, timeout: number, request: string): PicketPuidError {
  if (signal?.aborted) return aborted(errors, signal);
  if (error instanceof PicketPuidError) return error as PicketPuidError; // instanceof narrows to PicketPuidError<any>
  if (error instanceof Timeout) {
    // "No complete answer": true whether nothing came back or the body stalled after the headers.
    return errors.make({ status: null, code: CoreCode.timeout, message: `${request} timed out: no complete answer within ${timeout} ms`, cause: error.cause });
  }
  if (error instanceof QueueTimeout && error.queueMs !== undefined) {
    return errors.make({
      status: null,
      code: CoreCode.timeout,
      message: `The request's turn under the rate limit shared with other clients would come in ${Math.round(error.queueMs)} ms, later than ${
        error.leftMs !== undefined && error.leftMs < timeout
          ? `the ${Math.max(0, Math.round(error.leftMs))} ms left of its timeout (${timeout} ms)`
          : `its timeout (${timeout} ms)`
      } allows; it was not sent.`,
    });
  }
  if (error instanceof QueueTimeout) {
    return errors.make({
      status: null,
      code: CoreCode.timeout,
      message: `The request waited longer than its timeout (${timeout} ms) for its turn under the rate limit, and was not sent.`,
    });
  }
  if (error instanceof RedirectRefused) {
    return errors.make({ status: null, code: CoreCode.redirectRefused, message: `The server redirected and the redirect was not followed: ${error.message}.` });
  }
  if (error instanceof TooLarge) {
    const { status, headers } = error.response;
    return errors.make({
      status,
      headers,
      code: CoreCode.responseTooLarge,
      message: `The server's answer (HTTP ${status}) is larger than maxResponseBytes (${error.limit} bytes); it was not read further.`,
    });
  }
  const inner = error instanceof Reached ? error.cause : error;
  const detail = inner instanceof Error ? (inner.cause instanceof Error ? inner.cause.message : inner.message) : describeValue(inner);
  return errors.make({ status: null, code: CoreCode.networkError, message: `The request could not be completed: ${detail}`, cause: error });
}

/**
 * Whether a fetch failure happened before a connection existed (refused, unknown host,
 * unreachable), so the server cannot have seen the request. Runtimes name this differently;
 * where none of these names shows, the failure counts as possibly seen, and so does any failure
 * after a hop of the attempt was answered.
 */
export function neverConnected(error: unknown): boolean {
  const pattern = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ConnectionRefused|Connection refused/i;
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof Reached) return false;
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if ((typeof code === "string" && pattern.test(code)) || (typeof message === "string" && pattern.test(message))) return true;
  }
  return false;
}
