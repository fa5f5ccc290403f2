// Finds the workspace's test command (DESIGN §6.6) and the runner behind it: the runner decides how we ask
// for structured results and how we select related tests. A setting (or CLI flag) overrides detection.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type RunnerKind = 'node:test' | 'jest' | 'vitest' | 'mocha' | 'pytest' | 'go' | 'cargo' | 'script';

export interface TestCommand {
  runner: RunnerKind;
  /** Shell commands that must run first (e.g. "tsc" in "tsc && node --test"), joined with " && ". */
  prefix: string;
  /** The runner's own command, e.g. "node --test test/" or "python3 -m pytest -q". */
  base: string;
  /** Where the command came from, for messages: "package.json scripts.test", "go.mod", "setting"… */
  source: string;
}

/** Which runner a single shell command segment starts. */
export function runnerOf(segment: string): RunnerKind | undefined {
  const s = ` ${segment} `;
  if (/\snode(\.exe)?\s(.*\s)?--test(\s|=)/.test(s)) return 'node:test';
  if (/[\s/]vitest\s/.test(s)) return 'vitest';
  if (/[\s/]jest\s/.test(s)) return 'jest';
  if (/[\s/]mocha\s/.test(s)) return 'mocha';
  if (/[\s/]pytest\s/.test(s) || /\spython[\d.]*\s+-m\s+pytest\s/.test(s)) return 'pytest';
  if (/\sgo\s+test\s/.test(s)) return 'go';
  if (/\scargo\s+test\s/.test(s)) return 'cargo';
  return undefined;
}

/** Splits a shell command on && and ; and picks the last segment that runs a known runner. */
export function commandFromScript(script: string, source: string): TestCommand {
  const segments = script.split(/&&|;/).map((s) => s.trim()).filter(Boolean);
  for (let i = segments.length - 1; i >= 0; i--) {
    const runner = runnerOf(segments[i]);
    if (runner) return { runner, prefix: segments.slice(0, i).join(' && '), base: segments[i], source };
  }
  return { runner: 'script', prefix: '', base: script.trim(), source };
}

const NPM_PLACEHOLDER = /no test specified/;

function readJson(path: string): Record<string, unknown> | undefined {
  try { return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>; } catch { return undefined; }
}

/** Follows "npm run x" / "yarn x" / "pnpm x" references between scripts, a few levels deep. */
function resolveScript(scripts: Record<string, string>, name: string): string | undefined {
  let script = scripts[name];
  for (let depth = 0; script && depth < 5; depth++) {
    const ref = /^\s*(?:npm\s+(?:run(?:-script)?\s+)?|yarn\s+(?:run\s+)?|pnpm\s+(?:run\s+)?)([\w:.-]+)\s*$/.exec(script);
    if (!ref || !(ref[1] in scripts) || ref[1] === name) break;
    name = ref[1];
    script = scripts[name];
  }
  return script;
}

function hasPythonTests(root: string): boolean {
  if (['pytest.ini', 'conftest.py', 'tox.ini'].some((f) => existsSync(join(root, f)))) return true;
  const pyproject = join(root, 'pyproject.toml');
  if (existsSync(pyproject) && /\[tool\.pytest|pytest/.test(readFileSync(pyproject, 'utf8'))) return true;
  const setupCfg = join(root, 'setup.cfg');
  if (existsSync(setupCfg) && /\[tool:pytest\]/.test(readFileSync(setupCfg, 'utf8'))) return true;
  const looksLikeTest = (f: string): boolean => /^test_.*\.py$|_test\.py$/.test(f);
  try {
    if (readdirSync(root).some(looksLikeTest)) return true;
    for (const d of ['tests', 'test']) if (existsSync(join(root, d)) && readdirSync(join(root, d)).some(looksLikeTest)) return true;
  } catch { /* unreadable: no */ }
  return false;
}

function pythonFor(root: string): string {
  for (const venv of ['.venv', 'venv']) if (existsSync(join(root, venv, 'bin', 'python'))) return `${venv}/bin/python`;
  return 'python3';
}

/**
 * The test command for `root`, or undefined when none was found. `override` (the qwq.tests.command setting
 * or --test-command) wins; it is still parsed, so a known runner behind it gets structured results.
 */
export function detectTestCommand(root: string, override?: string): TestCommand | undefined {
  if (override && override.trim()) return commandFromScript(override, 'setting qwq.tests.command');
  const pkg = readJson(join(root, 'package.json'));
  if (pkg) {
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    const script = resolveScript(scripts, 'test');
    if (script && !NPM_PLACEHOLDER.test(script)) return commandFromScript(script, 'package.json scripts.test');
    const deps = { ...(pkg.devDependencies as object ?? {}), ...(pkg.dependencies as object ?? {}) } as Record<string, string>;
    if (deps.vitest) return { runner: 'vitest', prefix: '', base: 'vitest run', source: 'package.json devDependencies' };
    if (deps.jest) return { runner: 'jest', prefix: '', base: 'jest', source: 'package.json devDependencies' };
    if (deps.mocha) return { runner: 'mocha', prefix: '', base: 'mocha', source: 'package.json devDependencies' };
  }
  if (hasPythonTests(root)) return { runner: 'pytest', prefix: '', base: `${pythonFor(root)} -m pytest`, source: 'pytest files' };
  if (existsSync(join(root, 'go.mod'))) return { runner: 'go', prefix: '', base: 'go test ./...', source: 'go.mod' };
  if (existsSync(join(root, 'Cargo.toml'))) return { runner: 'cargo', prefix: '', base: 'cargo test', source: 'Cargo.toml' };
  return undefined;
}

export const NO_TEST_COMMAND_MESSAGE = 'no test command found: looked for package.json scripts.test (jest, vitest, mocha, node --test), pytest files, go.mod and Cargo.toml. Set qwq.tests.command (or --test-command) to name one.';
