/** Reading values that came from a caller or a server, without trusting their shape. */

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
 * The fields of a caller's argument object, or `{}` when it is not an object (each field's own
 * check then says what is missing). Typed as the fields it may hold, so a method can destructure
 * its arguments with defaults in one line.
 */
export function fieldsOf<T extends object>(value: T | null | undefined): Partial<T> {
  return isRecord(value) ? value : {};
}

/** What a field of an answer must be: a `typeof`, or "object" for a plain object. */
export type FieldType = "string" | "number" | "boolean" | "object" | "array";

/** Whether `value` is a plain object whose listed fields have the listed types (other fields may be anything). */
export function hasFields(value: unknown, fields: Record<string, FieldType>): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  for (const name in fields) {
    const field = value[name];
    const type = fields[name];
    if (type === "object" ? !isRecord(field) : type === "array" ? !Array.isArray(field) : typeof field !== type) return false;
  }
  return true;
}
