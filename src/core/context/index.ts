// The context engine's public surface (docs/architecture.md §3). Consumers import from here.
export type { ContextSnippet, PackedContext } from './types';
export { ContextEngine, defaultBudget, definitionSourceBudgetMs, type ContextRequest, type ContextEngineOptions, type DefinitionSource, type DefinitionQuery, type DefinitionAnswer } from './engine';
export { SymbolIndex, type SymbolIndexOptions, type TextChange, type DefinitionLocation, type BuildStats } from './symbolIndex';
export { buildImportGraph, transitiveImporters, isSourceFile, type ImportGraph, type ImportGraphOptions } from './importGraph';
export { countSyntaxErrors } from './syntax';
export { buildRepoMap, renderRepoMap } from './repoMap';
export { packSnippets, renderSnippet } from './pack';
export { estimateTokens, charsPerToken, type TokenCounter } from './tokens';
export { languageForPath, type LanguageId } from './languages';
export { walkWorkspace, isIgnoredPath, defaultSkipDirs, defaultMaxFileBytes } from './walk';
export { disposeSharedPool } from './analysisPool';
