// How a line of the extension's log reads: the layout of VS Code's own log channels
// (`2026-01-31 12:00:00.000 [info] message`), so the log grammar colours timestamps and levels. No vscode here.

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warning' | 'error';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time as `YYYY-MM-DD HH:MM:SS.mmm`. */
export function logTimestamp(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** One argument as text: errors with their stack, objects as JSON (or their string form when JSON fails). */
export function logArg(a: unknown): string {
  if (a instanceof Error) return a.stack ?? `${a.name}: ${a.message}`;
  if (typeof a === 'string') return a;
  if (a === undefined) return 'undefined';
  if (typeof a === 'object' && a !== null) {
    try { return JSON.stringify(a); } catch { return String(a); }
  }
  return String(a);
}

export function formatLogLine(d: Date, level: LogLevelName, message: unknown, args: readonly unknown[]): string {
  return `${logTimestamp(d)} [${level}] ${[message, ...args].map(logArg).join(' ')}`;
}
