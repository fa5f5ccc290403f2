// Runs a test command the way a CI machine would: its own process group (so a timeout kills grandchildren
// too), no TTY, no colors, CI=1, and a capped copy of the output. Every line still reaches `onLine`, so
// structured results streamed on stdout are parsed in full even when the kept text is capped.
// A process that left the group (setsid) is found by a marker in its environment (Linux), and a pipe that a
// leftover keeps open never holds the run past its exit or its timeout.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { SYSTEM_SHELL } from './sandboxLauncher';

export interface RunProcessOptions {
  /** A shell command line (run with `sh -c`), so package.json-style scripts work as written. */
  command: string;
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  /** Bytes of combined output kept in `output` (head and tail); default 1 MB. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Every complete stdout line, uncapped (structured result streams: go test -json, reporter events). */
  onStdoutLine?: (line: string) => void;
  /** Grace between SIGTERM and SIGKILL on timeout or abort. */
  killGraceMs?: number;
  /** The program (an absolute path) and arguments that run `command` (default: /bin/sh -c command); a sandbox wraps it. */
  argv?: string[];
  /** How long the pipes may stay open after the command exited (a leftover holding them); default 1000 ms. */
  pipeGraceMs?: number;
  /** The value of RUN_MARKER for this run (default: random); see killMarked. */
  marker?: string;
  /** What the run inherits instead of process.env (the sandbox drops credential-looking variables: envFilter.ts). */
  inheritEnv?: Record<string, string | undefined>;
  /**
   * The result channel (results/channel.ts): the child gets fd 3 (its records, read here line by line) and
   * fd 4 (`keys`, written here, then closed). Nothing else of the run can reach either from outside.
   */
  channel?: { keys: string; onLine: (line: string) => void };
  /** Called once the command's process exists (the caller can start its own work beside it). */
  onSpawn?: () => void;
  /**
   * argv starts the command as the first process of its own PID namespace (the sandbox): the kernel ends every
   * process left in it when that one exits, so the run's leftovers need no search through /proc (killMarked reads
   * every process's environment: milliseconds per call, twice per run).
   */
  ownPidNamespace?: boolean;
}

export interface RunProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** Combined stdout+stderr, capped: head and tail kept, the middle replaced by a marker. */
  output: string;
  totalBytes: number;
  truncated: boolean;
  durationMs: number;
  pid: number | undefined;
}

/** The controlled environment every test run gets. */
export function testEnv(extra: Record<string, string | undefined> = {}, inherit: Record<string, string | undefined> = process.env): Record<string, string> {
  const env: Record<string, string | undefined> = { ...inherit, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', TERM: 'dumb', ...extra };
  // Inherited from a node:test parent, this would make a child `node --test` talk the parent's IPC protocol.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_CHANNEL_FD;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Keeps the first third and the last two thirds of `max` bytes: the start says what ran, the end why it failed. */
class CappedBuffer {
  private head = '';
  private tail: string[] = [];
  private tailBytes = 0;
  total = 0;
  constructor(private readonly max: number) {}
  push(text: string): void {
    const bytes = Buffer.byteLength(text);
    this.total += bytes;
    const headMax = Math.floor(this.max / 3);
    if (this.head.length < headMax) {
      const take = text.slice(0, headMax - this.head.length);
      this.head += take;
      text = text.slice(take.length);
      if (!text) return;
    }
    this.tail.push(text);
    this.tailBytes += text.length;
    const tailMax = this.max - headMax;
    while (this.tailBytes > tailMax && this.tail.length > 1) this.tailBytes -= this.tail.shift()!.length;
    if (this.tailBytes > tailMax) {
      this.tail[0] = this.tail[0].slice(this.tailBytes - tailMax);
      this.tailBytes = tailMax;
    }
  }
  get truncated(): boolean { return this.total > this.max; }
  text(): string {
    const tail = this.tail.join('');
    if (!this.truncated) return this.head + tail;
    return `${this.head}\n… [${this.total - this.head.length - tail.length} bytes of output omitted] …\n${tail}`;
  }
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { /* the group is gone */ }
}

/** The environment variable that marks every process of one run, whatever group or session it moved to. */
export const RUN_MARKER = 'QWQ_RUN_ID';

export function newRunMarker(): string {
  return randomBytes(8).toString('hex');
}

/** Kills (SIGKILL) every process whose environment carries `RUN_MARKER=id` (Linux /proc; elsewhere a no-op). */
export function killMarked(id: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${RUN_MARKER}=${id}\0`);
  const killed: number[] = [];
  let pids: string[];
  try { pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)); } catch { return killed; }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    let env: Buffer;
    try { env = readFileSync(`/proc/${p}/environ`); } catch { continue; }
    if (env.indexOf(needle) < 0) continue;
    try { process.kill(pid, 'SIGKILL'); killed.push(pid); } catch { /* gone */ }
  }
  return killed;
}

export function runProcess(opts: RunProcessOptions): Promise<RunProcessResult> {
  const started = Date.now();
  const buf = new CappedBuffer(opts.maxOutputBytes ?? 1024 * 1024);
  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ exitCode: null, signal: null, timedOut: false, aborted: true, output: '', totalBytes: 0, truncated: false, durationMs: 0, pid: undefined });
      return;
    }
    // detached: the shell leads a new process group; killing -pid reaches every descendant in it.
    const marker = opts.marker ?? newRunMarker();
    // Leftovers that left the process group (setsid) still carry the marker; in a PID namespace of its own, none can remain.
    const killLeftovers = (): void => { if (!opts.ownPidNamespace) killMarked(marker); };
    // An absolute program: Node looks a bare name up in `env.PATH`, which starts with the workspace's node_modules/.bin.
    const [file, ...args] = opts.argv ?? [SYSTEM_SHELL, '-c', opts.command];
    const stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>] = opts.channel ? ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'];
    const child = spawn(file, args, { cwd: opts.cwd, env: testEnv({ ...opts.env, [RUN_MARKER]: marker }, opts.inheritEnv), detached: true, stdio }) as ChildProcessByStdio<null, Readable, Readable>;
    const pid = child.pid;
    opts.onSpawn?.();
    const records = opts.channel ? child.stdio[3] as NodeJS.ReadableStream & { destroy(): void } : undefined;
    let recordPartial = '';
    if (opts.channel && records) {
      const keys = child.stdio[4] as NodeJS.WritableStream & { destroy(): void; on(e: 'error', f: () => void): void };
      keys.on('error', () => { /* the run closed its end before reading */ });
      keys.end(opts.channel.keys);
      records.setEncoding('utf8');
      records.on('data', (t: string) => {
        const lines = (recordPartial + t).split('\n');
        recordPartial = lines.pop() ?? '';
        for (const l of lines) opts.channel!.onLine(l);
      });
      records.on('error', () => { /* a reset channel ends like a closed one */ });
    }
    let pipeTimer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let aborted = false;
    let partial = '';
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      killTimer ??= setTimeout(() => { killGroup(pid, 'SIGKILL'); killLeftovers(); }, opts.killGraceMs ?? 2000);
      // The command may be gone already while a leftover holds the pipes: end the run now.
      if (exit) finish();
    };
    const timer = setTimeout(() => { timedOut = true; stop(); }, opts.timeoutMs);
    const onAbort = (): void => { aborted = true; stop(); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (t: string) => {
      buf.push(t);
      opts.onOutput?.('stdout', t);
      if (opts.onStdoutLine) {
        const lines = (partial + t).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) opts.onStdoutLine(l);
      }
    });
    child.stderr.on('data', (t: string) => { buf.push(t); opts.onOutput?.('stderr', t); });

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (pipeTimer) clearTimeout(pipeTimer);
      if (pid !== undefined) { killGroup(pid, 'SIGKILL'); killLeftovers(); }
      child.stdout.destroy();
      child.stderr.destroy();
      // A record cut off without its newline is dropped: a reporter cut off mid-record never sent its end.
      records?.destroy();
      opts.signal?.removeEventListener('abort', onAbort);
      if (partial && opts.onStdoutLine) opts.onStdoutLine(partial);
      partial = '';
      resolve({
        exitCode: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, aborted,
        output: buf.text(), totalBytes: buf.total, truncated: buf.truncated, durationMs: Date.now() - started, pid,
      });
    };
    child.on('error', (e) => { buf.push(`\n${e.message}\n`); exit = { code: 127, signal: null }; finish(); });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Leftovers (a background grandchild holding the pipes, even one that called setsid) must not outlive the run.
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
      killLeftovers();
      // One that escaped both (it cleared its environment) may still hold the pipes: stop waiting for them.
      pipeTimer = setTimeout(finish, opts.pipeGraceMs ?? 1000);
    });
    child.on('close', () => { if (exit) finish(); });
  });
}
