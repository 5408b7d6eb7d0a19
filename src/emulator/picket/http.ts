/** Reading request bodies and writing JSON answers, the same way for every handler. */
import { invalidParameter } from "./failure.js";

/** A JSON answer (every answer of the emulator is one, except the OAuth redirect and popup page). */
export function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The request's JSON object body. The `Content-Type` is not checked: every official client sends
 * `application/json`, and a body that parses is what matters.
 * @throws {PicketFailure} 400 `parameter_invalid` when the body is empty, not JSON, or not an object.
 */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter(text.trim() === "" ? "the request body is empty: send a JSON object" : "the request body is not valid JSON");
  }
  if (!isRecord(value)) throw invalidParameter("the request body must be a JSON object");
  return value;
}

/** A required string field of a body. */
export function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || value === "") throw invalidParameter(`${name} is required`);
  return value;
}
