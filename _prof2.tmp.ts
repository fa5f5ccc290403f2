import { readFileSync } from 'node:fs';
import { Edit } from 'web-tree-sitter';
import { parserFor, loadAnalysisQuery } from './src/core/context/languages';
import { walkWorkspace } from './src/core/context/walk';
import { analyzeTree, reanalyzeRange, contentHash } from './src/core/context/fileAnalysis';
import { tagsFromMatches, rangeOptions, recoveredDeclarations } from './src/core/context/tags';
const root = '.bench-data/_xterm_xterm_6.0.0/package/src';
function pct(xs: number[], p: number) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; }
async function main() {
  const walked = await walkWorkspace(root, { include: (f) => f.endsWith('.ts') });
  const sizes = walked.files.map((f) => ({ f, t: readFileSync(f.abs, 'utf8') })).sort((a, b) => a.t.split('\n').length - b.t.split('\n').length);
  const parts: string[] = []; let n = 0;
  for (const { t } of [...sizes].reverse()) { if (n >= 5000) break; parts.push(t); n += t.split('\n').length; }
  let text = parts.join('\n').split('\n').slice(0, 5000).join('\n');
  const parser = await parserFor('typescript');
  const q = (await loadAnalysisQuery('typescript'))!;
  let tree = parser.parse(text)!;
  console.log('hasError', tree.rootNode.hasError, 'top children', tree.rootNode.namedChildCount);
  let prev = await analyzeTree('typescript', tree, text);
  const ph: Record<string, number[]> = {};
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const T = <R>(k: string, f: () => R): R => { const t = cpu(); const r = f(); (ph[k] ??= []).push(cpu() - t); return r; };
  let s = 7; const rand = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
  for (let i = 0; i < 80; i++) {
    const line = 1 + Math.floor(rand() * 4990);
    const at = text.split('\n', line).join('\n').length;
    const row = line - 1; const col = at - text.lastIndexOf('\n', at - 1) - 1;
    text = `${text.slice(0, at)} ${text.slice(at)}`;
    T('edit', () => tree.edit(new Edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: { row, column: col }, oldEndPosition: { row, column: col }, newEndPosition: { row, column: col + 1 } })));
    const next = T('parse', () => parser.parse(text, tree)!);
    const cr = T('changedRanges', () => tree.getChangedRanges(next));
    tree.delete(); tree = next;
    let range = { startRow: row, endRow: row };
    for (const r of cr) { range.startRow = Math.min(range.startRow, r.startPosition.row); range.endRow = Math.max(range.endRow, r.endPosition.row); }
    (ph['rangeRows'] ??= []).push(range.endRow - range.startRow);
    const ms = T('matches', () => q.matches(tree.rootNode, rangeOptions(range)));
    (ph['nmatches'] ??= []).push(ms.length);
    T('split', () => text.split('\n'));
    T('tagsFromMatches', () => tagsFromMatches('typescript', tree, text, ms, range));
    T('recovered', () => recoveredDeclarations('typescript', tree, text.split('\n'), prev.tags));
    T('hash', () => contentHash(text));
    const t = cpu();
    prev = await reanalyzeRange(prev, tree, text, range, 0);
    (ph['reanalyzeRange'] ??= []).push(cpu() - t);
  }
  for (const [k, v] of Object.entries(ph)) console.log(k.padEnd(16), 'p50', pct(v, 50).toFixed(2), 'p95', pct(v, 95).toFixed(2), 'max', Math.max(...v).toFixed(2));
}
main();
