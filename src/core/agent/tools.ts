// The read-only tools the architect may call while it plans (QwQ's function calling). None of them writes a
// user file: read_file/search_text read the workspace; run_tests runs in the verifier's shadow copy, and only
// in a trusted workspace (docs/architecture.md §5).
import type { ToolDefinition } from '../model';
import type { AgentContextProvider, VerifierSession, WorkspaceFiles } from './ports';
import { normalizeEditPath } from './editSchema';
import { isTestFile } from '../verify';

/** Tool results go back into the prompt; a cap keeps one call from filling the context window. */
export const toolResultChars = 6_000;

export interface ToolEnv {
  files: WorkspaceFiles;
  context: AgentContextProvider;
  /** Present only when tests may run (trusted workspace with a verifier). */
  session?: VerifierSession;
  signal: AbortSignal;
}

export class ToolInputError extends Error {}

function cap(text: string): string {
  return text.length <= toolResultChars ? text : `${text.slice(0, toolResultChars)}\n… (cut: ${text.length - toolResultChars} more characters)`;
}

function relPath(p: unknown): string {
  if (typeof p !== 'string') throw new ToolInputError('"path" must be a string');
  const clean = normalizeEditPath(p);
  if (!clean) throw new ToolInputError(`path outside the workspace: ${JSON.stringify(p)}`);
  return clean;
}

export async function readFileTool(env: ToolEnv, args: { path?: unknown; startLine?: unknown; endLine?: unknown }): Promise<string> {
  const path = relPath(args.path);
  const text = await env.files.read(path);
  if (text === undefined) throw new ToolInputError(`no such file: ${path}`);
  const lines = text.split('\n');
  const start = typeof args.startLine === 'number' && args.startLine >= 1 ? Math.floor(args.startLine) : 1;
  const end = typeof args.endLine === 'number' && args.endLine >= start ? Math.min(Math.floor(args.endLine), lines.length) : lines.length;
  // Line numbers help the model name places; they are in a gutter, so a plan quoting code won't copy them.
  const width = String(end).length;
  return cap(lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(width)}| ${l}`).join('\n'));
}

export async function searchTextTool(env: ToolEnv, args: { query?: unknown; maxResults?: unknown }): Promise<string> {
  if (typeof args.query !== 'string' || args.query === '') throw new ToolInputError('"query" must be a non-empty string');
  const query = args.query;
  const max = typeof args.maxResults === 'number' && args.maxResults > 0 ? Math.min(100, Math.floor(args.maxResults)) : 30;
  const hits: string[] = [];
  for (const path of await env.files.list(env.signal)) {
    if (env.signal.aborted) break;
    const text = await env.files.read(path);
    if (text === undefined) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && hits.length < max; i++) {
      if (lines[i].includes(query)) hits.push(`${path}:${i + 1}: ${lines[i].trim()}`);
    }
    if (hits.length >= max) break;
  }
  return hits.length ? cap(hits.join('\n')) : `no match for ${JSON.stringify(query)}`;
}

/** Definitions by the context engine's symbol index; a plain-text search for common definition forms when it has none. */
export async function findDefinitionTool(env: ToolEnv, args: { symbol?: unknown }): Promise<string> {
  if (typeof args.symbol !== 'string' || !/^[\w$.]+$/.test(args.symbol)) throw new ToolInputError('"symbol" must be an identifier');
  const symbol = args.symbol;
  if (env.context.findDefinition) {
    const defs = await env.context.findDefinition(symbol, env.signal);
    if (defs.length) return cap(defs.map((d) => `${d.path}:${d.startLine}-${d.endLine}\n${d.text}`).join('\n\n'));
  }
  const name = symbol.split('.').pop()!;
  const forms = [`function ${name}`, `def ${name}`, `func ${name}`, `class ${name}`, `const ${name} `, `${name}(`];
  for (const form of forms) {
    const r = await searchTextTool(env, { query: form, maxResults: 10 });
    if (!r.startsWith('no match')) return r;
  }
  return `no definition found for ${symbol}`;
}

export async function listTestsTool(env: ToolEnv): Promise<string> {
  if (env.session) {
    const run = await env.session.baseline(env.signal);
    if (run.tests.length) return cap(run.tests.map((t) => `${t.status === 'passed' ? 'pass' : t.status === 'failed' ? 'FAIL' : 'skip'}  ${t.id}`).join('\n'));
    return run.message;
  }
  // Untrusted: list test files by name only; nothing runs.
  const files = (await env.files.list(env.signal)).filter(isTestFile);
  return files.length ? cap(`test files (tests do not run in an untrusted workspace):\n${files.join('\n')}`) : 'no test files found';
}

export async function runTestsTool(env: ToolEnv, args: { filter?: unknown }): Promise<string> {
  if (!env.session) throw new ToolInputError('tests cannot run here (untrusted workspace or no test command)');
  const filter = typeof args.filter === 'string' && args.filter !== '' ? args.filter : undefined;
  const run = await env.session.runTests(filter, env.signal);
  const failed = run.tests.filter((t) => t.status === 'failed');
  const lines = [`${run.runner}: ${run.tests.filter((t) => t.status === 'passed').length} passed, ${failed.length} failed. ${run.message}`];
  for (const t of failed.slice(0, 10)) lines.push(`FAIL ${t.id}${t.output ? `\n${t.output}` : ''}`);
  return cap(lines.join('\n'));
}

/** The tool set for one planning call, in QwQ's function-calling shape. `onCall` feeds the event stream. */
export function createTools(env: ToolEnv, onCall: (name: string, args: unknown, run: () => Promise<string>) => Promise<string>): Record<string, ToolDefinition> {
  const table: Array<[string, string, Record<string, unknown>, (args: any) => Promise<string>]> = [
    ['read_file', 'Read a file of the workspace, optionally only some lines. Lines come numbered.',
      { type: 'object', properties: { path: { type: 'string' }, startLine: { type: 'integer' }, endLine: { type: 'integer' } }, required: ['path'] },
      (a) => readFileTool(env, a)],
    ['find_definition', 'Find where a function, class or variable is defined in the workspace.',
      { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
      (a) => findDefinitionTool(env, a)],
    ['search_text', 'Search the workspace files for a literal text; returns path:line: line.',
      { type: 'object', properties: { query: { type: 'string' }, maxResults: { type: 'integer' } }, required: ['query'] },
      (a) => searchTextTool(env, a)],
    ['list_tests', 'List the tests of the workspace and whether each passes now.',
      { type: 'object', properties: {} },
      () => listTestsTool(env)],
  ];
  if (env.session) {
    table.push(['run_tests', 'Run the tests (optionally only those whose name or file contains the filter) on a copy of the workspace as it is now.',
      { type: 'object', properties: { filter: { type: 'string' } } },
      (a) => runTestsTool(env, a)]);
  }
  const tools: Record<string, ToolDefinition> = {};
  for (const [name, description, parameters, fn] of table) {
    tools[name] = { description, parameters, handler: (args: unknown) => onCall(name, args, () => fn(args ?? {})) };
  }
  return tools;
}
