// The edits engine (docs/architecture.md §4 Edits): parse, apply (in memory, all-or-nothing), diff, write accepted changes.
export * from './types';
export { parseSearchReplaceBlocks, hasSearchReplaceMarkers } from './parseBlocks';
export { parseUnifiedDiff, looksLikeUnifiedDiff } from './parseUnifiedDiff';
export { parseEdits } from './parseEdits';
export { applyBlocksToText, type TextApplyResult } from './applyToText';
export { applyEdits, syntaxCheck, syntaxFailures, type ApplyEditsOptions } from './applyEdits';
export { resolveInWorkspace } from './workspacePaths';
export { isBinary } from './binary';
export { closestLines } from './didYouMean';
export { unifiedDiff } from './unifiedDiff';
export { applyFilePatch, splitPatchByFile, type FilePatch } from './filePatches';
export { writeChanges, WriteRefusedError, type WriteChangesOptions } from './writeChanges';
export { vcsFolderIn, vcsFolderName, vcsRefusal } from './vcsPaths';
export { applyBlocksToBytes, changeBytes, decodeFile, expectedBytes, firstInvalidUtf8, type FileApplyResult } from './fileText';
export { checkWritable, readEditTarget, writeAtomic, type TargetState } from './fileAccess';
