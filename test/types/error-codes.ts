// Type test (compiled by `npm run typecheck`, never run): the codes an error can carry are unions
// of their literal values — `PuidErrorCode` and `PicketErrorCode` each list the API's codes and
// the shared client-side ones, and nothing else — while `error.code` also admits a code a server
// adds later (and `null`).
import { expectTypeOf } from "vitest";
import { PicketCode, type PicketError, type PicketErrorCode } from "picket-puid/picket";
import { PuidCode, type PuidError, type PuidErrorCode } from "picket-puid/puid";

type Known<T> = T extends string ? (string extends T ? never : T) : never;
type Shared =
  | "invalid_option"
  | "invalid_request"
  | "invalid_endpoint"
  | "insecure_endpoint"
  | "network_error"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "redirect_refused"
  | "response_too_large"
  | "secret_in_browser"
  | "coordination_timeout"
  | "coordination_unavailable"
  | "coordination_failed";

expectTypeOf<PuidErrorCode>().toEqualTypeOf<
  | Shared
  | "bad_request"
  | "unauthorized"
  | "quota_exceeded"
  | "not_found"
  | "rate_limited"
  | "invalid_grant"
  | "unsupported_grant_type"
  | "invalid_redirect_uris"
  | "invalid_redirect_uri"
  | "invalid_client"
  | "access_denied"
  | "invalid_credentials"
  | "invalid_count"
  | "invalid_puid"
  | "invalid_ordinal"
  | "invalid_value"
  | "invalid_scope"
  | "insufficient_scope"
>();
expectTypeOf<PicketErrorCode>().toEqualTypeOf<
  | Shared
  | "account_exists"
  | "api_key_invalid"
  | "authentication_required"
  | "parameter_invalid"
  | "resource_not_found"
  | "permission_denied"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
>();

// The enums name the same values.
expectTypeOf<`${PuidCode}`>().toExtend<PuidErrorCode>();
expectTypeOf<`${PicketCode}`>().toExtend<PicketErrorCode>();

// An error's code: the known union (completed by an editor), a later code, or null.
expectTypeOf<Known<Exclude<PuidError["code"], null>>>().toEqualTypeOf<PuidErrorCode>();
expectTypeOf<Known<Exclude<PicketError["code"], null>>>().toEqualTypeOf<PicketErrorCode>();
expectTypeOf<null>().toExtend<PuidError["code"]>();
expectTypeOf<"a_code_added_later">().toExtend<PuidError["code"]>();

// The unions are closed: a misspelt code, or the other API's, is a compile error.
// @ts-expect-error rate_limited, misspelt
export const misspelt: PuidErrorCode = "rate_limitted";
// @ts-expect-error a Picket code is not a PUID one
export const otherApi: PuidErrorCode = "api_key_invalid";
// @ts-expect-error a PUID code is not a Picket one
export const otherWay: PicketErrorCode = "quota_exceeded";

/** Code can switch over the union and be told when it handles a code that cannot happen. */
export function describe(code: PuidErrorCode): string {
  switch (code) {
    case "rate_limited":
      return "wait";
    // @ts-expect-error no such PUID code
    case "rate_limit":
      return "never";
    default:
      return code;
  }
}
