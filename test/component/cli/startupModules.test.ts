// What a CLI start-up loads, run as the user runs it (`node out/cli.js …`, the built chunks): `--version`, the help
// pages and `verify` never load the MCP SDK (and its zod and ajv), node-llama-cpp, the model runtime or the agent
// loop; each command's module loads only when that command runs (src/cli/commands/index.ts). A probe preloaded with
// --import (test/support/moduleProbe.mjs) lists every module the process loads; each loaded bundle file's source
// map names the sources it holds, so the check holds for chunks and for a single bundle alike.
// A verify loads the result parsers only for the runs that need them (tap-parser and its YAML reader for TAP,
// fast-xml-parser for JUnit XML, json5 for a build step's tsconfig), and never the context engine itself.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI, ROOT, ensureCli } from '../../support/cliWorkspace';
import { filesDir, scratchDir } from '../../support/scratchDir';
import { makeProject } from '../verify/projects';

const PROBE = pathToFileURL(join(ROOT, 'test/support/moduleProbe.mjs')).href;
const NODE_WORKSPACE = join(ROOT, 'test/fixtures/workspaces/node');
const PYTHON_WORKSPACE = join(ROOT, 'test/fixtures/workspaces/python');

/** The packages and product modules the fast paths must not load. */
const HEAVY: Array<[string, RegExp]> = [
  ['the MCP SDK', /(^|\/)node_modules\/@modelcontextprotocol\//],
  ['zod', /(^|\/)node_modules\/zod\//],
  ['ajv', /(^|\/)node_modules\/ajv(-formats)?\//],
  ['node-llama-cpp', /(^|\/)node-llama-cpp(\/|$)|@node-llama-cpp\//],
  ['the model runtime', /^src\/core\/model\//],
  ['the agent loop', /^src\/core\/agent\/(agent|agentTools|qwqCore)\.ts$/],
  ['the mcp command', /^src\/cli\/commands\/mcp\.ts$/],
];

/** What a verify whose results come through our reporters (node:test, pytest) never needs. */
const PARSERS_AND_ENGINE: Array<[string, RegExp]> = [
  ['yaml', /(^|\/)node_modules\/yaml\//],
  ['tap-parser', /(^|\/)node_modules\/tap-parser\//],
  ['fast-xml-parser', /(^|\/)node_modules\/fast-xml-parser\//],
  ['json5', /(^|\/)node_modules\/json5\//],
  ["the context engine's engine.ts", /^src\/core\/context\/engine\.ts$/],
  ["the context engine's symbol index", /^src\/core\/context\/symbolIndex\.ts$/],
];

before(() => ensureCli());

interface Loaded { ids: string[]; sources: string[]; code: number | null; output: string }

/** Runs the CLI (or `cli`, another build's) under the probe; returns the module ids it loaded and the sources of the bundle files among them. */
function probed(args: string[], cli = CLI): Promise<Loaded> {
  const out = join(scratchDir('qwq-probe-'), 'modules.txt');
  const env: NodeJS.ProcessEnv = { ...process.env, QWQ_MODULE_PROBE_OUT: out };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((done, fail) => {
    const c = spawn(process.execPath, ['--import', PROBE, cli, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    c.stdout.on('data', (d) => { output += d; });
    c.stderr.on('data', (d) => { output += d; });
    c.on('error', fail);
    c.on('close', (code) => {
      const ids = existsSync(out) ? [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))] : [];
      done({ ids, sources: bundledSources(ids), code, output });
    });
  });
}

/** The sources (relative to the repository) that the loaded bundle files hold, read from their source maps. */
function bundledSources(ids: string[]): string[] {
  const sources = new Set<string>();
  for (const id of ids) {
    const file = id.startsWith('file:') ? fileURLToPath(id) : id.replace(/^cjs:/, '');
    if (!isAbsolute(file) || !existsSync(`${file}.map`)) continue;
    // This build's out/, or a copy of it (whose sources the map names from the copy's place: read them from ROOT's).
    const out = file.startsWith(join(ROOT, 'out')) ? join(ROOT, 'out') : ancestorNamed(file, 'out');
    if (!out) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; sourceRoot?: string };
    const asBuilt = join(ROOT, 'out', relative(out, dirname(file)));
    for (const s of map.sources) sources.add(relative(ROOT, resolve(asBuilt, map.sourceRoot ?? '', s)));
  }
  return [...sources].sort();
}

function ancestorNamed(file: string, name: string): string | undefined {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) if (d.endsWith(`/${name}`)) return d;
  return undefined;
}

function heavyLoaded(l: Loaded, heavy = HEAVY): string[] {
  const found: string[] = [];
  for (const [what, pattern] of heavy) {
    const hit = [...l.sources, ...l.ids].find((s) => pattern.test(s));
    if (hit) found.push(`${what} (${hit})`);
  }
  return found;
}

for (const args of [['--version'], ['--help'], ['verify', '--help'], ['apply', '--help']]) {
  test(`CLI start-up: \`qwq-coder ${args.join(' ')}\` loads no command module, of the core only its utilities and the run-folder sweep`, async () => {
    const l = await probed(args);
    assert.equal(l.code, 0, l.output);
    assert.ok(l.sources.includes('src/cli/main.ts'), `the probe saw the CLI's own sources:\n${l.sources.join('\n')}`);
    assert.deepEqual(heavyLoaded(l), []);
    // No package at all, no command's module, and of the core only its utilities and what the sweep needs (never
    // the verifier's entry, the shadow or the runners).
    const beyond = l.sources.filter((s) => s.startsWith('node_modules/') || /^src\/cli\/commands\/(?!(index|isolationFlags)\.ts$)/.test(s)
      || /^src\/core\/(?!util\/|verify\/)/.test(s) || /^src\/core\/verify\/(index|verifyChanges|shadow|runTests|detect|sandbox)\.ts$|^src\/core\/verify\/results\//.test(s));
    assert.deepEqual(beyond, [], 'a help page or --version loaded more than the specs and the run-folder sweep');
    assert.ok(l.sources.includes('src/core/verify/staleRuns.ts'), 'every start sweeps stale run folders');
  });
}

test('CLI verify: a real verify (fixture node workspace, fix.patch) loads neither the MCP SDK, zod, ajv nor node-llama-cpp, the model runtime or the agent loop', async () => {
  const l = await probed(['verify', '--workspace', NODE_WORKSPACE, '--patch', join(NODE_WORKSPACE, 'fix.patch'), '--json', '--timeout', '120']);
  assert.equal(l.code, 0, l.output);
  assert.equal(JSON.parse(l.output.trim().split('\n').find((s) => s.startsWith('{'))!).verdict, 'verified');
  assert.ok(l.sources.includes('src/core/agent/verifyPatch.ts') && l.sources.some((s) => s.startsWith('src/core/verify/')), 'the probe saw the verifier load');
  assert.deepEqual(heavyLoaded(l), []);
});

test('CLI module probe: it does see the MCP SDK and zod when `qwq-coder mcp` runs (so the checks above can fail)', async () => {
  const l = await probed(['mcp', '--no-verify']);
  assert.equal(l.code, 0, l.output);
  const found = heavyLoaded(l);
  assert.ok(found.some((f) => f.startsWith('the MCP SDK')), `found: ${found.join(', ')}`);
  assert.ok(found.some((f) => f.startsWith('zod')), `found: ${found.join(', ')}`);
  assert.ok(found.some((f) => f.startsWith('the mcp command')), `found: ${found.join(', ')}`);
});

for (const [name, workspace] of [['node:test', NODE_WORKSPACE], ['pytest', PYTHON_WORKSPACE]] as const) {
  test(`CLI verify: a ${name} verify loads no result parser it does not read (yaml, tap-parser, fast-xml-parser, json5) and not the context engine`, async () => {
    const l = await probed(['verify', '--workspace', workspace, '--patch', join(workspace, 'fix.patch'), '--json', '--timeout', '120']);
    assert.equal(l.code, 0, l.output);
    const verdict = JSON.parse(l.output.trim().split('\n').find((s) => s.startsWith('{'))!) as { verdict: string; runner: string; candidate: { passed: number } };
    assert.equal(verdict.verdict, 'verified');
    assert.equal(verdict.runner, name);
    assert.ok(verdict.candidate.passed > 0, 'per-test results were read');
    // The syntax check and the audit did run (their modules load after the first test process started).
    assert.ok(l.sources.includes('src/core/context/syntax.ts') && l.sources.includes('src/core/verify/policy/audit.ts'), `the syntax check and the audit loaded:\n${l.sources.join('\n')}`);
    assert.deepEqual(heavyLoaded(l, [...HEAVY, ...PARSERS_AND_ENGINE]), []);
  });
}

test('CLI verify: a TAP runner (tape) still reads per-test results, with tap-parser loaded for that run (so the check above can fail)', async () => {
  const p = makeProject('tape');
  const l = await probed(['verify', '--workspace', p.dir, '--patch', p.fix, '--json', '--timeout', '120']);
  assert.equal(l.code, 0, l.output);
  const verdict = JSON.parse(l.output.trim().split('\n').find((s) => s.startsWith('{'))!) as { verdict: string; runner: string; baseline: { passed: number; failed: number }; candidate: { passed: number; failed: number }; newlyPassing: string[] };
  assert.equal(verdict.runner, 'tape');
  assert.equal(verdict.verdict, 'verified');
  assert.deepEqual([verdict.baseline, verdict.candidate], [{ passed: 1, failed: 1 }, { passed: 2, failed: 0 }]);
  assert.deepEqual(verdict.newlyPassing, ['multiplies']);
  const found = heavyLoaded(l, PARSERS_AND_ENGINE);
  assert.ok(found.some((f) => f.startsWith('tap-parser')) && found.some((f) => f.startsWith('yaml')), `found: ${found.join(', ')}`);
  assert.ok(!found.some((f) => /fast-xml-parser|json5|context engine/.test(f)), `found: ${found.join(', ')}`);
});

/** A copy of the build without the chunk that holds `pkg` (as a broken install would be); its packages resolve through a link to this repository's node_modules. */
function buildWithout(pkg: string): string {
  const copy = scratchDir('qwq-cli-copy-');
  cpSync(join(ROOT, 'out'), join(copy, 'out'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const chunks = readdirSync(join(copy, 'out/cli')).filter((f) => f.endsWith('.mjs') && existsSync(join(copy, 'out/cli', `${f}.map`)));
  const holding = chunks.filter((f) => (JSON.parse(readFileSync(join(copy, 'out/cli', `${f}.map`), 'utf8')) as { sources: string[] }).sources.some((s) => s.includes(`node_modules/${pkg}/`)));
  assert.equal(holding.length, 1, `one chunk holds ${pkg}: ${holding.join(', ')}`);
  rmSync(join(copy, 'out/cli', holding[0]));
  return join(copy, 'out/cli.js');
}

/** A node:test project whose `pretest` is the real tsc (its tsconfig is read for the build's inputs and output). */
function tscProject(): { dir: string; patch: string } {
  const dir = filesDir('qwq-tsc-', {
    'package.json': JSON.stringify({ name: 'p', private: true, scripts: { pretest: 'tsc', test: 'node --test test/add.test.cjs' } }),
    // JSON with a comment and a trailing comma, as tsconfig files are.
    'tsconfig.json': '{\n  // the build\n  "compilerOptions": { "outDir": "build", "module": "commonjs", "target": "es2020", "strict": true },\n  "include": ["src"],\n}\n',
    'src/add.ts': 'export function add(a: number, b: number): number {\n  return a - b;\n}\n',
    'test/add.test.cjs': "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../build/add.js');\ntest('adds', () => assert.equal(add(2, 3), 5));\ntest('zero', () => assert.equal(add(0, 0), 0));\n",
    'fix.patch': 'src/add.ts\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n',
  });
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/typescript'), join(dir, 'node_modules/typescript'));
  symlinkSync('../typescript/bin/tsc', join(dir, 'node_modules/.bin/tsc'));
  return { dir, patch: join(dir, 'fix.patch') };
}

test('CLI verify: a tsc build step has its tsconfig read with json5, loaded for that run', async () => {
  const p = tscProject();
  const l = await probed(['verify', '--workspace', p.dir, '--patch', p.patch, '--json', '--timeout', '120']);
  assert.equal(l.code, 0, l.output);
  const verdict = JSON.parse(l.output.trim().split('\n').find((s) => s.startsWith('{'))!) as { verdict: string; newlyPassing: string[] };
  assert.equal(verdict.verdict, 'verified');
  assert.deepEqual(verdict.newlyPassing, ['test/add.test.cjs::adds']);
  const found = heavyLoaded(l, PARSERS_AND_ENGINE);
  assert.ok(found.some((f) => f.startsWith('json5')), `found: ${found.join(', ')}`);
  assert.ok(!found.some((f) => /yaml|tap-parser|fast-xml-parser|context engine/.test(f)), `found: ${found.join(', ')}`);
});

for (const [pkg, what, project] of [
  ['tap-parser', /cannot load the TAP parser \(tap-parser\)/, () => { const p = makeProject('tape'); return { dir: p.dir, patch: p.fix }; }],
  ['json5', /cannot load the tsconfig reader \(json5\)/, tscProject],
] as const) {
  test(`CLI verify: a run whose ${pkg} cannot load is an error verdict that names it, never a pass`, async () => {
    const cli = buildWithout(pkg);
    const p = project();
    const l = await probed(['verify', '--workspace', p.dir, '--patch', p.patch, '--json', '--timeout', '120'], cli);
    assert.equal(l.code, 1, l.output);
    const verdict = JSON.parse(l.output.trim().split('\n').find((s) => s.startsWith('{'))!) as { verdict: string; message: string };
    assert.equal(verdict.verdict, 'error');
    assert.match(verdict.message, what);
  });
}
