// The module probe's loader hooks (moduleProbe.mjs): every resolved ES module URL, one per line.
import { appendFileSync } from 'node:fs';

let out;
export function initialize(data) { out = data.out; }

export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  appendFileSync(out, `${r.url}\n`);
  return r;
}
