// Types for scripts/package.mjs, so the TypeScript e2e harness can import it.
export const root: string;
export const TARGET: string;
export const vsixPath: string;
export function inputsHash(): string;
export function vsixIsFresh(): boolean;
export function packageVsix(opts?: { build?: boolean; ifStale?: boolean; quiet?: boolean }): string;
