// Verification (DESIGN §6): test detection, shadow workspace, process runner, result parsing, verdicts.
export * from './types';
export { verifyChanges, seedBaseline, type VerifyOptions, type FullVerifyResult } from './verifyChanges';
export { ShadowWorkspace, ShadowSyncError, DEFAULT_HEAVY_DIRS, editableSourcePaths, type SyncStats, type ShadowOptions, type RunIsolation } from './shadow';
export { bwrapAvailable, bwrapArgs, envIsolationMode, resolveIsolation, macosSandboxProfile, type IsolationKind, type IsolationMode } from './sandbox';
export { sweepStaleRuns, removeOwnRunDirs, writeOwnerFile, OWNER_FILE, type SweepResult } from './staleRuns';
export { detectTestCommand, commandFromScript, runnerOf, NO_TEST_COMMAND_MESSAGE, type TestCommand, type RunnerKind } from './detect';
export { runProcess, testEnv, killMarked, RUN_MARKER, type RunProcessOptions, type RunProcessResult } from './processRunner';
export { runTests, type TestRun } from './runTests';
export { buildInvocation, type Selection } from './invocation';
export { selectTests, relatedTestFiles, isTestFile, type BuildImportGraph, type ImportGraphLike } from './selection';
export { parseJUnitXml } from './results/junit';
export { parseJestJson } from './results/jestJson';
export { parseTap, tapCollector } from './results/tap';
export { parseGoTestJson, goTestJsonCollector } from './results/goTestJson';
export { parseCargoTest, cargoCollector } from './results/cargo';
export { nodeTestEventsCollector, NODE_TEST_REPORTER_SOURCE } from './results/nodeTestEvents';
