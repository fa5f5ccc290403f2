// Types for scripts/settings-merge.mjs.
export function mergeSettingsText(text: string, ours: Record<string, unknown>, previous?: Record<string, unknown>): { text: string; ledger: Record<string, unknown> };
export function mergeSettingsFile(path: string, ours: Record<string, unknown>): { text: string; ledger: Record<string, unknown> };
