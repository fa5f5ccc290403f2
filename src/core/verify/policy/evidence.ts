// What the acceptance policy reads and marks, as pure types: no imports but types, no Node. The verify contract
// (../types.ts) names them, and through the agent's events the panel does, so the webview's type program reaches
// this file and must not reach the policy's code (docs/architecture.md §1). The policy's modules re-export them.
import type { FileChange } from '../../edits/types';
import type { TestRun } from '../types';

export type JudgedRun = Pick<TestRun, 'tests' | 'exitCode' | 'reported' | 'output' | 'resultsProblem' | 'steps' | 'results'>;

/** Generate Tests: a broken copy of the code under test, and whether the new tests noticed. */
export type MutationEvidence = { description: string; killed: boolean } | { none: string };

/** The runs of one candidate. */
export interface RunEvidence {
  /** The candidate run with every judge file as it was before the edit: "your tests as they were". */
  candidate: JudgedRun;
  /** The candidate run again, when newly failing tests were re-run (flakiness). */
  rerun?: Pick<TestRun, 'tests'>;
  /** The run with the edit's own test changes; needed when the edit changes judge files. */
  editedTests?: JudgedRun;
  /** Generate Tests: the mutation check (the agent's goal check runs it); absent while not yet run. */
  mutation?: MutationEvidence;
}

/** What the edit is, as the policy reads it. */
export interface PatchEvidence {
  changes: readonly FileChange[];
  /** The judge files it changes (judgeFiles.ts holdJudgeFiles). */
  judgeChanges: readonly JudgeChange[];
  /** auditPatch's report on the changes. */
  audit: AuditReport;
  /** Implement Function: where the context engine found the symbol (else it is found in the text). */
  symbolSpans?: readonly SymbolSpan[];
}

/** A line the card marks, and why. */
export interface Mark {
  path: string;
  line: number;
  kind: 'changes-tests' | 'audit';
  why: string;
}

export type AuditRule = 'exit' | 'assertion' | 'hook' | 'test-env' | 'skip' | 'results' | 'dynamic';

export interface AuditFinding {
  path: string;
  /** 1-based line in the edited text. */
  line: number;
  rule: AuditRule;
  /** Why it is not trusted, in words for the card. */
  why: string;
  /** The code, trimmed to one line. */
  code: string;
}

declare const audited: unique symbol;
/** What auditPatch found. Branded: decide() takes only a report that auditPatch made. */
export interface AuditReport {
  readonly findings: readonly AuditFinding[];
  /** Changed files whose language has no audit queries (named in the decision's notes). */
  readonly unaudited: readonly string[];
  readonly [audited]: true;
}

export type JudgeFileKind = 'test' | 'config' | 'manifest' | 'lockfile';

/** One changed file that judges the edit, and the lines of the edit (1-based, in the edited text) that change it. */
export interface JudgeChange {
  path: string;
  kind: JudgeFileKind;
  /** In words, for the card: "a test file", "pytest's configuration", … */
  what: string;
  lines: number[];
}

/** 1-based inclusive lines. */
export interface LineSpan { startLine: number; endLine: number }

/** Where a symbol is defined (from the context engine, or found by functionRange). */
export interface SymbolSpan extends LineSpan { path: string }
