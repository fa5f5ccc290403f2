// One entry for "whatever the model (or the user) handed us": SEARCH/REPLACE blocks or a unified diff.
import { hasSearchReplaceMarkers, parseSearchReplaceBlocks } from './parseBlocks';
import { looksLikeUnifiedDiff, parseUnifiedDiff } from './parseUnifiedDiff';
import { EditParseError, type ParsedEditBlock } from './types';

export function parseEdits(text: string): { format: 'search-replace' | 'unified-diff'; blocks: ParsedEditBlock[] } {
  if (hasSearchReplaceMarkers(text)) return { format: 'search-replace', blocks: parseSearchReplaceBlocks(text) };
  if (looksLikeUnifiedDiff(text)) return { format: 'unified-diff', blocks: parseUnifiedDiff(text) };
  throw new EditParseError("no edits found: expected SEARCH/REPLACE blocks ('<<<<<<< SEARCH' … '=======' … '>>>>>>> REPLACE') or a unified diff");
}
