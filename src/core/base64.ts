/** Base64 of bytes, or of a string's UTF-8 bytes (`btoa` alone throws beyond Latin-1). */
export function base64(data: string | Uint8Array): string {
  let binary = "";
  for (const byte of typeof data === "string" ? new TextEncoder().encode(data) : data) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64url without padding (RFC 4648 §5): every character is URL-safe and unreserved. */
export const base64url = (bytes: Uint8Array): string => base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
