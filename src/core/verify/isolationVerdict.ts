// What the isolation adds to a verdict (docs/architecture.md §5, "Isolation"): a write the sandbox refused is
// named with what to do; failures that look like network errors while the network is off say so; and the
// verdict line says when the run was not sandboxed or had the network on. Pure functions over the run's text.
import { msg, renderMessage, CORE_MESSAGES, type Message } from '../messages';

/** Paths named in "read-only file system" errors (Node, Python, Go, shells). */
export function refusedWrites(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (!/EROFS|read-only file system/i.test(line)) continue;
    const m = /EROFS[^'"\n]*?['"]([^'"]+)['"]/.exec(line) // Node: EROFS: read-only file system, open '/x'
      ?? /Read-only file system:\s*['"]([^'"]+)['"]/i.exec(line) // Python: [Errno 30] Read-only file system: '/x'
      ?? /(?:open|mkdir|create|remove|rename|write|symlink|link)\s+(\/[^\s:]+):\s*read-only file system/i.exec(line) // Go
      ?? /['"](\/[^'"]+)['"]:\s*Read-only file system/i.exec(line) // touch, cp: cannot touch '/x': Read-only file system
      ?? /(\/[^\s:'"]+):[^\n]*Read-only file system/i.exec(line); // sh: /x: Read-only file system
    out.add(m ? m[1] : '(a path the tool did not name)');
  }
  return [...out];
}

const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|getaddrinfo|ENETUNREACH|EHOSTUNREACH|Network is unreachable|Temporary failure in name resolution|Name or service not known|Could not resolve host|no such host|dial tcp|NameResolutionError|Failed to establish a new connection/i;

export function looksLikeNetworkFailure(text: string): boolean {
  return NETWORK_ERROR.test(text);
}

export const REFUSED_WRITE_ADVICE = CORE_MESSAGES.refusedWriteAdvice;

/** Why a run the sandbox refused a write to says nothing, naming the paths, in the message table's terms. */
export function refusedWriteSaid(paths: string[]): Message {
  return msg('refusedWrite', `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}`, msg('refusedWriteAdvice'));
}

export function refusedWriteMessage(paths: string[]): string {
  return renderMessage(refusedWriteSaid(paths));
}

export const NETWORK_OFF_HINT = CORE_MESSAGES.networkOffHint;
