// Binary files are refused as edit targets: a text edit would corrupt them.

/**
 * True when the bytes look binary: a NUL byte anywhere, or more than 10% control characters. The whole
 * file is read, not a prefix: a text header followed by binary data is still binary.
 */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (bytes.indexOf(0) >= 0) return true;
  let control = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control / bytes.length > 0.1;
}
