import type { PicketPuidError, PicketPuidErrorInit } from "./errors.js";
import { PicketPuidError as BaseError } from "./errors.js";

/** How an API turns failures into its own error class. */
export interface ApiErrors {
  /** Build an error from fields (validation, transport). */
  make: (init: PicketPuidErrorInit) => PicketPuidError;
  /** Build an error from a response that is not a success, and its parsed body (JSON, else text). */
  fromResponse: (response: Response, body: unknown) => PicketPuidError;
}

/** What an openapi-fetch call resolves to. */
export interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful call, or the API's error: for a refused request (from its status and
 * body), for a transport failure (already typed by the transport), or for anything else that
 * went wrong on the way, with the original kept in `cause`.
 */
export async function unwrap<T>(pending: Promise<CallResult<T>>, errors: ApiErrors): Promise<T> {
  let result: CallResult<T>;
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof BaseError) throw error;
    // Not from the network (the transport types those): the request could not even be built.
    throw errors.make({ status: null, code: "invalid_request", message: "The request could not be built; see `cause`.", cause: error });
  }
  const { data, error, response } = result;
  if (!response.ok) throw errors.fromResponse(response, error);
  if (data === undefined) {
    throw errors.make({
      status: response.status,
      code: "invalid_response",
      message: `The server answered HTTP ${response.status} without the expected JSON body.`,
      headers: response.headers,
    });
  }
  return data;
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string field of a parsed body, or `undefined`. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * A short rendering of a rejected argument for an error message. Long strings are only
 * measured, so a secret passed in the wrong place is never echoed back.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value.length > 22 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * Facades check the one field they hand back: a success whose body lacks it (a proxy's JSON, a
 * changed server) fails with `invalid_response` instead of resolving to `undefined`.
 */
export function expectShape(ok: boolean, errors: ApiErrors, what: string, body: unknown): void {
  if (!ok) throw errors.make({ status: 200, code: "invalid_response", message: `The server's answer has no ${what}.`, body });
}
