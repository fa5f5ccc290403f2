// The audit of a patch for test-gaming (docs/architecture.md §5): tree-sitter queries per language find what
// a model gaming its reward adds to make tests pass without fixing the code. A hit is never green; the card names
// the line and why. A finding counts only when the edit adds it (more of it after than before), so code the
// user already had is not held against the edit.
import { Query, type Node, type QueryMatch } from 'web-tree-sitter';
import type { FileChange } from '../../edits/types';
import { loadLanguage, languageForPath, withTree, type LanguageId } from '../../syntax';

import type { AuditRule, AuditFinding, AuditReport } from './evidence';
export type { AuditRule, AuditFinding, AuditReport };

type Family = 'js' | 'python' | 'go' | 'rust';
const familyOf = (id: LanguageId): Family | undefined => (id === 'javascript' || id === 'typescript' || id === 'tsx' ? 'js' : id === 'python' || id === 'go' || id === 'rust' ? id : undefined);

// Broad captures; the rules below read their text. Kept small: the audit parses only the changed files.
const QUERIES: Record<Family, string> = {
  js: `
(call_expression function: (_) @call.fn) @call
(new_expression constructor: (_) @call.fn) @call
(assignment_expression left: (_) @assign.lhs) @assign
(augmented_assignment_expression left: (_) @assign.lhs) @assign
(string) @str
(template_string) @str
(member_expression) @member
(subscript_expression) @member
(unary_expression operator: "typeof" argument: (_) @typeof.arg) @typeof
(variable_declarator name: (identifier) @alias.name value: (_) @alias.value)
(import_statement (import_clause) @alias.clause source: (string) @alias.source)
(variable_declarator name: (object_pattern) @unpack.names value: (_) @unpack.value)
`,
  python: `
(call function: (_) @call.fn) @call
(assignment left: (_) @assign.lhs) @assign
(augmented_assignment left: (_) @assign.lhs) @assign
(string) @str
(decorator) @decorator
(function_definition name: (identifier) @def.name) @def
(comparison_operator) @compare
(attribute) @attr
`,
  go: `
(call_expression function: (_) @call.fn) @call
(assignment_statement left: (_) @assign.lhs) @assign
(interpreted_string_literal) @str
(raw_string_literal) @str
(package_clause (package_identifier) @pkg)
(selector_expression) @sel
(comment) @comment
`,
  rust: `
(scoped_identifier) @path
(use_declaration) @use
(foreign_mod_item) @extern
(string_literal) @str
(attribute_item) @attr
(macro_invocation macro: (_) @macro)
`,
};

const ASSERTION_MODULES = /^["'](node:)?(assert(\/strict)?|chai|expect|should|node:test|test|vitest|@jest\/globals|power-assert|uvu\/assert|tap|tape|ava)["']$/;
const FRAMEWORK_NAMES = new Set(['assert', 'expect', 'describe', 'it', 'test', 'jest', 'vi', 'chai', 'should', 'suite', 'context', 'before', 'after', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'mocha', 'Mocha']);
const PY_FRAMEWORK = /^(unittest|TestCase|pytest|_pytest|builtins|__builtins__|doctest|self\.(assert\w*|fail\w*|skipTest))\b/;
const TEST_ENV = /\b(JEST_WORKER_ID|VITEST\w*|PYTEST_CURRENT_TEST|PYTEST_XDIST_WORKER|PYTEST_VERSION|NODE_TEST_CONTEXT|MOCHA_\w+|AVA_\w+|TAP_CHILD_ID|TAP_\w+|RUST_TEST_\w+|QWQ_\w+)\b/;
// The process's own exit and output machinery, named through `process` or a local name bound to it (`const p =
// process`, `const out = process.stdout`), by dot or by subscript. In library code a test runner that prints its
// results and sets its exit status in the same process (tape; go's and cargo's test binaries) can be made to
// report a pass it never saw: docs/architecture.md §5, "Where results come from".
const PROCESS_EXIT = /^(exit|reallyExit|abort|kill|exitCode|execve|removeAllListeners|removeListener|off)$/;
const PROCESS_OUTPUT = /^(stdout|stderr)$/;
const RESULTS = /\/proc\/|mountinfo|qwq-results|::qwq-test::/;
// Calls that end the test process, per language: called, or (the names with a dot) taken as a value.
const JS_EXIT_CALL = /^process\s*\.\s*(exit|kill|abort|reallyExit|execve)$/;
const PY_EXIT = /^(os\._exit|sys\.exit|os\.kill|os\.abort|os\.exec\w+|exit|quit|signal\.raise_signal)$/;
const GO_EXIT = /^(os\.Exit|syscall\.Exit|syscall\.Kill|runtime\.Goexit)$/;
/** Whether `node` is what its parent (a call of `callType`) calls. */
const isCallee = (node: Node, callType: string): boolean => {
  const fn = node.parent?.type === callType ? node.parent.childForFieldName('function') : null;
  return fn?.startIndex === node.startIndex && fn?.endIndex === node.endIndex;
};
const oneLine = (t: string): string => t.replace(/\s+/g, ' ').trim().slice(0, 120);
const rootName = (t: string): string => /^[\w$]+/.exec(t.replace(/^(globalThis|global|window|self)\s*\.\s*/, ''))?.[0] ?? '';

interface Hit { rule: AuditRule; why: string; node: Node }

const compiled = new Map<LanguageId, Promise<Query>>();
function queryFor(id: LanguageId, family: Family): Promise<Query> {
  let q = compiled.get(id);
  if (!q) {
    q = loadLanguage(id).then((language) => new Query(language, QUERIES[family]));
    compiled.set(id, q);
    q.catch(() => compiled.delete(id));
  }
  return q;
}

/** Code outside the tests: what a test imports, where an exit or a test-environment branch is never the fix. */
function isLibraryFile(path: string, text: string, family: Family, isJudgeFile: (path: string) => boolean): boolean {
  if (isJudgeFile(path)) return false;
  if (/(^|\/)(bin|scripts?|cmd)\//.test(path) || text.startsWith('#!')) return false;
  if (family === 'go' && /^\s*package\s+main\b/m.test(text)) return false;
  if (family === 'python' && /(^|\/)(__main__|manage|setup)\.py$/.test(path)) return false;
  if (family === 'rust' && /(^|\/)(main|build)\.rs$/.test(path)) return false;
  return true;
}

function jsHits(matches: QueryMatch[], library: boolean): Hit[] {
  const hits: Hit[] = [];
  const captures = matches.flatMap((m) => m.captures);
  // Local names bound to an assertion or test module: `const a = require('node:assert')`, `import * as a from 'assert'`.
  const aliases = new Set(FRAMEWORK_NAMES);
  for (const m of matches) {
    const get = (n: string): Node | undefined => m.captures.find((c) => c.name === n)?.node;
    const value = get('alias.value');
    const name = get('alias.name');
    if (value && name && /^require\(\s*["'][^"']+["']\s*\)/.test(value.text) && ASSERTION_MODULES.test(/["'][^"']+["']/.exec(value.text)![0])) aliases.add(name.text);
    const source = get('alias.source');
    if (source && ASSERTION_MODULES.test(source.text)) {
      for (const id of get('alias.clause')?.descendantsOfType('identifier') ?? []) if (id) aliases.add(id.text);
    }
  }
  const tampers = (target: string): boolean => aliases.has(rootName(target)) || /require\(\s*["'](node:)?(assert|chai)/.test(target);
  // Local names for the process and its output streams.
  const procs = new Set(['process']);
  const streams = new Set<string>();
  const props = (t: string): string[] => [...t.replace(/^(globalThis|global|window|self)\s*(\.\s*|\[\s*["'`](?=[\w$]+["'`]\s*\]))/, '').replace(/^([\w$]+)["'`]\s*\]/, '$1').matchAll(/^[\w$]+|\.\s*([\w$]+)|\[\s*["'`]([\w$]+)["'`]\s*\]/g)].map((m) => m[1] ?? m[2] ?? m[0]);
  for (const m of matches) {
    const name = m.captures.find((c) => c.name === 'alias.name')?.node.text;
    const value = m.captures.find((c) => c.name === 'alias.value')?.node.text;
    if (!name || !value) continue;
    const p = props(value.replace(/^require\(\s*["'](node:)?process["']\s*\)/, 'process'));
    if (p.length === 1 && procs.has(p[0])) procs.add(name);
    else if (p.length === 2 && procs.has(p[0]) && PROCESS_OUTPUT.test(p[1])) streams.add(name);
  }
  /** What a member expression names of the process: 'exit' (its exit path), 'output' (its output streams' writers), or nothing. */
  const processPart = (t: string): 'exit' | 'output' | undefined => {
    const p = props(t);
    if (p.length >= 2 && procs.has(p[0]) && PROCESS_EXIT.test(p[1])) return 'exit';
    if ((p.length >= 3 && procs.has(p[0]) && PROCESS_OUTPUT.test(p[1])) || (p.length >= 2 && streams.has(p[0]))) return 'output';
    return undefined;
  };
  /** An assignment to a member of the process or of its streams (its environment aside). */
  const replacesProcessPart = (t: string): boolean => {
    const p = props(t);
    return p.length >= 2 && ((procs.has(p[0]) && p[1] !== 'env') || streams.has(p[0]));
  };
  /** `process[k]`, `globalThis[a + b]`: a subscript on the process or the global object whose key is not a literal. */
  const isComputedOn = (n: Node): boolean => {
    const object = n.childForFieldName('object')?.text ?? '';
    const index = n.childForFieldName('index');
    // A symbol key (`globalThis[Symbol.for('x')]`, a common singleton) cannot name the process or its exit.
    const literal = index !== null && (index.type === 'string' || index.type === 'number' || (index.type === 'template_string' && !index.text.includes('${')) || /^Symbol\s*[.(]/.test(index.text));
    return !literal && (procs.has(object) || streams.has(object) || /^(globalThis|global|window|self)$/.test(object));
  };
  const same = (a: Node | null | undefined, b: Node): boolean => a?.startIndex === b.startIndex && a?.endIndex === b.endIndex;
  for (const { name, node } of captures) {
    const text = node.text;
    if (name === 'call.fn') {
      const call = node.parent!;
      if (library && JS_EXIT_CALL.test(text)) hits.push({ rule: 'exit', why: `it calls ${text} in library code, which can end the test run before the tests report`, node: call });
      if (/^(eval|Function|globalThis\.eval|vm\.run\w*)$/.test(text)) hits.push({ rule: 'dynamic', why: `it runs code built at run time (${text}), which this audit cannot read`, node: call });
      if (/^(Object\.(defineProperty|defineProperties|assign|setPrototypeOf)|Reflect\.(set|defineProperty))$/.test(text)) {
        const first = call.childForFieldName('arguments')?.namedChildren[0];
        if (first && tampers(first.text)) hits.push({ rule: 'assertion', why: `it redefines ${oneLine(first.text)}, an assertion or test-framework object, so failing checks may pass`, node: call });
      }
      if (/^(describe|it|test|context|suite|specify)\.(skip|only|todo|failing)$|^(xit|xdescribe|xtest|xcontext|xspecify|fit|fdescribe|ftest)$|^(this|t|ctx|context)\.(skip|todo)$/.test(text)) {
        hits.push({ rule: 'skip', why: `it adds ${text}, which skips tests or runs only some of them`, node: call });
      } else if (/^(describe|it|test|suite)$/.test(text) && /\{[^{}]*\b(skip|only|todo)\s*:/.test(call.childForFieldName('arguments')?.text ?? '')) {
        hits.push({ rule: 'skip', why: `it adds a skip/only/todo option to ${text}(…), which skips tests or runs only some of them`, node: call });
      }
    } else if (name === 'assign.lhs') {
      if (tampers(text)) hits.push({ rule: 'assertion', why: `it assigns to ${oneLine(text)}, an assertion or test-framework object, so failing checks may pass`, node: node.parent! });
      else if (library && /^process\s*\.\s*exitCode$/.test(text)) hits.push({ rule: 'exit', why: 'it sets process.exitCode in library code, which decides how the test run ends', node: node.parent! });
      else if (library && replacesProcessPart(text)) hits.push({ rule: 'results', why: `it replaces ${oneLine(text)} in library code, which decides what the test run prints or how it ends`, node: node.parent! });
    } else if (name === 'member' && library && processPart(text) === 'exit' && node.parent?.type !== 'member_expression' && node.parent?.type !== 'subscript_expression'
      && !(node.parent?.type === 'assignment_expression' && same(node.parent.childForFieldName('left'), node))
      && !(isCallee(node, 'call_expression') && JS_EXIT_CALL.test(text))) {
      // The plain call and assignment are the rules above; this sees `p.exit(0)`, `process['exit']`, `fn = process.exit`.
      hits.push({ rule: 'exit', why: `it reaches ${oneLine(text)} in library code, which can end the test run with a status of its choosing`, node });
    } else if (name === 'member' && library && node.type === 'subscript_expression' && isComputedOn(node)) {
      hits.push({ rule: 'dynamic', why: `it reaches ${oneLine(node.childForFieldName('object')?.text ?? '')}[…] by a name computed at run time in library code, which this audit cannot read (the process's exit, for one)`, node });
    } else if (name === 'unpack.value' && library && procs.has(props(text)[0] ?? '') && props(text).length === 1) {
      const names = node.parent?.childForFieldName('name')?.text ?? '';
      if (/\b(exit|reallyExit|abort|kill)\b/.test(names)) hits.push({ rule: 'exit', why: `it takes ${oneLine(names)} from the process in library code, which can end the test run with a status of its choosing`, node: node.parent! });
    } else if (name === 'member' && library) {
      if (/^process\s*\.\s*env\b/.test(text) && TEST_ENV.test(text) && !/^process\s*\.\s*env$/.test(text)) {
        if (node.parent?.type !== 'member_expression') hits.push({ rule: 'test-env', why: `it reads ${oneLine(text)}, so the code can behave differently under the tests`, node });
      } else if (/^process\s*\.\s*env\s*(\.\s*NODE_ENV|\[\s*["']NODE_ENV["']\s*\])$/.test(text)) {
        const around = node.parent?.type === 'binary_expression' ? node.parent.text : '';
        if (/["'`]test["'`]/.test(around)) hits.push({ rule: 'test-env', why: `it branches on ${oneLine(around)}, so the code can behave differently under the tests`, node: node.parent! });
      }
    } else if (name === 'typeof.arg' && library && FRAMEWORK_NAMES.has(text)) {
      hits.push({ rule: 'test-env', why: `it checks typeof ${text}, so the code can behave differently under the tests`, node: node.parent! });
    } else if (name === 'str') {
      if (RESULTS.test(text)) hits.push({ rule: 'results', why: `it names ${oneLine(text)}: reading /proc or the test results location can forge how tests report`, node });
    }
  }
  return hits;
}

function pythonHits(matches: QueryMatch[], library: boolean): Hit[] {
  const hits: Hit[] = [];
  const captures = matches.flatMap((m) => m.captures);
  for (const { name, node } of captures) {
    const text = node.text;
    if (name === 'call.fn') {
      const call = node.parent!;
      if (library && PY_EXIT.test(text)) hits.push({ rule: 'exit', why: `it calls ${text} in library code, which can end the test run before the tests report`, node: call });
      if (/^(setattr|monkeypatch\.setattr|\w+\.setattr)$/.test(text)) {
        const first = call.childForFieldName('arguments')?.namedChildren[0];
        if (first && PY_FRAMEWORK.test(first.text.replace(/^["']/, ''))) hits.push({ rule: 'assertion', why: `it replaces part of ${oneLine(first.text)}, an assertion or test-framework object, so failing checks may pass`, node: call });
      }
      if (/^(exec|eval|compile|__import__)$/.test(text)) hits.push({ rule: 'dynamic', why: `it runs code built at run time (${text}), which this audit cannot read`, node: call });
      if (/^(pytest\.(skip|xfail|importorskip)|self\.skipTest|unittest\.skip\w*)$/.test(text)) hits.push({ rule: 'skip', why: `it adds ${text}(…), which skips a test`, node: call });
    } else if (name === 'assign.lhs') {
      if (PY_FRAMEWORK.test(text)) hits.push({ rule: 'assertion', why: `it assigns to ${oneLine(text)}, an assertion or test-framework object, so failing checks may pass`, node: node.parent! });
    } else if (name === 'decorator') {
      if (/pytest\.mark\.(skip|skipif|xfail)|unittest\.(skip|skipIf|skipUnless|expectedFailure)|^@(skip|skipIf|expectedFailure)\b/.test(text)) hits.push({ rule: 'skip', why: `it adds ${oneLine(text)}, which skips a test or turns its failure into a pass`, node });
      else if (/pytest\.hookimpl|pytest\.hookspec/.test(text)) hits.push({ rule: 'hook', why: `it adds ${oneLine(text)}: a pytest hook can change how results are reported`, node });
    } else if (name === 'def.name' && /^pytest_/.test(text)) {
      hits.push({ rule: 'hook', why: `it defines the pytest hook ${text}, which can change how tests are collected or reported`, node: node.parent! });
    } else if (name === 'attr' && library && PY_EXIT.test(text) && !isCallee(node, 'call')) {
      hits.push({ rule: 'exit', why: `it takes ${text} as a value in library code, to end the test run before the tests report`, node });
    } else if (name === 'compare' && library && /["'](pytest|_pytest|unittest)["']\s+in\s+sys\.modules/.test(text)) {
      hits.push({ rule: 'test-env', why: `it checks ${oneLine(text)}, so the code can behave differently under the tests`, node });
    } else if (name === 'str') {
      if (RESULTS.test(text)) hits.push({ rule: 'results', why: `it names ${oneLine(text)}: reading /proc or the test results location can forge how tests report`, node });
      else if (library && TEST_ENV.test(text)) hits.push({ rule: 'test-env', why: `it reads the test-environment variable ${oneLine(text)}, so the code can behave differently under the tests`, node });
    }
  }
  return hits;
}

function goHits(matches: QueryMatch[], library: boolean): Hit[] {
  const hits: Hit[] = [];
  const captures = matches.flatMap((m) => m.captures);
  for (const { name, node } of captures) {
    const text = node.text;
    if (name === 'call.fn') {
      const call = node.parent!;
      if (library && GO_EXIT.test(text)) hits.push({ rule: 'exit', why: `it calls ${text} in library code, which can end the test run before the tests report`, node: call });
      if (library && /^(testing\.Testing|flag\.Lookup)$/.test(text)) hits.push({ rule: 'test-env', why: `it calls ${text}, so the code can behave differently under the tests`, node: call });
      if (/\.(Skip|SkipNow|Skipf)$/.test(text)) hits.push({ rule: 'skip', why: `it adds ${text}(…), which skips a test`, node: call });
    } else if (name === 'sel' && library && /^(syscall|unix)\.(Raw)?Syscall\d*(NoError)?$|^unix\.(Exit|Kill|Tgkill)$/.test(text)) {
      hits.push({ rule: 'exit', why: `it makes a raw system call (${text}) in library code, which can end the test run before the tests report`, node });
    } else if (name === 'sel' && library && /^(syscall|unix)\.Exec$/.test(text)) {
      hits.push({ rule: 'exit', why: `it replaces the running process with another program (${text}) in library code, which then reports for the tests`, node });
    } else if (name === 'str' && library && text === '"C"' && node.parent?.type === 'import_spec') {
      hits.push({ rule: 'dynamic', why: 'it imports "C" (cgo) in library code, whose C this audit cannot read', node });
    } else if (name === 'comment' && library && /^\/\/go:linkname\b/.test(text)) {
      hits.push({ rule: 'dynamic', why: `it binds a runtime internal by name (${oneLine(text)}) in library code, which this audit cannot read`, node });
    } else if (name === 'sel' && library && GO_EXIT.test(text) && !isCallee(node, 'call_expression')) {
      hits.push({ rule: 'exit', why: `it takes ${text} as a value in library code, to end the test run before the tests report`, node });
    } else if (name === 'str') {
      if (RESULTS.test(text)) hits.push({ rule: 'results', why: `it names ${oneLine(text)}: reading /proc or the test results location can forge how tests report`, node });
      else if (library && (TEST_ENV.test(text) || /^["`]-?test\.\w+/.test(text))) hits.push({ rule: 'test-env', why: `it reads ${oneLine(text)}, so the code can behave differently under the tests`, node });
    }
  }
  return hits;
}

// Rust: a cargo test binary prints its own report and exits with the status the process ends with, so an exit from
// library code can follow a forged report (test/component/verify/exitPath.faults).
// Any path that ends in an exit (`p::exit` after `use std::process as p`, `libc::_exit`): library code that names one is rare.
const RUST_EXIT = /::(exit|_exit|abort)$|^libc::(kill|raise|syscall)$/;
const inUse = (n: Node): boolean => {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'use_declaration') return true;
  return false;
};
function rustHits(matches: QueryMatch[], library: boolean): Hit[] {
  const hits: Hit[] = [];
  for (const { name, node } of matches.flatMap((m) => m.captures)) {
    const text = node.text;
    if (name === 'path' && library && RUST_EXIT.test(text.replace(/\s+/g, '')) && node.parent?.type !== 'scoped_identifier') {
      hits.push({ rule: 'exit', why: `it uses ${oneLine(text)} in library code, which can end the test run before the tests report`, node: node.parent?.type === 'call_expression' ? node.parent : node });
    } else if ((name === 'use' || (name === 'path' && !inUse(node))) && library && /\bCommandExt\b/.test(text) && node.parent?.type !== 'scoped_identifier') {
      hits.push({ rule: 'exit', why: `it uses ${oneLine(text)} in library code, whose exec() replaces the test binary with another program that then reports for the tests`, node });
    } else if (name === 'use' && library && /process::\{[^}]*\b(exit|abort)\b/.test(text.replace(/\s+/g, ''))) {
      hits.push({ rule: 'exit', why: `it imports ${oneLine(text)} in library code, which can end the test run before the tests report`, node });
    } else if (name === 'macro' && library && /(^|::)(asm|global_asm|naked_asm)$/.test(text)) {
      hits.push({ rule: 'dynamic', why: `it adds inline assembly (${text}!) in library code, which this audit cannot read`, node: node.parent ?? node });
    } else if (name === 'extern' && library) {
      hits.push({ rule: 'dynamic', why: 'it declares foreign functions (an extern block) in library code, which this audit cannot read', node });
    } else if (name === 'attr' && /^#\[\s*ignore\b/.test(text)) {
      hits.push({ rule: 'skip', why: `it adds ${oneLine(text)}, which skips a test`, node });
    } else if (name === 'str') {
      if (RESULTS.test(text)) hits.push({ rule: 'results', why: `it names ${oneLine(text)}: reading /proc or the test results location can forge how tests report`, node });
      else if (library && TEST_ENV.test(text)) hits.push({ rule: 'test-env', why: `it reads ${oneLine(text)}, so the code can behave differently under the tests`, node });
    }
  }
  return hits;
}

const HITS: Record<Family, typeof jsHits> = { js: jsHits, python: pythonHits, go: goHits, rust: rustHits };

type Found = Omit<AuditFinding, 'path'>;

async function hitsIn(path: string, text: string, id: LanguageId, family: Family, isJudgeFile: (path: string) => boolean): Promise<Found[]> {
  const query = await queryFor(id, family);
  // The tree is the shared cache's (the syntax check of the same change parsed it, or reads this one): a fresh parse,
  // as the rules read the tree's shape. What is needed is read from its nodes inside the callback, while the cache keeps them.
  const found = await withTree(id, text, (tree) => HITS[family](query.matches(tree.rootNode), isLibraryFile(path, text, family, isJudgeFile))
    .map((h) => ({ rule: h.rule, why: h.why, code: oneLine(h.node.text), line: h.node.startPosition.row + 1 })), { fresh: true });
  return found ?? [];
}

/**
 * Audits the changed files: what each rule finds in the edited text beyond what it found in the text before.
 * `isJudgeFile` tells test and config files from library code (judgeFiles.ts).
 */
export async function auditPatch(changes: readonly FileChange[], isJudgeFile: (path: string) => boolean): Promise<AuditReport> {
  const findings: AuditFinding[] = [];
  const unaudited: string[] = [];
  for (const c of changes) {
    if (c.deleted) continue;
    const id = languageForPath(c.path);
    const family = id && familyOf(id);
    if (!id || !family) {
      if (id) unaudited.push(c.path);
      continue;
    }
    const after = await hitsIn(c.path, c.after, id, family, isJudgeFile);
    if (after.length === 0) continue;
    const key = (h: Found): string => `${h.rule}\0${h.code}`;
    const before = new Map<string, number>();
    for (const h of c.before ? await hitsIn(c.path, c.before, id, family, isJudgeFile) : []) before.set(key(h), (before.get(key(h)) ?? 0) + 1);
    const seen = new Map<string, number>();
    const unique = after.filter((h, i) => after.findIndex((o) => o.rule === h.rule && o.line === h.line && o.code === h.code) === i);
    for (const h of unique) {
      const k = key(h);
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      if (n <= (before.get(k) ?? 0)) continue;
      findings.push({ path: c.path, ...h });
    }
  }
  return { findings, unaudited } as unknown as AuditReport;
}
