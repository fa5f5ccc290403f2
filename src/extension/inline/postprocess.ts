// Shaping a raw fast-path completion into ghost text. Pure; unit-tested in test/unit/extension/inlinePostprocess.test.ts.
// A raw completion runs on: past the end of the block the cursor is in, and into text that already follows
// the cursor. Both would be noise the user has to delete.

function indentWidth(line: string): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w += 1;
    else if (ch === '\t') w += 4;
    else break;
  }
  return w;
}

const CLOSERS = /^[\s]*[}\])]/;
const OPENER_AT_END = /[{([:]\s*$/;

/**
 * Cuts a multi-line completion at the end of the syntactic block the cursor is in, judged by indentation
 * (it works for brace and indentation languages alike):
 * - when the cursor line opens a block (`{`, `(`, `[` or `:` at its end), the body is kept, plus the one
 *   closing line back at the opener's indentation;
 * - otherwise the completion stops at the first line that dedents below the cursor line (the block ended).
 * `linePrefix` is the text of the cursor's line before the cursor.
 */
export function cutAtBlockEnd(completion: string, linePrefix: string): string {
  const lines = completion.split('\n');
  if (lines.length === 1) return completion;
  const firstLine = linePrefix + lines[0];
  const base = indentWidth(linePrefix.trim() === '' ? linePrefix : firstLine);
  const opens = OPENER_AT_END.test(firstLine);
  const kept = [lines[0]];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') { kept.push(line); continue; }
    const w = indentWidth(line);
    if (opens) {
      if (w <= base) {
        if (CLOSERS.test(line) && w === base) kept.push(line);
        break;
      }
    } else if (w < base) {
      break;
    }
    kept.push(line);
  }
  while (kept.length > 1 && kept[kept.length - 1].trim() === '') kept.pop();
  return kept.join('\n');
}

/**
 * Trims the end of a completion that repeats what already follows the cursor: whole lines equal to the
 * suffix's first lines, then a character overlap on the current line (the `)` or `;` already there).
 */
export function trimSuffixDuplicate(completion: string, suffix: string): string {
  let out = completion;
  const suffixLines = suffix.split('\n');
  // The rest of the cursor's line is suffixLines[0]; whole-line duplicates start after it.
  const followingLines = suffixLines.slice(1);
  const outLines = out.split('\n');
  for (let n = Math.min(outLines.length - 1, followingLines.length); n > 0; n--) {
    const tail = outLines.slice(outLines.length - n).map((l) => l.trimEnd());
    const head = followingLines.slice(0, n).map((l) => l.trimEnd());
    if (tail.join('\n') === head.join('\n') && tail.some((l) => l.trim() !== '')) {
      out = outLines.slice(0, outLines.length - n).join('\n');
      break;
    }
  }
  const restOfLine = suffixLines[0];
  if (restOfLine.trim() !== '') {
    for (let k = Math.min(restOfLine.length, out.length); k > 0; k--) {
      if (out.endsWith(restOfLine.slice(0, k))) {
        // Only trim an overlap that is the whole rest of the line, or punctuation: "a" in "data" is not a duplicate.
        const overlap = restOfLine.slice(0, k);
        if (k === restOfLine.length || /^[\s)\]};,.'"`]+$/.test(overlap)) out = out.slice(0, out.length - k);
        break;
      }
    }
  }
  return out.replace(/\s+$/, (ws) => (ws.includes('\n') ? '' : ws));
}

/** Special tokens of the common chat and FIM templates (ChatML, Llama 3, Gemma, StarCoder, DeepSeek). */
const TEMPLATE_TOKEN = /<\|[^|<>\s]{1,40}\|>|<\/?(?:s|fim_prefix|fim_suffix|fim_middle|fim_pad|file_sep|repo_name|start_of_turn|end_of_turn|eos|bos)>|<｜[^｜]{1,40}｜>|<\|fim▁[a-z]+\|>/;

/**
 * What a model may emit that is never code to insert: a reasoning block, a stray `<think>`/`</think>`, a
 * chat-template or FIM token (the model ran past its turn: everything from there on is dropped), the
 * replacement character of an invalid UTF-8 byte, lone surrogates, and control characters.
 */
export function stripModelArtifacts(raw: string): string {
  let s = raw.replace(/<think>[\s\S]*?<\/think>/g, '');
  // An unclosed <think>: everything after it is reasoning, not code.
  const open = s.indexOf('<think>');
  if (open >= 0) s = s.slice(0, open);
  s = s.replace(/<\/think>/g, '');
  const token = TEMPLATE_TOKEN.exec(s);
  if (token) s = s.slice(0, token.index);
  // U+FFFD stands for bytes that were not valid UTF-8; lone surrogates are half a character.
  s = s.replace(/\uFFFD/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** The whole shaping pipeline: the text to show, or undefined when nothing useful remains. */
export function shapeInlineCompletion(raw: string, linePrefix: string, suffix: string): string | undefined {
  const cut = cutAtBlockEnd(stripModelArtifacts(raw).replace(/\r\n/g, '\n'), linePrefix);
  const trimmed = trimSuffixDuplicate(cut, suffix);
  return trimmed.trim() === '' ? undefined : trimmed;
}
