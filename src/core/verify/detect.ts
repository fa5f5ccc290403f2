// Finds the workspace's test command (docs/architecture.md §5) and the runner behind it: the runner decides
// how we get structured results and how we select related tests. A setting (or CLI flag) overrides detection.
// For a package.json script we also keep what running it *as the user does* needs: the package manager its
// lockfile names, the steps that run around the runner (pre/post scripts, `build && …`, `lint && …`).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { splitSteps } from './shellSyntax';
import { CORE_MESSAGES } from '../messages';

export { splitSteps } from './shellSyntax';

export type RunnerKind = 'node:test' | 'jest' | 'vitest' | 'mocha' | 'ava' | 'tape' | 'pytest' | 'go' | 'cargo' | 'script';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface TestCommand {
  runner: RunnerKind;
  /** Shell commands that must run first (e.g. "tsc" in "tsc && node --test"), joined with " && ". */
  prefix: string;
  /** The runner's own command, e.g. "node --test test/" or "python3 -m pytest -q". */
  base: string;
  /** Where the command came from, for messages: "package.json scripts.test", "go.mod", "setting"… */
  source: string;
  /** A package.json script run through its package manager (`npm test` semantics). */
  script?: PackageScript;
}

export interface PackageScript {
  /** The script's name ("test"). */
  name: string;
  pm: PackageManager;
  /**
   * Every simple step the script runs, in order, with pre/post scripts and `npm run x` references expanded
   * (as this package manager runs them). `runnerIndex` is the step that runs the test runner.
   */
  steps: string[];
  runnerIndex: number;
  /** package.json scripts, to look inside a step that runs another script (`npm run lint`). */
  scripts: Record<string, string>;
  /** Whether this package manager runs pre/post scripts. */
  prePost: boolean;
}

/** Which runner a single shell command segment starts. */
export function runnerOf(segment: string): RunnerKind | undefined {
  const s = ` ${segment} `;
  if (/\snode(\.exe)?\s(.*\s)?--test(\s|=)/.test(s)) return 'node:test';
  if (/[\s/]vitest\s/.test(s)) return 'vitest';
  if (/[\s/]jest\s/.test(s)) return 'jest';
  if (/[\s/]mocha\s/.test(s)) return 'mocha';
  if (/[\s/]ava\s/.test(s)) return 'ava';
  if (/[\s/]tape\s/.test(s)) return 'tape';
  if (/[\s/]pytest\s/.test(s) || /\spython[\d.]*\s+-m\s+pytest\s/.test(s)) return 'pytest';
  if (/\sgo\s+test\s/.test(s)) return 'go';
  if (/\scargo\s+test\s/.test(s)) return 'cargo';
  return undefined;
}

/** Splits a shell command on && and ; and picks the last segment that runs a known runner. */
export function commandFromScript(script: string, source: string): TestCommand {
  const segments = splitSteps(script);
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

/** The package manager the lockfile names (then package.json's packageManager field); npm by default. */
export function packageManagerOf(root: string, pkg?: Record<string, unknown>): PackageManager {
  if (existsSync(join(root, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(join(root, 'yarn.lock'))) return 'yarn';
  if (existsSync(join(root, 'bun.lockb')) || existsSync(join(root, 'bun.lock'))) return 'bun';
  if (existsSync(join(root, 'package-lock.json')) || existsSync(join(root, 'npm-shrinkwrap.json'))) return 'npm';
  const field = typeof pkg?.packageManager === 'string' ? pkg.packageManager : '';
  const named = /^(npm|pnpm|yarn|bun)@/.exec(field);
  return named ? (named[1] as PackageManager) : 'npm';
}

/** Whether this package manager runs `pre<name>` / `post<name>` around a script. */
function runsPrePost(root: string, pm: PackageManager): boolean {
  if (pm === 'npm' || pm === 'bun') return true;
  if (pm === 'pnpm') {
    // pnpm 7+ runs them only when enable-pre-post-scripts is set.
    try { return /^\s*enable-pre-post-scripts\s*=\s*true/m.test(readFileSync(join(root, '.npmrc'), 'utf8')); } catch { return false; }
  }
  // yarn: classic (v1) runs them, berry does not; a berry lockfile has a __metadata section.
  try { return !/^__metadata:/m.test(readFileSync(join(root, 'yarn.lock'), 'utf8')); } catch { return true; }
}

/** The script a step runs through the package manager ("npm run x", "npm test", "yarn x", "pnpm run x"). */
export function scriptReference(step: string, scripts: Record<string, string>): string | undefined {
  const m = /^(?:npm\s+(?:run(?:-script)?\s+|(test|start)\b)|yarn\s+(?:run\s+)?|pnpm\s+(?:run\s+)?|bun\s+run\s+)(?:--silent\s+|-s\s+)?([\w:.-]+)?\s*$/.exec(step.trim());
  if (!m) return undefined;
  const name = m[1] ?? m[2];
  return name && name in scripts ? name : undefined;
}

/** Coverage wrappers in front of a command: `nyc [options] …`, `c8 [options] …` (env assignments kept before them). */
export const COVERAGE_WRAPPER = /^((?:[A-Za-z_]\w*=\S*\s+)*)(nyc|c8)\s+(?:(?:--?[\w-]+(?:=\S+)?)\s+)*/;

/**
 * The runner a step starts: named in the step itself (`nyc mocha`, `c8 ava`), or inside the script it runs
 * through the package manager, wrapped or not (`nyc npm run test-spec`, whose test-spec is `mocha spec`).
 */
export function runnerInStep(step: string, scripts: Record<string, string>, depth = 0): RunnerKind | undefined {
  const direct = runnerOf(step);
  if (direct || depth > 6) return direct;
  const ref = scriptReference(step.replace(COVERAGE_WRAPPER, '$1'), scripts);
  if (!ref) return undefined;
  for (const s of splitSteps(scripts[ref]).reverse()) {
    const r = runnerInStep(s, scripts, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/**
 * The script's steps. A reference to another script (`npm run unit`) is opened up only when the runner is
 * inside it, so we can find and select on the runner; any other reference stays one step (`pnpm lint`), run
 * by its own package manager, whose absence we can then notice.
 */
function expandScript(scripts: Record<string, string>, name: string, prePost: boolean, depth: number): string[] {
  if (depth > 6 || !(name in scripts)) return [];
  const steps: string[] = [];
  const one = (n: string): void => {
    for (const step of splitSteps(scripts[n])) {
      // A wrapped reference (`nyc npm run test-spec`) stays one step: the wrapper must wrap all of it.
      const ref = COVERAGE_WRAPPER.test(step) ? undefined : scriptReference(step, scripts);
      const inner = ref && ref !== n ? expandScript(scripts, ref, prePost, depth + 1) : [];
      if (inner.some((s) => runnerInStep(s, scripts))) steps.push(...inner);
      else steps.push(step);
    }
  };
  if (prePost && `pre${name}` in scripts) one(`pre${name}`);
  one(name);
  if (prePost && `post${name}` in scripts) one(`post${name}`);
  return steps;
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
    if (typeof scripts.test === 'string' && !NPM_PLACEHOLDER.test(scripts.test)) {
      const pm = packageManagerOf(root, pkg);
      const prePost = runsPrePost(root, pm);
      const steps = expandScript(scripts, 'test', prePost, 0);
      let runnerIndex = -1;
      for (let i = steps.length - 1; i >= 0 && runnerIndex < 0; i--) if (runnerInStep(steps[i], scripts)) runnerIndex = i;
      const source = `package.json scripts.test (${pm})`;
      if (runnerIndex < 0) return { runner: 'script', prefix: '', base: steps.join(' && '), source, script: { name: 'test', pm, steps, runnerIndex, scripts, prePost } };
      return {
        runner: runnerInStep(steps[runnerIndex], scripts)!, prefix: steps.slice(0, runnerIndex).join(' && '), base: steps[runnerIndex], source,
        script: { name: 'test', pm, steps, runnerIndex, scripts, prePost },
      };
    }
    const deps = { ...(pkg.devDependencies as object ?? {}), ...(pkg.dependencies as object ?? {}) } as Record<string, string>;
    if (deps.vitest) return { runner: 'vitest', prefix: '', base: 'vitest run', source: 'package.json devDependencies' };
    if (deps.jest) return { runner: 'jest', prefix: '', base: 'jest', source: 'package.json devDependencies' };
    if (deps.mocha) return { runner: 'mocha', prefix: '', base: 'mocha', source: 'package.json devDependencies' };
    if (deps.ava) return { runner: 'ava', prefix: '', base: 'ava', source: 'package.json devDependencies' };
  }
  if (hasPythonTests(root)) return { runner: 'pytest', prefix: '', base: `${pythonFor(root)} -m pytest`, source: 'pytest files' };
  if (existsSync(join(root, 'go.mod'))) return { runner: 'go', prefix: '', base: 'go test ./...', source: 'go.mod' };
  if (existsSync(join(root, 'Cargo.toml'))) return { runner: 'cargo', prefix: '', base: 'cargo test', source: 'Cargo.toml' };
  return undefined;
}

export const NO_TEST_COMMAND_MESSAGE = CORE_MESSAGES.noTestCommand;
