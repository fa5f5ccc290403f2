// Inherited members (memberResolution.ts): `this._core.write()` where _core's class extends (through any number
// of levels, across files, through generics and interfaces that extend interfaces) the class that defines
// `write`; the same in JavaScript, Python, C# and Java. Each case has decoys named like the member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionFixture } from '../../support/definitionFixture';

const files: Record<string, string> = {
  'ts/base.ts': `export abstract class Disposable {
  public dispose(): void {}
}
export class CoreBase<T> extends Disposable {
  public write(data: T): void {}
}
export interface IBaseService {
  reset(): void;
}
export interface ICoreService extends IBaseService {
  readonly id: number;
}
`,
  'ts/core.ts': `import { CoreBase } from './base';
export class CoreTerminal extends CoreBase<string> {
  public resize(): void {}
}
export class BrowserCore extends CoreTerminal {}
`,
  'ts/queue.ts': `interface IQueue {
  clear(): void;
}
abstract class Queue implements IQueue {
  public clear(): void {}
}
class IdleInternal extends Queue {}
export class Priority extends Queue {}
export const IdleQueue = (typeof requestIdleCallback === 'function') ? IdleInternal : Priority;
`,
  'ts/event.ts': `export namespace Ev {
  export function pick(e: string, f: number): string;
  export function pick(e: number, f: number): number;
  export function pick(e: string | number, f: number): string | number {
    return e;
  }
}
`,
  'ts/decoys.ts': `export class Writer {
  clear(): void {}
  pick(): void {}
  write(x: number): void {}
  dispose(): void {}
  reset(): void {}
}
export class Other {
  write(): void {}
  dispose(): void {}
  reset(): void {}
}
`,
  'ts/terminal.ts': `import { BrowserCore, CoreTerminal } from './core';
import type { ICoreService } from './base';
import { IdleQueue } from './queue';
import { Ev } from './event';

export class Terminal {
  private readonly _core: CoreTerminal;
  private readonly _browser = new BrowserCore();
  private readonly _queue = new IdleQueue();

  constructor(private readonly _service: ICoreService) {
    this._core = new CoreTerminal();
  }

  public run(): void {
    this._core.write('a');
    this._browser.write('b');
    this._browser.dispose();
    this._service.reset();
    this._queue.clear();
    Ev.pick(1, 2);
  }
}
`,
  'js/base.js': `export class Emitter {
  emit(name) {}
}
export class Stream extends Emitter {
  pipe(to) {}
}
`,
  'js/decoys.js': `export class Bus {
  emit() {}
}
export class Pipe {
  emit() {}
}
`,
  'js/app.js': `import { Stream } from './base.js';
export class App {
  constructor() {
    this.stream = new Stream();
  }
  start() {
    this.stream.emit('start');
  }
}
`,
  'py/base.py': `class Base:
    def save(self, item):
        pass

class Store(Base):
    def load(self):
        pass
`,
  'py/decoys.py': `class Decoy:
    def save(self):
        pass

class Other:
    def save(self):
        pass
`,
  'py/svc.py': `from .base import Store

class Service:
    def __init__(self):
        self.store = Store()

    def run(self):
        self.store.save(1)
`,
  'cs/Base.cs': `namespace App {
    public class Base {
        public void Save(int item) {}
    }
    public class Store : Base, IStore {
        public void Load() {}
    }
    public interface IStore {}
}
`,
  'cs/Decoys.cs': `namespace App {
    public class Decoy {
        public void Save() {}
    }
    public class Other {
        public void Save() {}
    }
}
`,
  'cs/Service.cs': `namespace App {
    public class Service {
        private readonly Store _store = new Store();
        public void Run() {
            _store.Save(1);
        }
    }
}
`,
  'java/Base.java': `package app;
public class Base {
    public void save(int item) {}
}
`,
  'java/Store.java': `package app;
public class Store extends Base implements Loader {
    public void load() {}
}
`,
  'java/Decoys.java': `package app;
class Decoy {
    public void save() {}
}
class Other {
    public void save() {}
}
`,
  'java/Service.java': `package app;
public class Service {
    private final Store store = new Store();
    public void run() {
        this.store.save(1);
    }
}
`,
};

const fixture = definitionFixture('qwq-ctx-inherited-', files);
const defOf = fixture.defOf;

test('TypeScript: a member two classes up, across files, through a generic base', () => {
  assert.equal(defOf('ts/terminal.ts', 'this._core.write', 'write'), 'ts/base.ts:public write(data: T): void {}');
  assert.equal(defOf('ts/terminal.ts', 'this._browser.write', 'write'), 'ts/base.ts:public write(data: T): void {}');
  assert.equal(defOf('ts/terminal.ts', 'this._browser.dispose', 'dispose'), 'ts/base.ts:public dispose(): void {}');
});

test('TypeScript: an interface member inherited through `interface X extends Y`', () => {
  assert.equal(defOf('ts/terminal.ts', 'this._service.reset', 'reset'), 'ts/base.ts:reset(): void;');
});

test('JavaScript: this.x = new Sub() and a method of its base class', () => {
  assert.equal(defOf('js/app.js', 'this.stream.emit', 'emit'), 'js/base.js:emit(name) {}');
});

test('Python: self.x = Sub() and a method of its base class', () => {
  assert.equal(defOf('py/svc.py', 'self.store.save', 'save'), 'py/base.py:def save(self, item):');
});

test('C#: a field of a class whose base class (`: Base, IStore`) defines the method', () => {
  assert.equal(defOf('cs/Service.cs', '_store.Save', 'Save'), 'cs/Base.cs:public void Save(int item) {}');
});

test('Java: a field of a class that `extends Base implements Loader`', () => {
  assert.equal(defOf('java/Service.java', 'this.store.save', 'save'), 'java/Base.java:public void save(int item) {}');
});

test('TypeScript: a constant that holds one of two classes (`cond ? IdleInternal : Priority`) and their base\'s member', () => {
  assert.equal(defOf('ts/terminal.ts', 'this._queue.clear', 'clear'), 'ts/queue.ts:public clear(): void {}');
});

test('TypeScript: overloads are shown together in the packed context (a call may resolve to any of them)', async () => {
  const lines = files['ts/terminal.ts'].split('\n');
  const row = lines.findIndex((l) => l.includes('Ev.pick(1, 2)'));
  const packed = await fixture.engine().context({ file: 'ts/terminal.ts', line: row + 1, column: 5, budget: 4096 });
  const def = packed.snippets.find((s) => s.kind === 'definition' && s.symbol === 'pick' && s.path === 'ts/event.ts');
  assert.ok(def, 'pick resolved');
  assert.match(def.text, /pick\(e: number, f: number\): number;/, 'the second overload is shown');
  assert.match(def.text, /pick\(e: string \| number, f: number\): string \| number \{/, 'and the implementation');
});
