// Types for scripts/test.mjs (its pure helpers are unit-tested).
export const TIERS: string[];
export function findFiles(dir: string, suffix: string): string[];
export function tapCounts(text: string): { passed: number; failed: number; skipped: number };
export function groupLeftovers(names: string[]): string;
export function seconds(ms: number): string;
