/** What ended an attempt without an answer, named as the API's error. */
import { CoreCode, PicketPuidError, type ErrorFactory } from "./errors.js";
import { RedirectRefused } from "./redirect.js";
import { describeValue } from "./values.js";

/** Thrown inside an attempt when its own timer, not the caller, ended it. */
export class Timeout extends Error {}

/** The error for a call its caller's signal ended; the signal's reason is the cause. */
export function aborted(errors: ErrorFactory, signal: AbortSignal): PicketPuidError {
  return errors.make({ status: null, code: CoreCode.aborted, message: "The request was aborted by the caller.", cause: signal.reason });
}

/** Name a thrown failure: the caller's abort, our timer, a refused redirect, or the network. */
export function classify(errors: ErrorFactory, error: unknown, signal: AbortSignal | undefined, timeout: number): PicketPuidError {
  if (signal?.aborted) return aborted(errors, signal);
  if (error instanceof PicketPuidError) return error;
  if (error instanceof Timeout) {
    return errors.make({ status: null, code: CoreCode.timeout, message: `The request timed out after ${timeout} ms.`, cause: error.cause });
  }
  if (error instanceof RedirectRefused) {
    return errors.make({ status: null, code: CoreCode.redirectRefused, message: `The server redirected and the redirect was not followed: ${error.message}.` });
  }
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : describeValue(error);
  return errors.make({ status: null, code: CoreCode.networkError, message: `The request could not be completed: ${detail}`, cause: error });
}

/**
 * Whether a fetch failure happened before a connection existed (refused, unknown host,
 * unreachable), so the server cannot have seen the request. Runtimes name this differently;
 * where none of these names shows, the failure counts as possibly seen.
 */
export function neverConnected(error: unknown): boolean {
  const pattern = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ConnectionRefused|Connection refused/i;
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if ((typeof code === "string" && pattern.test(code)) || (typeof message === "string" && pattern.test(message))) return true;
  }
  return false;
}
