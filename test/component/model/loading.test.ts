// Load path: GPU 'auto' skips the CUDA/Vulkan probes on Linux machines with no GPU device node, and a load
// reports where its time went.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { linuxGpuDeviceFound } from '../../../src/core/model/gpuDevices';
import { writeScriptedModel, thinkThenAnswerScript } from '../../fixtures/gguf/scriptedModel';
import { tempDir, testRuntime } from '../../unit/model/helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

test('a CUDA, WSL or Vulkan/ROCm device node means a GPU may be used', () => {
  assert.equal(linuxGpuDeviceFound(['null', 'nvidia0', 'nvidiactl'], []), true);
  assert.equal(linuxGpuDeviceFound(['null', 'dxg'], []), true);
  assert.equal(linuxGpuDeviceFound(['null', 'kfd'], ['card0', 'renderD128']), true);
  assert.equal(linuxGpuDeviceFound(['null'], ['renderD128']), true);
});

test('no such node (a container, a CPU-only server) means CPU without probing', () => {
  assert.equal(linuxGpuDeviceFound(['null', 'zero', 'tty', 'nvram'], []), false);
  assert.equal(linuxGpuDeviceFound(['null'], ['card0']), false); // a display-only card has no render node
});

test('a load reports its backend and where its time went, and logs it', async () => {
  const path = join(tmp.dir, 'scripted.gguf');
  writeScriptedModel(path, thinkThenAnswerScript({ thought: 'plan it now', answer: 'Done here.' }));
  const logs: string[] = [];
  const rt = testRuntime(path, { onLog: (l) => logs.push(l) });
  try {
    const info = await rt.load();
    assert.equal(info.gpu, false);
    const t = info.loadTimings!;
    for (const k of ['processMs', 'importMs', 'backendMs', 'headerMs', 'waitMs', 'planMs', 'weightsMs', 'contextMs', 'totalMs']) assert.equal(typeof t[k], 'number', k);
    assert.ok(t.totalMs! >= t.waitMs! + t.planMs! + t.weightsMs! + t.contextMs!);
    assert.ok(t.waitMs! >= t.headerMs!, 'the header is read while the backend starts');
    assert.ok(logs.some((l) => /^model ready in \d+ ms \(process \d+, import \d+, backend \d+, header \d+, wait \d+, plan \d+, weights \d+, context \d+; backend cpu\)$/.test(l)), logs.join('\n'));
    assert.equal((await rt.chat([{ role: 'user', content: 'go' }], { temperature: 0 })).answer, 'Done here.');
  } finally { await rt.dispose(); }
});

