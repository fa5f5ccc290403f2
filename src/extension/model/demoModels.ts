// The sample's demo models, offered in Select Model… when `npm start` says where they are ($QWQ_DEMO_MODELS_DIR):
// scripted GGUFs that only do the sample workspace's task, so they are always named as such.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_MODEL_LABEL, DEMO_MODEL_SUFFIX, shortModelName } from '../../protocol/modelName';

export interface DemoModelChoice { label: string; description: string; path: string }

/** The `*.demo.gguf` files in `dir`, as Select Model… lists them; none when the folder is absent or unset. */
export function demoModelChoices(dir: string | undefined): DemoModelChoice[] {
  if (!dir) return [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.endsWith(DEMO_MODEL_SUFFIX)).sort().map((n) => ({
    label: `$(beaker) ${shortModelName(n).split(':')[0]}`, description: DEMO_MODEL_LABEL, path: join(dir, n),
  }));
}
