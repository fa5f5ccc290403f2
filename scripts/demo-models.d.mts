// Types for scripts/demo-models.mjs.
export function writeDemoModels(dir: string): { cart: string; repair: string };
export function demoModelSettings(dir: string): Record<string, unknown>;
