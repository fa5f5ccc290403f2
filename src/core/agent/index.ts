// The agent (docs/architecture.md §1): the plan → edit → verify → repair loop, its events and ports, and the
// facade that composes the core for the CLI and the extension (qwqCore.ts).
export * from './agent';
export * from './events';
export * from './ports';
export * from './task';
export * from './qwqCore';
export * from './followUp';
export { normalizeEditPath } from './editSchema';
export { EngineContextProvider, ShadowVerifierSession, type VerifierConfig } from './realDeps';
export { verifyForTask } from './acceptance';
export * from './agentTools';
export * from './verifyPatch';
