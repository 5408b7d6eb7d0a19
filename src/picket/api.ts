/**
 * Picket's wiring: where the API is, how the key is sent, which requests are safe to repeat, and
 * the error class. The facade (`picket.ts`) and the typed client (`client.ts`) both build on it.
 */
import { createApi, type Api } from "../core/api.js";
import { base64 } from "../core/base64.js";
import type { EndpointOptions } from "../core/endpoint.js";
import type { RequestOptions, TransportConfig } from "../core/transport.js";
import { requireCredential } from "../core/validate.js";
import type { paths } from "../generated/picket.js";
import { invalidParameter, picketErrors } from "./errors.js";

/** The production Picket API. */
export const PICKET_BASE_URL = "https://picketapi.com/api/v1";

/** Options of a Picket client: where the API is, and the defaults of every request. */
export interface PicketOptions extends RequestOptions, EndpointOptions {
  /** Base URL of the API, default `https://picketapi.com/api/v1`. A trailing slash is harmless. */
  baseURL?: string | undefined;
}

/**
 * Which Picket requests may be repeated after they could have reached the server: the GETs.
 * Every POST (nonce, auth, authz, validate, tokenOwnership, OAuth token) is only repeated when
 * the server refused it outright (408, 429) or no connection was made.
 */
export const picketTransport: TransportConfig = {
  errors: picketErrors,
  idempotent: (request) => request.method === "GET",
};

/**
 * Check the key and return the `Authorization` header it is sent as.
 * Throws `PicketError` (`status: null`, code `parameter_invalid`) for a missing or empty key.
 */
export function picketAuthHeaders(secretKey: unknown): Record<string, string> {
  requireCredential(secretKey, "secretKey", invalidParameter);
  return { authorization: `Basic ${base64(`${secretKey}:`)}` };
}

/** The client the facade builds on: checked key and base URL, Picket's transport, typed calls. */
export function picketApi(secretKey: unknown, options: PicketOptions = {}): Api<paths> {
  const { baseURL = PICKET_BASE_URL, allowInsecureHttp, ...requestOptions } = options ?? {};
  const auth = picketAuthHeaders(secretKey);
  return createApi<paths>({ baseUrl: baseURL, allowInsecureHttp, auth, transport: picketTransport, options: requestOptions });
}
