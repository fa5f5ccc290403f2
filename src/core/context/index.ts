// The context engine's public surface (issue 5). Consumers import from here.
export type { ContextSnippet, PackedContext } from './types';
export { ContextEngine, defaultBudget, type ContextRequest, type ContextEngineOptions } from './engine';
export { SymbolIndex, type SymbolIndexOptions, type TextChange, type DefinitionLocation, type BuildStats } from './symbolIndex';
export { buildImportGraph, transitiveImporters, type ImportGraph, type ImportGraphOptions } from './importGraph';
export { countSyntaxErrors } from './syntax';
export { buildRepoMap, renderRepoMap } from './repoMap';
export { packSnippets, renderSnippet } from './pack';
export { estimateTokens, charsPerToken, type TokenCounter } from './tokens';
export { languageForPath, type LanguageId } from './languages';
export { walkWorkspace, defaultSkipDirs, defaultMaxFileBytes } from './walk';
export { disposeSharedPool } from './analysisPool';
