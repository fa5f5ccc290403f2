import { randomBytes } from 'node:crypto';

/** A fresh nonce per webview render, for the Content-Security-Policy's script-src. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
