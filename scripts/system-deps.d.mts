// Types for scripts/system-deps.mjs.
export interface SystemDep { pkg: string; ok: () => boolean }
export const SYSTEM_DEPS: Record<'tools' | 'component' | 'browser', SystemDep[]>;
export function missingSystemDeps(groups: string[], deps?: Record<string, SystemDep[]>): string[];
export function canApt(): boolean;
export function ensureSystemDeps(groups: string[], opts?: { why?: string; log?: (line: string) => void }): string[];
