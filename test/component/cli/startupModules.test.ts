// What a CLI start-up loads, run as the user runs it (`node out/cli.js …`, the built chunks): `--version`, the help
// pages and `verify` never load the MCP SDK (and its zod and ajv), node-llama-cpp, the model runtime or the agent
// loop; each command's module loads only when that command runs (src/cli/commands/index.ts). A probe preloaded with
// --import (test/support/moduleProbe.mjs) lists every module the process loads; each loaded bundle file's source
// map names the sources it holds, so the check holds for chunks and for a single bundle alike.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI, ROOT, ensureCli } from '../../support/cliWorkspace';
import { scratchDir } from '../../support/scratchDir';

const PROBE = pathToFileURL(join(ROOT, 'test/support/moduleProbe.mjs')).href;
const NODE_WORKSPACE = join(ROOT, 'test/fixtures/workspaces/node');

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

before(() => ensureCli());

interface Loaded { ids: string[]; sources: string[]; code: number | null; output: string }

/** Runs the CLI under the probe; returns the module ids it loaded and the sources of the bundle files among them. */
function probed(args: string[]): Promise<Loaded> {
  const out = join(scratchDir('qwq-probe-'), 'modules.txt');
  const env: NodeJS.ProcessEnv = { ...process.env, QWQ_MODULE_PROBE_OUT: out };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((done, fail) => {
    const c = spawn(process.execPath, ['--import', PROBE, CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    if (!isAbsolute(file) || !file.startsWith(join(ROOT, 'out')) || !existsSync(`${file}.map`)) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; sourceRoot?: string };
    for (const s of map.sources) sources.add(relative(ROOT, resolve(dirname(file), map.sourceRoot ?? '', s)));
  }
  return [...sources].sort();
}

function heavyLoaded(l: Loaded): string[] {
  const found: string[] = [];
  for (const [what, pattern] of HEAVY) {
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
