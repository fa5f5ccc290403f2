// A model's short name for display (the last path segment of a file or an hf: URI). Shared by the extension's
// status bar, Select Model and the panel, which may import only src/protocol.

/** The file ending of the sample's demo models (`npm run demo-models`): scripted, not a real model. */
export const DEMO_MODEL_SUFFIX = '.demo.gguf';
/** How every view names a demo model, so no one mistakes it for a language model. */
export const DEMO_MODEL_LABEL = 'demo model (scripted for the sample workspace)';

export function isDemoModel(source: string): boolean {
  return source.toLowerCase().endsWith(DEMO_MODEL_SUFFIX);
}

export function shortModelName(source: string): string {
  if (source.startsWith('hf:')) return source.slice(3).split('/').pop() ?? source;
  const name = source.split(/[\\/]/).pop() || source;
  return isDemoModel(name) ? `${name.slice(0, -DEMO_MODEL_SUFFIX.length)}: ${DEMO_MODEL_LABEL}` : name;
}
