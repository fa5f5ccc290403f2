// Definitions the context benchmark (bench/context.bench.ts) missed on xterm.js, each on a small fixture with a
// decoy: a method called on an element of a typed list (`this.markers[i].dispose()`), a name declared with
// `declare const`, an imported function that a class in its module also has as a method, and the cursor on
// the first line of a nested function before that function begins; a member call on a receiver of unknown
// type whose name a widely inherited type declares (`.pipe()` of effect's Pipeable), with its overloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChain } from '../../../src/core/context/tags';
import { elementTypeHead } from '../../../src/core/context/memberResolution';
import { definitionFixture } from '../../support/definitionFixture';

const files: Record<string, string> = {
  'src/marker.ts': `export class Marker {
  public dispose(): void {}
}
export interface ILine {
  translate(): string;
}
`,
  'src/decoys.ts': `export class Other {
  dispose(): void {}
  translate(): string { return ''; }
}
export class Third {
  dispose(): void {}
  translate(): string { return ''; }
}
`,
  'src/buffer.ts': `import { Marker, ILine } from './marker';

export class Buffer {
  public markers: Marker[] = [];
  private readonly _lines: ReadonlyArray<ILine> = [];

  public clear(lines: Array<ILine>): void {
    for (let i = 0; i < this.markers.length; i++) {
      this.markers[i].dispose();
    }
    this._lines[0].translate();
    lines[1].translate();
  }
}

class LocalDecoy {
  dispose(): void {}
  translate(): string { return ''; }
}
`,
  'src/timer.ts': `declare const setTimeout: (handler: () => void, timeout?: number) => void;

export class Timer {
  public start(): void {
    setTimeout(() => this.start(), 10);
  }
}
`,
  'src/other-timer.ts': `export function setTimeout(x: number): void {}
export class T2 { setTimeout(): void {} }
`,
  'src/errors.ts': `export class ErrorHandler {
  public onUnexpectedError(e: any): void {
    console.log(e);
  }
}
export const errorHandler = new ErrorHandler();

export function onUnexpectedError(e: any): undefined {
  errorHandler.onUnexpectedError(e);
  return undefined;
}
`,
  'src/event.ts': `import { onUnexpectedError } from './errors';

export function fire(reason: unknown): void {
  onUnexpectedError(reason);
}
`,
  'src/idle.ts': `declare function runWhenIdle(callback: () => void): { dispose(): void };

export class IdleValue<T> {
  private readonly _executor: () => void;
  private _handle: { dispose(): void };

  constructor(executor: () => T) {
    this._executor = () => {
      try {
        executor();
      } finally {
        this._handle.dispose();
      }
    };
    this._handle = runWhenIdle(() => this._executor());
  }
}
`,
  'src/pipeable.ts': `export interface Pipeable {
  pipe<A>(this: A): A
  pipe<A, B>(this: A, ab: (_: A) => B): B
  pipe<A, B, C>(this: A, ab: (_: A) => B, bc: (_: B) => C): C
}
`,
  'src/types.ts': `import type { Pipeable } from './pipeable'
${Array.from({ length: 9 }, (_, i) => `export interface Model${i} extends Pipeable {\n  readonly id${i}: number\n}`).join('\n')}
export class Chunk implements Pipeable {
  pipe(): any { return this }
}
`,
  'src/stream.ts': `import { make } from './factory'

class LocalBuilder {
  pipe(next: number): LocalBuilder { return this }
}

export function run() {
  const start = Date.now()
  return make(start).pipe((x) => x, (y) => y)
}

export function query(id: number) {
  return \`select \${id}\`.pipe((q) => q)
}
`,
  'src/factory.ts': `export function make(n: number) {
  return { n, pipe: null as any }
}
`,
  'src/context.ts': `export function add(key: string, value: number): number {
  return value
}
`,
  'src/tracker.ts': `import * as Context from './context'

export function track(seen: Set<string>, key: string): number {
  seen.add(key)
  const local = new Map<string, number>()
  local.set(key, 1)
  return Context.add(key, 1)
}
`,
};
const fx = definitionFixture('qwq-ctx-recall-', files);

test('parseChain keeps an element access as such: this.markers[i + 1].x -> this, markers[], x', () => {
  assert.deepEqual(parseChain('this.markers[i + 1]'), ['this', 'markers[]']);
  assert.deepEqual(parseChain('get(a)[0].items[k[1]]'), ['get()[]', 'items[]']);
  assert.equal(parseChain('[a, b]'), undefined);
});

test('elementTypeHead: the element type of a list type, nothing for a non-list', () => {
  assert.equal(elementTypeHead(': Marker[]'), 'Marker');
  assert.equal(elementTypeHead('readonly ns.Line[] | undefined'), 'Line');
  assert.equal(elementTypeHead('Array<ILine>'), 'ILine');
  assert.equal(elementTypeHead('ReadonlyArray<IFoo<T>>'), 'IFoo');
  assert.equal(elementTypeHead('Record<string, Entry>'), 'Entry');
  assert.equal(elementTypeHead('-> list[Node]'), 'Node');
  assert.equal(elementTypeHead('[]*Server'), 'Server');
  assert.equal(elementTypeHead('Marker'), undefined);
  assert.equal(elementTypeHead('Marker[] | Other'), undefined);
});

test('a method called on an element of a typed list field or parameter resolves to the element type', () => {
  assert.equal(fx.defOf('src/buffer.ts', 'this.markers[i].dispose()', 'dispose'), 'src/marker.ts:public dispose(): void {}');
  assert.equal(fx.defOf('src/buffer.ts', 'this._lines[0].translate()', 'translate'), 'src/marker.ts:translate(): string;');
  assert.equal(fx.defOf('src/buffer.ts', 'lines[1].translate()', 'translate'), 'src/marker.ts:translate(): string;');
});

test('a name declared with `declare const` is a definition of its module', () => {
  assert.equal(fx.defOf('src/timer.ts', 'setTimeout(() => this.start(), 10)', 'setTimeout'), 'src/timer.ts:declare const setTimeout: (handler: () => void, timeout?: number) => void;');
});

test('an imported function is the module\'s export, not a same-named method of a class in that module', () => {
  assert.equal(fx.defOf('src/event.ts', 'onUnexpectedError(reason)', 'onUnexpectedError'), 'src/errors.ts:export function onUnexpectedError(e: any): undefined {');
});

test('the cursor on a nested function\'s first line, before it begins, gets the enclosing function as its scope', async () => {
  const lines = files['src/idle.ts'].split('\n');
  const row = lines.findIndex((l) => l.includes('this._executor = () => {'));
  const packed = await fx.engine().context({ file: 'src/idle.ts', line: row + 1, column: lines[row].indexOf('this') + 1, budget: 1024 });
  const scope = packed.snippets[0];
  assert.equal(scope.kind, 'scope');
  assert.equal(scope.symbol, 'constructor', 'the constructor, not the arrow function assigned on that line');
  const declared = lines.findIndex((l) => l.startsWith('declare function runWhenIdle')) + 1;
  assert.ok(packed.snippets.some((s) => s.path === 'src/idle.ts' && s.startLine <= declared && declared <= s.endLine && s.text.includes('declare function runWhenIdle')), 'runWhenIdle, called after the arrow function, is shown');
  // With the cursor inside the arrow function, its own body stays the scope.
  const inside = await fx.engine().context({ file: 'src/idle.ts', line: row + 2, column: 7, budget: 1024 });
  assert.equal(inside.snippets[0].symbol, '_executor');
});

test('a member of unknown receiver type means the declaration of the type most others extend, with its overloads shown', async () => {
  // make() has no declared return type: before, the same-file LocalBuilder.pipe was taken.
  assert.equal(fx.defOf('src/stream.ts', 'make(start).pipe(', 'pipe'), 'src/pipeable.ts:pipe<A>(this: A): A');
  // A receiver no chain describes (a template literal): a member call all the same.
  assert.equal(fx.defOf('src/stream.ts', '`.pipe(', 'pipe'), 'src/pipeable.ts:pipe<A>(this: A): A');
  const lines = files['src/stream.ts'].split('\n');
  const body = lines.findIndex((l) => l.includes('const start = Date.now()'));
  const packed = await fx.engine().context({ file: 'src/stream.ts', line: body + 1, column: 3, budget: 2048 });
  const shown = (row: number, text: string) => packed.snippets.some((s) => s.path === 'src/pipeable.ts' && s.startLine <= row && row <= s.endLine && s.text.includes(text));
  assert.ok(shown(2, 'pipe<A>(this: A): A'), 'the first overload');
  assert.ok(shown(3, 'pipe<A, B>(this: A, ab: (_: A) => B): B'), 'the overload a two-function call means');
  const group = packed.snippets.find((s) => s.kind === 'signatures' && s.path === 'src/pipeable.ts');
  if (group) assert.match(group.text, /^2: pipe<A>\(this: A\): A\n3: pipe<A, B>/, 'overloads follow the signature line in a signatures snippet');
});

test('overloads without semicolons stay together in the full definition', async () => {
  const packed = await fx.engine().context({ file: 'src/stream.ts', line: 9, column: 3, budget: 8000 });
  const pipe = packed.snippets.find((s) => s.path === 'src/pipeable.ts' && s.kind === 'definition');
  assert.ok(pipe, 'with room, pipe is shown in full');
  assert.match(pipe.text, /pipe<A>\(this: A\): A\n\s*pipe<A, B>.*\n\s*pipe<A, B, C>/);
});

test('a receiver whose declared type the workspace does not define resolves to nothing, not to a same-named function nearby', async () => {
  assert.equal(fx.defOf('src/tracker.ts', 'seen.add(key)', 'add'), undefined, 'Set#add is not Context.add');
  assert.equal(fx.defOf('src/tracker.ts', 'local.set(key, 1)', 'set'), undefined);
  assert.equal(fx.defOf('src/tracker.ts', 'Context.add(key, 1)', 'add'), 'src/context.ts:export function add(key: string, value: number): number {');
});
