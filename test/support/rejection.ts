import { expect } from "vitest";
import { PicketPuidError } from "../../src/core/errors.js";

/**
 * Run `call` (a promise, or a function that may also throw synchronously) and return what it
 * rejected with, after asserting it is an instance of `type` and of the package's error base.
 */
export async function rejection<E extends PicketPuidError>(type: abstract new (...args: never[]) => E, call: Promise<unknown> | (() => unknown)): Promise<E> {
  const error = await Promise.resolve()
    .then(() => (typeof call === "function" ? call() : call))
    .then(
      () => {
        throw new Error("expected the call to fail");
      },
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(PicketPuidError);
  return error as E;
}

/**
 * Run `make`, which must throw synchronously (a constructor, a factory), and return what it threw,
 * after asserting it is an instance of `type` and of the package's error base.
 */
export function thrown<E extends PicketPuidError>(type: abstract new (...args: never[]) => E, make: () => unknown): E {
  let caught: unknown = undefined;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected it to throw").toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(PicketPuidError);
  return caught as E;
}
