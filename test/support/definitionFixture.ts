// A context engine over a few files written to a throwaway folder (opened before the file's tests, disposed
// after), and go-to-definition asked the way a person points at a call: the line that holds it, and the name.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ContextEngine } from '../../src/core/context/engine';
import { scratchDir } from './scratchDir';

export interface DefinitionFixture {
  /** The engine, once `before` has run. */
  engine(): ContextEngine;
  /** go-to-definition of `name(` on the line containing `lineText`, as "file:trimmed definition line". */
  defOf(rel: string, lineText: string, name: string): string | undefined;
}

export function definitionFixture(prefix: string, files: Record<string, string>): DefinitionFixture {
  let engine: ContextEngine | undefined;
  before(async () => {
    const root = scratchDir(prefix);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    engine = new ContextEngine(root, { cacheDir: false, workers: 0 });
    await engine.ready();
  });
  after(() => { engine?.dispose(); });
  const get = (): ContextEngine => { assert.ok(engine, 'the context engine is not open yet'); return engine; };
  return {
    engine: get,
    defOf(rel, lineText, name) {
      const lines = files[rel].split('\n');
      const row = lines.findIndex((l) => l.includes(lineText));
      assert.ok(row >= 0, lineText);
      const col = lines[row].indexOf(`${name}(`, lines[row].indexOf(lineText));
      const d = get().definitionAt(rel, row, col);
      return d && `${d.file}:${files[d.file].split('\n')[d.tag.row].trim()}`;
    },
  };
}
