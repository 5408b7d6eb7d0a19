import type { PicketPuidError, PicketPuidErrorInit } from "./errors.js";
import type { Reply } from "./transport.js";

/** How an API turns failures into its own error class. */
export interface ApiErrors {
  /** Build an error from fields (validation, transport). */
  make: (init: PicketPuidErrorInit) => PicketPuidError;
  /** Build an error from an answer that is not a success, and its body (parsed JSON, else text). */
  fromResponse: (reply: Pick<Reply, "status" | "statusText" | "headers">, body: unknown) => PicketPuidError;
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
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Facades check the one field they hand back: a success whose body lacks it (a proxy's JSON, a
 * changed server) fails with `invalid_response` instead of resolving to `undefined`.
 */
export function expectShape(ok: boolean, errors: ApiErrors, what: string, body: unknown): void {
  if (!ok) throw errors.make({ status: 200, code: "invalid_response", message: `The server's answer has no ${what}.`, body });
}
