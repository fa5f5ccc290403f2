// The sample's demo models for `npm start`: written by `npm run demo-models` (test/fixtures/write-demo-models.ts,
// scripted GGUFs; nothing is downloaded), and offered as the launcher's default model settings, which a model
// the user configured overrides (the settings merge keeps the user's value).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the demo models into `dir`; returns { cart, repair } (their paths). Throws with the writer's output. */
export function writeDemoModels(dir) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/write-demo-models.ts'), dir], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run demo-models failed:\n${r.stderr || r.stdout}`);
  const models = {};
  for (const m of r.stdout.matchAll(/^demo-models: (\w+): (.+)$/gm)) models[m[1]] = m[2];
  if (!models.cart) throw new Error(`npm run demo-models wrote no cart model:\n${r.stdout}`);
  return models;
}

/** The model settings that use the demo models (the fix model also types ghost text). */
export function demoModelSettings(dir) {
  const { cart } = writeDemoModels(dir);
  return { 'qwq.model.source': cart, 'qwq.inline.model': cart };
}
