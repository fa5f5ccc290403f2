// Packing the definitions a scope uses (definitionPack.ts): every resolved definition gets its cheapest form
// first (one signature line, grouped per file), then full texts while the budget lasts. Each case used to miss:
// a long function calling more methods than 64 one-snippet headers fit in 2,048 tokens lost the rest, and a
// method whose class was also resolved was dropped as "inside the class" though only the class's header fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextSnippet } from '../../../src/core/context/types';
import { renderSnippet } from '../../../src/core/context/pack';
import { packDefinitions, type PackableDefinition } from '../../../src/core/context/definitionPack';
import { estimateTokens } from '../../../src/core/context/tokens';
import { definitionFixture } from '../../support/definitionFixture';

const methods = Array.from({ length: 70 }, (_, i) => i);
const handlerFile = `export class Handler {
${methods.map((i) => `  /** Handles case ${i}. */\n  public handle${i}(code: number): boolean {\n    return code === ${i};\n  }\n`).join('')}}
`;
const tableFile = `export class Table {
  private readonly cells: number[] = [];
  private size = 0;

  public fill(value: number): void {
    for (let i = 0; i < this.size; i++) this.cells[i] = value;
  }

  public clear(): void {
    this.cells.length = 0;
    this.size = 0;
  }

  public get(index: number): number {
    return this.cells[index];
  }

  public has(index: number): boolean {
    return index < this.size;
  }

  /** Adds a transition. */
  public add(code: number, state: number, action: number, next: number): void {
    this.cells[state << 8 | code] = action << 4 | next;
    this.size++;
  }
}
`;
const files: Record<string, string> = {
  'src/handler.ts': handlerFile,
  'src/table.ts': tableFile,
  'src/input.ts': `import { Handler } from './handler';
import { Table } from './table';

export class Input extends Handler {
  constructor() {
    super();
${methods.map((i) => `    register(${i}, (c) => this.handle${i}(c));`).join('\n')}
  }
}

export function build(): Table {
  const table = new Table();
${Array.from({ length: 60 }, (_, i) => `  table.add(${i}, ${i % 7}, ${i % 5}, ${i % 3}); // transition ${i} of the parser's state machine, kept in order`).join('\n')}
  return table;
}

function register(code: number, fn: (c: number) => boolean): void {}
`,
};
const fx = definitionFixture('qwq-ctx-pack-', files);

/** The packed context shows `lineText` of `path` (a definition line), as the benchmark counts a hit. */
function shows(snippets: ContextSnippet[], path: string, lineText: string): boolean {
  const row = files[path].split('\n').findIndex((l) => l.includes(lineText)) + 1;
  assert.ok(row > 0, lineText);
  const want = files[path].split('\n')[row - 1].trim();
  return snippets.some((s) => s.path === path && s.startLine <= row && row <= s.endLine && s.text.includes(want));
}

test('a long function calling 70 methods: every method shows in 2,048 tokens, as one signature line each', async () => {
  const packed = await fx.engine().context({ file: 'src/input.ts', line: 6, column: 5, budget: 2048 });
  assert.ok(packed.tokens <= 2048, `${packed.tokens} tokens`);
  const missing = methods.filter((i) => !shows(packed.snippets, 'src/handler.ts', `public handle${i}(`));
  assert.deepEqual(missing, [], 'all 70 methods are shown (before: 2,048 tokens held about 40 one-snippet headers)');
  const group = packed.snippets.find((s) => s.kind === 'signatures' && s.path === 'src/handler.ts');
  assert.ok(group, 'the methods of one file share one signatures snippet');
  // Each entry is its source line as it reads, under its own line number.
  const source = handlerFile.split('\n');
  for (const entry of group.text.split('\n')) {
    const m = /^(\d+): (.*)$/.exec(entry);
    assert.ok(m, entry);
    assert.equal(m[2], source[Number(m[1]) - 1].trim());
  }
});

test('a method of a class that is also resolved still shows when the class only fits as its header', async () => {
  // `new Table()` resolves the class (its first 30 lines contain add); only its header fitted, and add was
  // dropped as contained in it.
  const packed = await fx.engine().context({ file: 'src/input.ts', line: files['src/input.ts'].split('\n').findIndex((l) => l.includes('const table = new Table')) + 1, column: 3, budget: 1024 });
  assert.ok(packed.tokens <= 1024);
  assert.ok(shows(packed.snippets, 'src/table.ts', 'public add(code: number'), packed.snippets.map((s) => `${s.path}:${s.startLine}-${s.endLine} ${s.kind}`).join('\n'));
});

test('packDefinitions: a full text drops the signature lines it contains, and the result never exceeds the budget', () => {
  const path = 'a.ts';
  const lines = ['export class A {', '  one(): void {', '  }', '  two(): void {', '  }', '}'];
  const snip = (start: number, end: number, symbol: string): ContextSnippet => ({ path, startLine: start + 1, endLine: end + 1, kind: 'definition', symbol, text: lines.slice(start, end + 1).join('\n') });
  const def = (start: number, end: number, symbol: string): PackableDefinition => ({ full: snip(start, end, symbol), header: snip(start, start, symbol), row: start, line: lines[start].trim() });
  const defs = [def(1, 2, 'one'), def(0, 5, 'A'), def(3, 4, 'two')];
  const scope: ContextSnippet = { path: 'b.ts', startLine: 1, endLine: 1, kind: 'scope', text: 'new A().one();' };
  const roomy = packDefinitions([scope], defs, [], { budget: 500, count: estimateTokens, focusLine: 1, signatures: true });
  assert.deepEqual(roomy.snippets.map((s) => `${s.kind}:${s.startLine}-${s.endLine}`), ['scope:1-1', 'definition:1-6'], 'A in full contains one and two');
  assert.equal(roomy.tokens, roomy.snippets.reduce((a, s) => a + estimateTokens(renderSnippet(s)), 0));
  for (const budget of [10, 20, 30, 40, 60, 80]) {
    const tight = packDefinitions([scope], defs, [], { budget, count: estimateTokens, focusLine: 1, signatures: true });
    assert.ok(tight.tokens <= budget, `${tight.tokens} <= ${budget}`);
    assert.equal(tight.tokens, tight.snippets.reduce((a, s) => a + estimateTokens(renderSnippet(s)), 0));
  }
  const inline = packDefinitions([scope], defs, [], { budget: 500, count: estimateTokens, focusLine: 1, signatures: false });
  assert.ok(inline.snippets.every((s) => s.kind !== 'signatures'), 'inline requests keep one definition snippet each');
});
