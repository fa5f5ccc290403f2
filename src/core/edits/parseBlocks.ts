// Parses SEARCH/REPLACE blocks (docs/architecture.md §4 Edits) out of a model's whole reply: prose, code fences and path lines
// around the blocks are tolerated, malformed blocks are reported with their line number.
import { EditParseError, type ParsedEditBlock } from './types';

const SEARCH = /^\s*<{5,9}\s*SEARCH\b.*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9}\s*REPLACE\b.*$/;
const FENCE = /^\s*(```|~~~)/;

export function hasSearchReplaceMarkers(text: string): boolean {
  return text.split(/\r?\n/).some((l) => SEARCH.test(l));
}

/**
 * Every block in `text`, in reply order. A block without its own path line inherits the previous block's
 * path (models often group several blocks under one file name). Throws EditParseError on a malformed block.
 */
export function parseSearchReplaceBlocks(text: string): ParsedEditBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: ParsedEditBlock[] = [];
  let lastPath: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (REPLACE.test(line)) {
      throw new EditParseError(`line ${i + 1}: '>>>>>>> REPLACE' without a matching '<<<<<<< SEARCH'`, i + 1);
    }
    if (!SEARCH.test(line)) { i++; continue; }
    const start = i;
    const path = findPathLine(lines, start) ?? lastPath;
    const search: string[] = [];
    const replace: string[] = [];
    i++;
    while (i < lines.length && !DIVIDER.test(lines[i])) {
      if (SEARCH.test(lines[i]) || REPLACE.test(lines[i])) {
        throw new EditParseError(`block ${blocks.length + 1} (line ${start + 1}): found '${lines[i].trim()}' at line ${i + 1} before the '=======' divider`, i + 1);
      }
      search.push(lines[i++]);
    }
    if (i >= lines.length) {
      throw new EditParseError(`block ${blocks.length + 1} (line ${start + 1}): missing the '=======' divider after '<<<<<<< SEARCH'`, start + 1);
    }
    i++;
    while (i < lines.length && !REPLACE.test(lines[i])) {
      if (SEARCH.test(lines[i]) || DIVIDER.test(lines[i])) {
        throw new EditParseError(`block ${blocks.length + 1} (line ${start + 1}): found '${lines[i].trim()}' at line ${i + 1} before '>>>>>>> REPLACE'`, i + 1);
      }
      replace.push(lines[i++]);
    }
    if (i >= lines.length) {
      throw new EditParseError(`block ${blocks.length + 1} (line ${start + 1}): missing '>>>>>>> REPLACE' at the end of the block`, start + 1);
    }
    i++;
    blocks.push({ path, search: joinLines(search), replace: joinLines(replace), sourceLine: start + 1 });
    lastPath = path;
  }
  return blocks;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The file path written just above a block, skipping blank lines and one opening code fence. */
function findPathLine(lines: string[], searchLine: number): string | undefined {
  let j = searchLine - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  if (j >= 0 && FENCE.test(lines[j])) {
    // "```ts" right above: the path may be the fence's info string ("```src/a.ts") or the line above it.
    const info = lines[j].trim().replace(/^(```|~~~)/, '').trim();
    if (looksLikePath(info) && /[./\\]/.test(info)) return cleanPath(info);
    j--;
    while (j >= 0 && lines[j].trim() === '') j--;
  }
  if (j < 0) return undefined;
  const candidate = lines[j].trim();
  if (REPLACE.test(candidate) || DIVIDER.test(candidate) || FENCE.test(candidate)) return undefined;
  const labelled = /^(?:file(?:name)?|path)\s*:\s*(\S+)$/i.exec(candidate.replace(/[*`#]/g, '').trim());
  if (labelled) return cleanPath(labelled[1]);
  const cleaned = cleanPath(candidate);
  return looksLikePath(cleaned) ? cleaned : undefined;
}

function cleanPath(s: string): string {
  return s.replace(/^[#*`>\s-]+/, '').replace(/[`*:\s]+$/, '').trim();
}

function looksLikePath(s: string): boolean {
  // Prose has spaces; a path line does not (paths with spaces are rare enough in model replies).
  return s.length > 0 && s.length < 260 && !/\s/.test(s) && /^[\w./\\@+~\-[\]()]+$/.test(s) && /[\w]/.test(s);
}
