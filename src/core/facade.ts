import type { ApiClient, Fetch } from "./client.js";
import { unwrap, type ApiErrors, type CallResult } from "./call.js";
import type { RequestOptions } from "./transport.js";

/** What one facade call hands to openapi-fetch: the call's own transport and extra headers. */
export interface CallInit {
  fetch: Fetch;
  headers?: Record<string, string>;
}

/**
 * Run one low-level call for a facade method with that call's options, and return its data or
 * throw the API's error. Every facade method of both APIs goes through here.
 */
export function callWith<Paths extends {}, T>(
  api: ApiClient<Paths>,
  errors: ApiErrors,
  options: RequestOptions | undefined,
  send: (client: ApiClient<Paths>["client"], init: CallInit) => Promise<CallResult<T>>,
): Promise<T> {
  const init: CallInit = { fetch: api.forCall(options) };
  if (options?.headers) init.headers = options.headers;
  return unwrap(send(api.client, init), errors);
}
