// Turns a unified diff (git or plain) into edit blocks, so diffs go through the same tolerant applier,
// uniqueness rule and "did you mean" errors as SEARCH/REPLACE blocks. Parsing is jsdiff's.
import { parsePatch } from 'diff';
import { EditParseError, type ParsedEditBlock } from './types';

export function looksLikeUnifiedDiff(text: string): boolean {
  return /^(diff --git |--- \S.*\r?\n\+\+\+ \S)/m.test(text) && /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m.test(text)
    || /^--- \/dev\/null\r?\n\+\+\+ /m.test(text);
}

export function parseUnifiedDiff(text: string): ParsedEditBlock[] {
  let patches;
  try {
    patches = parsePatch(text.replace(/\r\n/g, '\n'));
  } catch (e) {
    throw new EditParseError(`malformed unified diff: ${(e as Error).message}`);
  }
  const blocks: ParsedEditBlock[] = [];
  for (const p of patches) {
    const oldName = stripPrefix(p.oldFileName);
    const newName = stripPrefix(p.newFileName);
    if (!oldName && !newName) continue;
    if (newName === undefined && oldName !== undefined) {
      blocks.push({ path: oldName, search: '', replace: '', deleteFile: true });
      continue;
    }
    if (p.hunks.length === 0) throw new EditParseError(`unified diff for ${newName ?? oldName}: no hunks`);
    for (const h of p.hunks) {
      const search: string[] = [];
      const replace: string[] = [];
      for (const l of h.lines) {
        const tag = l[0];
        const body = l.slice(1);
        if (tag === ' ') { search.push(body); replace.push(body); } else if (tag === '-') search.push(body);
        else if (tag === '+') replace.push(body);
        // '\' ("No newline at end of file") carries no content; the applier keeps the file's own final newline.
      }
      blocks.push({
        path: oldName ?? newName,
        search: search.length ? `${search.join('\n')}\n` : '',
        replace: replace.length ? `${replace.join('\n')}\n` : '',
        lineHint: h.oldStart > 0 ? h.oldStart : undefined,
      });
    }
  }
  if (blocks.length === 0) throw new EditParseError('no file changes found in the unified diff');
  return blocks;
}

/** "a/src/x.ts" → "src/x.ts"; "/dev/null" → undefined; drops a trailing tab-separated timestamp. */
function stripPrefix(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.split('\t')[0].trim();
  if (n === '/dev/null') return undefined;
  return n.replace(/^[ab]\//, '');
}
