/**
 * A small YAML writer for plain JSON data (objects, arrays, strings, numbers, booleans, null):
 * enough to serve the OpenAPI description as YAML without a YAML library in the emulator.
 * Every string is written double-quoted with JSON's escapes, which YAML reads the same way.
 */
export function toYaml(value: unknown): string {
  return `${block(value, "").join("\n")}\n`;
}

const PLAIN_KEY = /^[A-Za-z_/][\w/.-]*$/;
const key = (name: string): string => (PLAIN_KEY.test(name) ? name : JSON.stringify(name));

/** A scalar, or an empty collection, on one line; `undefined` for anything that needs a block. */
function inline(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  if (typeof value === "object") return Object.keys(value).length === 0 ? "{}" : undefined;
  throw new TypeError(`toYaml() takes JSON data; got ${typeof value}.`);
}

/** The lines of a value at `indent`. */
function block(value: unknown, indent: string): string[] {
  const single = inline(value);
  if (single !== undefined) return [indent + single];
  const lines: string[] = [];
  const nested = `${indent}  `;
  if (Array.isArray(value)) {
    for (const item of value) {
      const one = inline(item);
      if (one !== undefined) lines.push(`${indent}- ${one}`);
      else {
        // The item's first line goes after the dash; the rest are already indented under it.
        const [first = "", ...rest] = block(item, nested);
        lines.push(`${indent}- ${first.trimStart()}`, ...rest);
      }
    }
    return lines;
  }
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const one = inline(item);
    if (one !== undefined) lines.push(`${indent}${key(name)}: ${one}`);
    else lines.push(`${indent}${key(name)}:`, ...block(item, nested));
  }
  return lines;
}
