// A model's short name for display (the last path segment of a file or an hf: URI). Shared by the extension's
// status bar and the panel, which may import only src/protocol.
export function shortModelName(source: string): string {
  if (source.startsWith('hf:')) return source.slice(3).split('/').pop() ?? source;
  return source.split(/[\\/]/).pop() || source;
}
