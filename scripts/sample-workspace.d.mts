// Types for scripts/sample-workspace.mjs.
export const FIXTURE_WORKSPACES: string[];
export function writeGeneratedSample(dir: string): string;
export function fixtureWorkspace(): string | null;
export function prepareSampleWorkspace(dir: string): string;
export const FIXTURE_ONLY: string[];
