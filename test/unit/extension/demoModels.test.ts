// Select Model… offers the sample's demo models that `npm start` wrote, named as demos; nothing else in the folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoModelChoices } from '../../../src/extension/model/demoModels';

const dir = mkdtempSync(join(tmpdir(), 'qwq-demo-choices-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the demo models in the folder, labelled; other files, a missing folder or none set give nothing', () => {
  for (const n of ['sample-cart-repair.demo.gguf', 'sample-cart-fix.demo.gguf', 'qwq-32b.gguf', 'notes.txt']) writeFileSync(join(dir, n), '');
  assert.deepEqual(demoModelChoices(dir), [
    { label: '$(beaker) sample-cart-fix', description: 'demo model (scripted for the sample workspace)', path: join(dir, 'sample-cart-fix.demo.gguf') },
    { label: '$(beaker) sample-cart-repair', description: 'demo model (scripted for the sample workspace)', path: join(dir, 'sample-cart-repair.demo.gguf') },
  ]);
  assert.deepEqual(demoModelChoices(join(dir, 'missing')), []);
  assert.deepEqual(demoModelChoices(undefined), []);
});
