// Verification (docs/architecture.md §5): test detection, shadow workspace, process runner, result parsing, verdicts.
export * from './types';
export { verifyChanges, seedBaseline, type VerifyOptions, type FullVerifyResult } from './verifyChanges';
export { ShadowWorkspace, DEFAULT_HEAVY_DIRS, type SyncStats, type ShadowOptions } from './shadow';
export { detectTestCommand, commandFromScript, runnerOf, splitSteps, packageManagerOf, NO_TEST_COMMAND_MESSAGE, type TestCommand, type RunnerKind, type PackageManager, type PackageScript } from './detect';
export { runProcess, testEnv, type RunProcessOptions, type RunProcessResult } from './processRunner';
export { runTests, runnerName, type ExecutedRun } from './runTests';
export { judge, type Judgement, type JudgeInput } from './verdict';
export { withoutPositionals } from './runnerOptions';
export { RUNNER_HOOK_SOURCE, RUNNER_HOOK_ENV } from './runnerHook';
export { buildInvocation, commandWord, type Selection, type Invocation } from './invocation';
export { selectTests, relatedTestFiles, isTestFile, type BuildImportGraph, type ImportGraphLike } from './selection';
export { parseJUnitXml } from './results/junit';
export { parseJestJson } from './results/jestJson';
export { parseTap, tapCollector, TAP_INCOMPLETE_ID } from './results/tap';
export { parseGoTestJson, goTestJsonCollector } from './results/goTestJson';
export { parseCargoTest, cargoCollector } from './results/cargo';
export { nodeTestEventsCollector, NODE_TEST_REPORTER_SOURCE } from './results/nodeTestEvents';
