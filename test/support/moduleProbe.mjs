// Preloaded (`node --import <this> out/cli.js …`) by tests of what a CLI start-up loads: appends one line per module
// the process loads to the file named by QWQ_MODULE_PROBE_OUT: ES modules as the URL their resolve hook returns
// (moduleProbeHooks.mjs; that hook runs on Node's loader thread), CommonJS as `cjs:<request>`. Nothing of the
// product changes: the probe exists only on the command line of the test that loads it.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.QWQ_MODULE_PROBE_OUT;
if (out) {
  register('./moduleProbeHooks.mjs', import.meta.url, { data: { out } });
  const load = Module._load;
  Module._load = function probedLoad(request, ...rest) {
    appendFileSync(out, `cjs:${request}\n`);
    return load.call(this, request, ...rest);
  };
}
