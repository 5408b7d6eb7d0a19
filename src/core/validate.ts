/**
 * Checks of caller input, shared by both facades. Each throws the API's own error (through
 * `fail`) with `status: null` before anything is sent; messages name the argument, and describe
 * a rejected value without echoing long strings (which may be secrets passed in the wrong place).
 */
import { describeValue, isRecord } from "./values.js";
import type { PicketPuidError } from "./errors.js";

/** Builds the API's error for a rejected argument. */
export type Fail = (message: string) => PicketPuidError;

/** `value` must be a string with something besides white space. */
export function requireText(value: unknown, name: string, fail: Fail): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw fail(`'${name}' is required and must be a non-empty string; got ${describeValue(value)}.`);
  }
}

/** `value` may be left out; when given it must be a string. */
export function optionalString(value: unknown, name: string, fail: Fail): asserts value is string | undefined {
  if (value !== undefined && typeof value !== "string") throw fail(`'${name}' must be a string; got ${describeValue(value)}.`);
}

/** `value` must be a plain object. */
export function requireObject<T>(value: T, name: string, fail: Fail): T {
  if (!isRecord(value)) throw fail(`'${name}' must be an object; got ${describeValue(value)}.`);
  return value;
}

/**
 * A credential must be one line of visible ASCII: anything else cannot travel in an HTTP header,
 * and the runtime's own complaint would quote it.
 */
export function requireCredential(value: unknown, name: string, fail: Fail): asserts value is string {
  requireText(value, name, fail);
  if (!/^[\x21-\x7e]+$/.test(value)) throw fail(`'${name}' must be printable ASCII without spaces (it is sent in a header).`);
}

/**
 * A value that becomes one path segment: `.` and `..` would be resolved away by the URL parser
 * and send the request to another endpoint, so they are refused like an empty value.
 */
export function requireSegment(value: unknown, name: string, fail: Fail): asserts value is string {
  requireText(value, name, fail);
  if (value === "." || value === "..") throw fail(`'${name}' cannot be "${value}": it would change the request's path.`);
}
