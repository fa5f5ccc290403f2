// At run time, not only by reading the imports (test/unit/model/hostImports.test.ts): a process that loads a
// real tiny model through LlamaRuntime never resolves node-llama-cpp itself; its worker does. A module hook in
// the probe process (not passed on to the worker, whose execArgv the runtime sets) logs every such import.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTinyQwen2 } from '../../fixtures/gguf/qwen2Model';
import { tempDir } from '../../unit/model/helpers';

const root = join(__dirname, '..', '..', '..');
const tmp = tempDir('qwq-host-imports-');
after(() => tmp.cleanup());
const model = join(tmp.dir, 'tiny.gguf');
writeTinyQwen2(model);

const hooks = join(tmp.dir, 'hooks.mjs');
writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (specifier.includes('node-llama-cpp')) appendFileSync(process.env.QWQ_IMPORT_LOG, specifier + '\\n');
  return next(specifier, context);
}
`);
const register = join(tmp.dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

/** Loads the model in a fresh process (then, if asked, reads its header there too); what it logged as imported. */
function hostImports(alsoInspect: boolean): string[] {
  const log = join(tmp.dir, `imports-${alsoInspect}.log`);
  const script = `
    const { LlamaRuntime } = require(${JSON.stringify(join(root, 'src/core/model/llamaRuntime.ts'))});
    const { inspectModelFile } = require(${JSON.stringify(join(root, 'src/core/model/modelFile.ts'))});
    (async () => {
      const rt = new LlamaRuntime({ model: ${JSON.stringify(model)}, gpu: false, threads: 1, contextSize: 2048 });
      const info = await rt.load();
      await rt.dispose();
      if (${alsoInspect}) await inspectModelFile(${JSON.stringify(model)});
      console.log(info.architecture);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(register).href, '-e', script],
    { cwd: root, env: { ...process.env, QWQ_IMPORT_LOG: log }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(out.trim(), 'qwen2', 'the model loaded');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

test('loading a model through LlamaRuntime imports node-llama-cpp only in the worker, never in the host', () => {
  assert.deepEqual(hostImports(false), []);
});

test('the probe sees the import when the host does read a header itself (the CLI\'s models info path)', () => {
  assert.ok(hostImports(true).includes('node-llama-cpp'));
});
