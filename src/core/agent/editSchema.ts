// The edit the editor call must write, as a JSON schema. The runtime turns it into a grammar, so the
// reply always has this structure (docs/architecture.md §2: 0% malformed edits by construction, against QwQ's 32% free-form).
// The fields are the SEARCH/REPLACE block's own (docs/architecture.md §4): the format QwQ already knows, so the
// editor only transcribes the plan, and the tolerant applier and its "did you mean" errors still apply.
import type { EditBlock } from '../edits';
import { vcsRefusal } from '../edits';

export const EDIT_SCHEMA = {
  type: 'object',
  properties: {
    edits: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          // Workspace-relative path; a new file is a block with an empty search.
          path: { type: 'string' },
          // Exact lines copied from the file: the applier finds them (exact, then indentation, then whitespace).
          search: { type: 'string' },
          replace: { type: 'string' },
        },
        required: ['path', 'search', 'replace'],
        additionalProperties: false,
      },
    },
  },
  required: ['edits'],
  additionalProperties: false,
} as const satisfies Record<string, unknown>;

export type ParsedEdit =
  | { ok: true; blocks: EditBlock[] }
  | { ok: false; error: string };

/**
 * Reads the editor's reply. A grammar guarantees JSON structure, not schema validity (docs/architecture.md §2: a random
 * model still produces e.g. exponent integers, and a remote server may ignore the grammar), so check it.
 */
export function parseEditReply(text: string): ParsedEdit {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch (e) {
    return { ok: false, error: `the edit reply is not JSON (${(e as Error).message.split('\n')[0]})` };
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { edits?: unknown }).edits)) {
    return { ok: false, error: 'the edit reply has no "edits" array' };
  }
  const blocks: EditBlock[] = [];
  const edits = (value as { edits: unknown[] }).edits;
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i] as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) return { ok: false, error: `edit ${i + 1} is not an object` };
    const { path, search, replace } = e;
    if (typeof path !== 'string' || typeof search !== 'string' || typeof replace !== 'string') {
      return { ok: false, error: `edit ${i + 1} needs string "path", "search" and "replace"` };
    }
    const clean = normalizeEditPath(path);
    if (clean === undefined) return { ok: false, error: `edit ${i + 1} has a path outside the workspace: ${JSON.stringify(path)}` };
    const vcs = vcsRefusal(clean);
    if (vcs) return { ok: false, error: `edit ${i + 1}: ${vcs}` };
    if (search === replace) continue; // a no-op block changes nothing; dropping it keeps "already applied" errors for real cases
    blocks.push({ path: clean, search, replace });
  }
  return { ok: true, blocks };
}

/** Workspace-relative with forward slashes, or undefined when it would leave the workspace. */
export function normalizeEditPath(path: string): string | undefined {
  const p = path.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (p === '' || p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return undefined;
  if (p.split('/').some((part) => part === '..')) return undefined;
  return p;
}
