/** PKCE (RFC 7636) with S256, on the platform's Web Crypto: no Node module needed. */
import { base64url } from "./base64.js";

/** A random string of `length` unreserved characters, 6 random bits each (43–128 for a code verifier). */
export const randomToken = (length: number): string => base64url(crypto.getRandomValues(new Uint8Array(Math.ceil((length * 3) / 4)))).slice(0, length);

/** A fresh code verifier (64 characters) and its S256 challenge, `base64url(sha256(verifier))`. */
export async function pkce(): Promise<{ codeVerifier: string; codeChallenge: string }> {
  const codeVerifier = randomToken(64);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
  return { codeVerifier, codeChallenge: base64url(new Uint8Array(digest)) };
}
