// Where a test is defined, so "newly failing" and "newly passing" can link to it. Test ids differ by runner
// ("file > suite > name", "file::name", "pkg/TestName", or just the name); the last segment is the test's own
// name, which its definition spells as a string literal (it('name'), test("name"), def test_name, func TestName).
// Pure: the task controller and the verify tool (src/core/agent/verifyPatch.ts) feed it the workspace's test files.
import { isTestFile } from './selection';

export interface TestLocation { path: string; line: number }

/** The test's own name: the last segment of its id. */
export function testName(id: string): string {
  const parts = id.split(/\s+>\s+|::|\s›\s/);
  return parts[parts.length - 1].trim();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first definition of the test named by `id` among `files`, preferring a file the id names. */
export function locateTest(id: string, files: ReadonlyArray<{ path: string; text: string }>): TestLocation | undefined {
  const name = testName(id);
  if (!name) return undefined;
  const literal = new RegExp(`(['"\`])${escapeRe(name)}\\1`);
  const symbol = /^[A-Za-z_]\w*$/.test(name) ? new RegExp(`\\b(?:def|func|fn)\\s+${escapeRe(name)}\\b`) : undefined;
  const ordered = [...files].sort((a, b) => Number(!id.includes(a.path)) - Number(!id.includes(b.path)));
  for (const f of ordered) {
    const lines = f.text.split('\n');
    const i = lines.findIndex((l) => literal.test(l) || (symbol?.test(l) ?? false));
    if (i >= 0) return { path: f.path, line: i + 1 };
  }
  return undefined;
}

export function testFilesOf(paths: readonly string[]): string[] {
  return paths.filter((p) => isTestFile(p)).slice(0, 500);
}
