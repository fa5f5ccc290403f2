// Method resolution from declared types (tree-sitter tags alone): receivers typed by fields, parameter
// properties, annotations, `new`, return types; member chains; interface -> its unique implementation;
// the same for Python (`self.x = X()`, annotations) and Go (struct fields, receivers). Each case has a
// decoy method of the same name elsewhere, so a name lookup alone would pick wrong or give up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ContextEngine } from '../../../src/core/context/engine';
import { definitionFixture } from '../../support/definitionFixture';

const files: Record<string, string> = {
  'src/buffer.ts': `export interface ILine {
  translate(trim: boolean): string;
}
export interface IBuffer {
  readonly lines: ILine[];
  getLine(y: number): ILine | undefined;
}
export interface IBufferService {
  readonly buffer: IBuffer;
  reset(): void;
}
export class BufferService implements IBufferService {
  public readonly buffer!: IBuffer;
  public reset(): void {
    this.buffer.getLine(0);
  }
}
`,
  'src/decoys.ts': `export class Other {
  getLine(y: number): string { return ''; }
  translate(): number { return 1; }
  reset(): void {}
  flush(): void {}
}
export class Third {
  getLine(): void {}
  reset(): void {}
  flush(): void {}
}
`,
  'src/queue.ts': `export abstract class TaskQueue {
  public flush(): void {}
}
export class IdleQueue extends TaskQueue {}
`,
  'src/terminal.ts': `import { IBufferService, IBuffer } from './buffer';
import { IdleQueue } from './queue';

export class Terminal {
  private readonly _queue = new IdleQueue();
  private _current: IBuffer | undefined;

  constructor(private readonly _bufferService: IBufferService) {}

  public render(row: number, other: IBuffer): string {
    const line = this._bufferService.buffer.getLine(row);
    this._bufferService.reset();
    this._queue.flush();
    other.getLine(1);
    const local = this._current!;
    local.getLine(2);
    return line!.translate(true);
  }
}
`,
  'py/svc.py': `class Store:
    def save(self, item) -> None:
        pass

class Decoy:
    def save(self):
        pass

class Other:
    def save(self):
        pass

class Service:
    def __init__(self, store: Store):
        self.store = Store()
        self.backup: Store = store

    def run(self):
        self.store.save(1)
        self.backup.save(2)
`,
  'go/srv.go': `package srv

type Buffer struct{}

func (b *Buffer) Line(i int) string { return "" }

type Decoy struct{}

func (d *Decoy) Line(i int) string { return "" }

type Other struct{}

func (o *Other) Line(i int) string { return "" }

type Server struct {
	buf *Buffer
}

func NewBuffer() *Buffer { return &Buffer{} }

func (s *Server) Render() string {
	b := NewBuffer()
	b.Line(1)
	return s.buf.Line(0)
}
`,
};

const fixture = definitionFixture('qwq-ctx-members-', files);
const defOf = fixture.defOf;

test('a constructor parameter property, then a property of its interface type (a member chain)', () => {
  assert.equal(defOf('src/terminal.ts', 'this._bufferService.buffer.getLine(row)', 'getLine'), 'src/buffer.ts:getLine(y: number): ILine | undefined;');
  assert.equal(defOf('src/terminal.ts', 'this._bufferService.reset()', 'reset'), 'src/buffer.ts:reset(): void;');
});

test('a field initialized with new X(), whose method is inherited from an abstract base', () => {
  assert.equal(defOf('src/terminal.ts', 'this._queue.flush()', 'flush'), 'src/queue.ts:public flush(): void {}');
});

test('a parameter annotation, a local typed through a field, and the return type of a resolved call', () => {
  assert.equal(defOf('src/terminal.ts', 'other.getLine(1)', 'getLine'), 'src/buffer.ts:getLine(y: number): ILine | undefined;');
  assert.equal(defOf('src/terminal.ts', 'local.getLine(2)', 'getLine'), 'src/buffer.ts:getLine(y: number): ILine | undefined;');
  assert.equal(defOf('src/terminal.ts', 'line!.translate(true)', 'translate'), 'src/buffer.ts:translate(trim: boolean): string;');
});

test('Python: self.x = X() and an annotated member', () => {
  assert.equal(defOf('py/svc.py', 'self.store.save(1)', 'save'), 'py/svc.py:def save(self, item) -> None:');
  assert.equal(defOf('py/svc.py', 'self.backup.save(2)', 'save'), 'py/svc.py:def save(self, item) -> None:');
});

test('Go: a struct field through the receiver, and a local from a constructor function', () => {
  assert.equal(defOf('go/srv.go', 's.buf.Line(0)', 'Line'), 'go/srv.go:func (b *Buffer) Line(i int) string { return "" }');
  assert.equal(defOf('go/srv.go', 'b.Line(1)', 'Line'), 'go/srv.go:func (b *Buffer) Line(i int) string { return "" }');
});

test('the packed context shows the interface member and its unique implementation, each with its own lines', async () => {
  const rows = files['src/terminal.ts'].split('\n');
  const line = rows.findIndex((l) => l.includes('const line =')) + 1;
  const ctx = await fixture.engine().context({ file: 'src/terminal.ts', line, column: 5, budget: 2048 });
  const shows = (path: string, text: string) => ctx.snippets.some((s) => s.path === path && s.text.includes(text));
  assert.ok(shows('src/buffer.ts', 'getLine(y: number): ILine | undefined;'), 'the interface member');
  assert.ok(shows('src/buffer.ts', 'public reset(): void {'), 'the unique implementation of IBufferService.reset');
  assert.ok(shows('src/queue.ts', 'public flush(): void {}'));
  assert.ok(!ctx.snippets.some((s) => s.kind === 'definition' && s.path === 'src/decoys.ts'), 'no decoy definition');
  for (const s of ctx.snippets) {
    const source = (files[s.path] ?? '').split('\n').slice(s.startLine - 1, s.endLine).map((l) => l.trim()).filter(Boolean);
    assert.ok(source.some((l) => s.text.includes(l)), `${s.kind} ${s.path}:${s.startLine}-${s.endLine} shows none of its lines`);
  }
});

test('Rust: methods of an impl block through a typed parameter, Self constructors; C#: fields and var', async () => {
  const extra: Record<string, string> = {
    'rs/buf.rs': 'pub struct Decoy;\nimpl Decoy {\n    pub fn line(&self, i: usize) -> String { String::new() }\n}\n\npub struct Buf {\n    lines: Vec<String>,\n}\n\nimpl Buf {\n    pub fn new() -> Self {\n        Buf { lines: vec![] }\n    }\n    pub fn line(&self, i: usize) -> String {\n        self.lines[i].clone()\n    }\n}\n\npub struct Other;\nimpl Other {\n    pub fn line(&self, i: usize) -> String { String::new() }\n}\n\npub fn use_it(b: &Buf) -> String {\n    let x = Buf::new();\n    x.line(1);\n    b.line(0)\n}\n',
    'cs/Svc.cs': 'class Decoy { public void Save() {} }\nclass Store { public void Save() {} }\nclass Other { public void Save() {} }\nclass Svc {\n  private readonly Store _store;\n  void Run() {\n    var s = new Store();\n    s.Save();\n    _store.Save();\n  }\n}\n',
  };
  const dir = mkdtempSync(join(tmpdir(), 'qwq-ctx-members2-'));
  for (const [rel, text] of Object.entries(extra)) { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); }
  const e = new ContextEngine(dir, { cacheDir: false, workers: 0 });
  try {
    await e.ready();
    const at = (rel: string, lineText: string, name: string) => {
      const lines = extra[rel].split('\n');
      const row = lines.findIndex((l) => l.includes(lineText));
      const d = e.definitionAt(rel, row, lines[row].indexOf(`${name}(`, lines[row].indexOf(lineText)));
      return d && `${d.file}:${d.tag.row + 1}`;
    };
    assert.equal(at('rs/buf.rs', 'b.line(0)', 'line'), 'rs/buf.rs:14');
    assert.equal(at('rs/buf.rs', 'x.line(1)', 'line'), 'rs/buf.rs:14');
    assert.equal(at('cs/Svc.cs', 's.Save()', 'Save'), 'cs/Svc.cs:2');
    assert.equal(at('cs/Svc.cs', '_store.Save()', 'Save'), 'cs/Svc.cs:2');
  } finally {
    e.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('typeHead and parseChain: the type a declaration is about, the segments of a receiver', async () => {
  const { typeHead } = await import('../../../src/core/context/memberResolution');
  const { parseChain } = await import('../../../src/core/context/tags');
  const cases: [string, string | undefined][] = [
    [': IFoo | undefined', 'IFoo'], ['Promise<ns.Bar<T>>', 'Bar'], ['*pkg.Server', 'Server'], ['&mut Buf', 'Buf'],
    ["&'a Buf", 'Buf'], ['Optional[Foo]', 'Foo'], ['readonly Line[]', undefined], ['null | Map<K, V>', 'Map'], ['(A & B)', 'A'], ['() => void', undefined],
  ];
  for (const [text, want] of cases) assert.equal(typeHead(text), want, text);
  assert.deepEqual(parseChain('this._bufferService.buffer'), ['this', '_bufferService', 'buffer']);
  assert.deepEqual(parseChain('this.get(a, f(b))!.lines?.x'), ['this', 'get()', 'lines', 'x']);
  assert.deepEqual(parseChain('Buf::new()'), ['Buf', 'new()']);
  assert.deepEqual(parseChain('arr[0].x'), ['arr[]', 'x']); // an element access: resolved through the list's element type
  assert.equal(parseChain('(() => 1)()'), undefined);
});
