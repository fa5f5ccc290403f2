// The acceptance policy (docs/architecture.md §5): the one owner of "verified". decide() is the rule; the rest
// gathers what it reads (the run comparison, the judge files, the audit, the goal checks).
export { decide, isVerified, targetsOf, OUTCOME_WORDS, type Decision, type Mark, type RunEvidence, type PatchEvidence, type MutationEvidence } from './decide';
export { judge, type Judgement, type JudgeInput, type JudgedRun } from './judge';
export { namesTest, isRunLevelEntry } from './targets';
export { auditPatch } from './lazyAudit';
export type { AuditReport, AuditFinding, AuditRule } from './audit';
export { holdJudgeFiles, readJudgeConfig, judgeFileKind, MANIFEST_TEST_FIELDS, type JudgeChange, type JudgeConfig, type JudgeFileKind, type HeldChanges } from './judgeFiles';
export { functionRange, touchesLines, implementRejection, type LineSpan, type SymbolSpan } from './goals';
export type { AcceptanceTask, TaskKind, LineRange } from './task';
