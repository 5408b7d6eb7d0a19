/** The typed low-level Picket client: openapi-fetch, typed by the generated `paths`, on Picket's transport. */
import type { Client } from "openapi-fetch";
import { createLowLevelClient } from "../core/client.js";
import { checkKeys, readOptions } from "../core/options.js";
import { fieldsOf } from "../core/values.js";
import type { paths } from "../generated/picket.js";
import { CLIENT_OPTIONS, OPTION_HINTS, picketApi, picketAuthHeaders, picketKey, type PicketOptions } from "./api.js";
import { PicketCode, picketErrors } from "./errors.js";

/** Options of the low-level Picket client. */
export interface PicketClientOptions extends PicketOptions {
  /**
   * The project's API key: the secret key on a server, the publishable key in a browser. Sent
   * as HTTP Basic user name with an empty password: `Authorization: Basic base64(key + ":")`.
   */
  secretKey?: string | undefined;
}

/** The typed low-level client: `client.POST("/auth/nonce", { body: { chain, walletAddress } })`. */
export type PicketClient = Client<paths, "application/json">;

/**
 * Create the typed low-level Picket client (openapi-fetch), which adds
 * `Authorization: Basic base64(key + ":")`, `Accept: application/json` and a `User-Agent`, and
 * sends through the package's transport (timeouts, safe retries, typed errors).
 *
 * ```ts
 * import { createPicketClient } from "picket-puid/picket";
 *
 * const picket = createPicketClient({ secretKey: process.env.PICKET_SECRET_KEY! });
 * const walletAddress = "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B";
 * const { data, error } = await picket.POST("/auth/nonce", { body: { chain: "ethereum", walletAddress } });
 * if (error) throw new Error(error.msg);
 * console.log(data.nonce);
 * ```
 *
 * @throws {PicketError} `parameter_invalid` when the key is missing or empty.
 */
export function createPicketClient(options: PicketClientOptions = {}): PicketClient {
  const { secretKey, ...rest } = readOptions(picketErrors, fieldsOf(options));
  // Its key is `secretKey`, not the constructor's first argument that OPTION_HINTS points at.
  checkKeys(picketErrors, rest, ["secretKey", ...CLIENT_OPTIONS], { ...OPTION_HINTS, apiKey: "did you mean 'secretKey'?" });
  const key = picketKey(secretKey, rest);
  return createLowLevelClient({ api: picketApi(key, rest), auth: picketAuthHeaders(key), options: rest, argumentCode: PicketCode.parameterInvalid });
}
