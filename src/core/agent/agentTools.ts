// The tools other agents call (docs/architecture.md, "Other agents"): qwq_verifyEdit, qwq_codeContext and
// qwq_repoMap. One table: the MCP server (src/cli/commands/mcp.ts) and the editor's Language Model Tools
// (src/extension/agents/lmTools.ts) both serve these definitions and call these handlers, and package.json's
// languageModelTools schemas are generated from the same zod shapes (a unit test keeps them equal).
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { SyntaxErrorCounter } from '../edits/types';
import type { BuildImportGraph, IsolationMode } from '../verify';
import type { ContextEngine } from '../context/engine';
import { renderRepoMap } from '../context/repoMap';
import type { ContextSnippet } from '../context/types';
import { patchReport, patchReportText, PatchRejectedError, verifyPatch, type PatchReport } from './verifyPatch';

/** Bad input the caller can correct (a missing folder, a file outside it, a patch that does not apply). */
export class ToolInputError extends Error {}

export const verifyEditInput = {
  patch: z.string().min(1).describe('The patch: a unified diff (--- a/… +++ b/… @@ …) or SEARCH/REPLACE blocks, each preceded by its workspace-relative path line.'),
  workspaceFolder: z.string().min(1).optional().describe('Absolute path of the workspace folder the patch applies to (default: the open folder, or the server\'s working directory).'),
  targetTests: z.array(z.string().min(1)).max(200).optional().describe('Tests the patch must fix: each must fail before and pass after (a test id or part of one).'),
  taskKind: z.enum(['edit-selection', 'fix-failing-tests', 'implement-function']).optional().describe('What the patch is for. fix-failing-tests without targetTests: every test failing before the patch must pass after it.'),
  tests: z.enum(['related', 'all']).optional().describe('related: the tests related to the changed files first, then all of them once those pass (like the CLI); all: every test at once (default).'),
  timeoutSeconds: z.number().int().min(1).max(1800).optional().describe('Limit per test run, in seconds (default 120).'),
};

export const codeContextInput = {
  workspaceFolder: z.string().min(1).optional().describe('Absolute path of the workspace folder (default: the open folder, or the server\'s working directory).'),
  file: z.string().min(1).optional().describe('A file in the workspace (relative to it, or absolute). With line and column: the context at that position.'),
  line: z.number().int().min(1).optional().describe('1-based line in file.'),
  column: z.number().int().min(1).optional().describe('1-based column in file (default 1).'),
  symbol: z.string().min(1).max(200).optional().describe('A symbol name: the context around its definition (instead of file/line).'),
  budget: z.number().int().min(64).max(32768).optional().describe('Token budget for the answer (default 4096).'),
};

export const repoMapInput = {
  workspaceFolder: z.string().min(1).optional().describe('Absolute path of the workspace folder (default: the open folder, or the server\'s working directory).'),
  budget: z.number().int().min(64).max(32768).optional().describe('Token budget for the map (default 1024).'),
  focusFile: z.string().min(1).optional().describe('Bias the ranking to this file (relative to the workspace, or absolute).'),
  task: z.string().max(2000).optional().describe('Bias the ranking to the words of this task.'),
};

export type VerifyEditInput = z.infer<z.ZodObject<typeof verifyEditInput>>;
export type CodeContextInput = z.infer<z.ZodObject<typeof codeContextInput>>;
export type RepoMapInput = z.infer<z.ZodObject<typeof repoMapInput>>;

export const AGENT_TOOLS = {
  qwq_verifyEdit: {
    title: 'Verify an edit with the workspace\'s tests',
    description: 'Applies a patch (unified diff or SEARCH/REPLACE blocks) to a sandboxed shadow copy of the workspace, runs the workspace\'s own tests before and after, and returns the verdict (verified, regressed, not-fixed, inconclusive, no-tests, error, untrusted) with the newly failing and passing tests and where they are, the command that ran, the isolation used, and the reason in plain words. It never writes the workspace\'s files. Only "verified" means the patch passed.',
    input: verifyEditInput,
    readOnly: false,
  },
  qwq_codeContext: {
    title: 'Code context at a position or for a symbol',
    description: 'The code a reader needs around a position (file, line, column) or a symbol\'s definition: the enclosing scope, the definitions it uses resolved across the workspace, the imports, and a ranked outline of the rest, within a token budget. Read-only.',
    input: codeContextInput,
    readOnly: true,
  },
  qwq_repoMap: {
    title: 'Ranked outline of the workspace',
    description: 'The workspace\'s most referenced files and their signatures (PageRank over the reference graph, biased to a file or a task), within a token budget. Read-only.',
    input: repoMapInput,
    readOnly: true,
  },
} as const;

export type AgentToolName = keyof typeof AGENT_TOOLS;

/** The JSON schema of a tool's input (what package.json's languageModelTools declares). */
export function toolInputJsonSchema(name: AgentToolName): Record<string, unknown> {
  const schema = z.toJSONSchema(z.object(AGENT_TOOLS[name].input), { target: 'draft-7' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** Validates a caller's input against the tool's schema; a failure names the fields in one line. */
export function parseToolInput<N extends AgentToolName>(name: N, input: unknown): z.infer<z.ZodObject<(typeof AGENT_TOOLS)[N]['input']>> {
  const r = z.object(AGENT_TOOLS[name].input).strict().safeParse(input ?? {});
  if (!r.success) throw new ToolInputError(`invalid input for ${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`);
  return r.data as never;
}

/** What the host (the MCP server, the extension) lends the tools. */
export interface AgentToolHost {
  /** Whether qwq_verifyEdit may run tests here: false in an untrusted workspace or under --no-verify. */
  mayRunTests: boolean;
  /** The folder used when the input names none. */
  defaultWorkspace?: string;
  /** The context engine for a workspace root (the host owns and caches it). */
  engineFor(root: string): ContextEngine;
  countSyntaxErrors?: SyntaxErrorCounter;
  buildImportGraph?: BuildImportGraph;
  isolation?: IsolationMode;
  network?: boolean;
  envAllow?: readonly string[];
  testCommand?(workspace: string): string | undefined;
  /** The folders the host serves; a workspaceFolder outside them is refused (undefined: any folder). */
  allowedRoots?(): readonly string[] | undefined;
}

export interface ToolAnswer<T> { structured: T; text: string }

async function workspaceOf(host: AgentToolHost, folder: string | undefined): Promise<string> {
  const raw = folder ?? host.defaultWorkspace;
  if (!raw) throw new ToolInputError('no workspaceFolder given and no folder is open');
  if (!isAbsolute(raw)) throw new ToolInputError(`workspaceFolder must be an absolute path, got ${JSON.stringify(raw)}`);
  const root = resolve(raw);
  const allowed = host.allowedRoots?.();
  if (allowed && !allowed.some((a) => isInside(resolve(a), root))) throw new ToolInputError(`${root} is not one of the open workspace folders`);
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new ToolInputError(`workspaceFolder is not a directory: ${root}`);
  return root;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function fileIn(root: string, file: string): Promise<string> {
  const abs = resolve(root, file);
  if (!isInside(root, abs)) throw new ToolInputError(`${file} is outside the workspace folder ${root}`);
  if (!(await stat(abs).catch(() => undefined))?.isFile()) throw new ToolInputError(`not a file in the workspace: ${file}`);
  return abs;
}

export async function runVerifyEdit(host: AgentToolHost, input: VerifyEditInput, signal?: AbortSignal): Promise<ToolAnswer<PatchReport>> {
  const workspace = await workspaceOf(host, input.workspaceFolder);
  try {
    const verified = await verifyPatch({
      workspace, patch: input.patch, targetTests: input.targetTests, taskKind: input.taskKind, tests: input.tests, thenAll: input.tests === 'related',
      timeoutMs: (input.timeoutSeconds ?? 120) * 1000, trusted: host.mayRunTests, signal,
      testCommand: host.testCommand?.(workspace), countSyntaxErrors: host.countSyntaxErrors, buildImportGraph: host.buildImportGraph,
      isolation: host.isolation, network: host.network, envAllow: host.envAllow,
    });
    const report = await patchReport(workspace, verified, signal);
    return { structured: report, text: patchReportText(report) };
  } catch (e) {
    if (e instanceof PatchRejectedError) throw new ToolInputError(e.message);
    throw e;
  }
}

export interface ContextAnswer { workspaceFolder: string; snippets: Array<Omit<ContextSnippet, 'symbol'> & { symbol: string | null }>; tokens: number }

function snippetsText(snippets: ContextAnswer['snippets']): string {
  return snippets.map((s) => `${s.path}:${s.startLine}-${s.endLine} (${s.kind}${s.symbol ? ` ${s.symbol}` : ''})\n${s.text}`).join('\n\n');
}

const plain = (s: ContextSnippet): ContextAnswer['snippets'][number] => ({ path: s.path, startLine: s.startLine, endLine: s.endLine, kind: s.kind, symbol: s.symbol ?? null, text: s.text });

export async function runCodeContext(host: AgentToolHost, input: CodeContextInput, signal?: AbortSignal): Promise<ToolAnswer<ContextAnswer>> {
  const root = await workspaceOf(host, input.workspaceFolder);
  const budget = input.budget ?? 4096;
  let file: string;
  let line: number;
  let column: number;
  if (input.symbol !== undefined && input.file === undefined) {
    const engine = host.engineFor(root);
    await engine.ready(signal);
    const defs = engine.index.definitions(input.symbol);
    if (defs.length === 0) throw new ToolInputError(`no definition of ${JSON.stringify(input.symbol)} in ${root}`);
    const def = defs[0];
    file = resolve(root, def.file);
    line = def.tag.row + 1;
    column = def.tag.column + 1;
  } else {
    if (input.file === undefined || input.line === undefined) throw new ToolInputError('qwq_codeContext needs either symbol, or file and line (and optionally column)');
    file = await fileIn(root, input.file);
    line = input.line;
    column = input.column ?? 1;
  }
  let packed;
  try {
    packed = await host.engineFor(root).context({ file, line, column, budget });
  } catch (e) {
    throw new ToolInputError(e instanceof Error ? e.message : String(e));
  }
  const snippets = packed.snippets.map(plain);
  return { structured: { workspaceFolder: root, snippets, tokens: packed.tokens }, text: snippetsText(snippets) };
}

export async function runRepoMap(host: AgentToolHost, input: RepoMapInput): Promise<ToolAnswer<ContextAnswer>> {
  const root = await workspaceOf(host, input.workspaceFolder);
  const focusFile = input.focusFile !== undefined ? await fileIn(root, input.focusFile) : undefined;
  const map = await host.engineFor(root).repoMapSnippets({ budget: input.budget ?? 1024, focusFile, task: input.task });
  return { structured: { workspaceFolder: root, snippets: map.snippets.map(plain), tokens: map.tokens }, text: renderRepoMap(map.snippets) };
}

/** Runs a tool by name on raw input: validation, then the handler. Throws ToolInputError for the caller's mistakes. */
export async function runAgentTool(host: AgentToolHost, name: string, input: unknown, signal?: AbortSignal): Promise<ToolAnswer<PatchReport | ContextAnswer>> {
  switch (name) {
    case 'qwq_verifyEdit': return runVerifyEdit(host, parseToolInput('qwq_verifyEdit', input), signal);
    case 'qwq_codeContext': return runCodeContext(host, parseToolInput('qwq_codeContext', input), signal);
    case 'qwq_repoMap': return runRepoMap(host, parseToolInput('qwq_repoMap', input));
    default: throw new ToolInputError(`unknown tool ${JSON.stringify(name)} (one of ${Object.keys(AGENT_TOOLS).join(', ')})`);
  }
}
