// What the two contract tests share: that their calls cover exactly the operations of their
// document, and that every documented error status comes back as the document's own example.
import { describe, expect, test } from "vitest";
import { operations, responseExample, type Api } from "./spec.js";

/** One valid call of an operation through a typed client, with extra headers (`Prefer: code=...`). */
export type ContractCall<C> = (client: C, headers?: Record<string, string>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * Declare both checks for `api`. `client` should not retry: these tests look at how one refused
 * request is reported. `errorBody` is what every error body of the API carries.
 */
export function documentedContract<C>(
  api: Api,
  calls: Record<string, ContractCall<C>>,
  client: C,
  errorBody: Record<string, unknown> | ((status: string) => Record<string, unknown>),
): void {
  describe(`every operation of openapi/${api}.yaml has a contract test`, () => {
    test("the calls cover exactly the document's operations", () => {
      expect(Object.keys(calls).sort()).toEqual(
        operations(api)
          .map((o) => o.operationId)
          .sort(),
      );
    });
  });

  describe("every documented error status, through Prefer: code=...", () => {
    for (const op of operations(api)) {
      // 3xx answers are not errors (a redirect is followed or handed back); `default` stands for
      // any status the document does not list, asked for here as a 500.
      for (const status of op.statuses.filter((s) => !/^[23]/.test(s))) {
        test(`${op.operationId} ${status}`, async () => {
          const code = status === "default" ? "500" : status;
          const { data, error, response } = await calls[op.operationId]!(client, { Prefer: `code=${code}` });
          expect(data).toBeUndefined();
          expect(response.status).toBe(Number(code));
          expect(error).toEqual(responseExample(api, op.path, op.method, status));
          expect(error).toMatchObject(typeof errorBody === "function" ? errorBody(status) : errorBody);
        });
      }
    }
  });
}
