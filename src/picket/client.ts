import type { Client } from "openapi-fetch";
import { base64 } from "../core/base64.js";
import { createApi, type Api, type EndpointOptions } from "../core/api.js";
import { createLowLevelClient } from "../core/client.js";
import type { RequestOptions, TransportConfig } from "../core/transport.js";
import type { paths } from "../generated/picket.js";
import { requireCredential } from "../core/validate.js";
import { invalidParameter, picketErrors } from "./errors.js";

/** The production Picket API. */
export const PICKET_BASE_URL = "https://picketapi.com/api/v1";

/** Options of a Picket client: where the API is, and the defaults of every request. */
export interface PicketOptions extends RequestOptions, EndpointOptions {
  /** Base URL of the API, default `https://picketapi.com/api/v1`. A trailing slash is harmless. */
  baseURL?: string | undefined;
}

/** Options of the low-level Picket client. */
export interface PicketClientOptions extends PicketOptions {
  /**
   * The project's API key: the secret key on a server, the publishable key in a browser. Sent
   * as HTTP Basic user name with an empty password: `Authorization: Basic base64(key + ":")`.
   */
  secretKey: string;
}

/** The typed low-level client: `client.POST("/auth/nonce", { body: { chain, walletAddress } })`. */
export type PicketClient = Client<paths, "application/json">;

/**
 * Which Picket requests may be repeated after they could have reached the server: the GETs.
 * Every POST (nonce, auth, authz, validate, tokenOwnership, OAuth token) is only repeated when
 * the server refused it outright (408, 429) or no connection was made.
 */
export const picketTransport: TransportConfig = {
  makeError: picketErrors.make,
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
  return createApi<paths>({ baseUrl: baseURL, allowInsecureHttp, auth, transport: picketTransport, errors: picketErrors, options: requestOptions });
}

/**
 * Create the typed low-level Picket client (openapi-fetch), which adds
 * `Authorization: Basic base64(key + ":")`, `Accept: application/json` and a `User-Agent`, and
 * sends through the package's transport (timeouts, safe retries, typed errors).
 *
 * ```ts
 * const picket = createPicketClient({ secretKey: process.env.PICKET_SECRET_KEY! });
 * const { data } = await picket.POST("/auth/nonce", { body: { chain: "ethereum", walletAddress } });
 * ```
 *
 * @throws {PicketError} `parameter_invalid` when the key is missing or empty.
 */
export function createPicketClient(options: PicketClientOptions): PicketClient {
  const { secretKey, ...rest } = options ?? ({} as PicketClientOptions);
  return createLowLevelClient(picketApi(secretKey, rest), picketAuthHeaders(secretKey), rest);
}
