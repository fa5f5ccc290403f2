// Typed messages between the extension (adapter) and the reasoning-panel webview.
// One definition per message; the direction is in the name (…ToWebview / …ToExtension), after GitLens'
// IpcNotification/IpcCommand and rust-analyzer's lsp_ext.ts. Comments on fields say why the field exists.

/** A message type: its `type` tag plus a typed payload. */
export interface MessageType<Tag extends string, Payload> {
  readonly type: Tag;
  /** Phantom field: carries the payload type for `is()` and `create()`; never set at run time. */
  readonly _payload?: Payload;
}

export function defineMessage<Payload>() {
  return <Tag extends string>(type: Tag): MessageType<Tag, Payload> => ({ type });
}

export type Message<M> = M extends MessageType<infer Tag, infer P> ? { type: Tag; payload: P } : never;

export function create<Tag extends string, P>(m: MessageType<Tag, P>, payload: P): { type: Tag; payload: P } {
  return { type: m.type, payload };
}

export function is<Tag extends string, P>(m: MessageType<Tag, P>, msg: unknown): msg is { type: Tag; payload: P } {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === m.type;
}

// ---- shared shapes ----

export type ModelState =
  | { kind: 'not-configured' }
  | { kind: 'not-downloaded'; model: string }
  | { kind: 'downloading'; model: string; percent: number }
  | { kind: 'loading'; model: string }
  | { kind: 'ready'; model: string }
  | { kind: 'busy'; model: string; tokensPerSecond?: number }
  | { kind: 'error'; model?: string; message: string };

export interface PanelSnapshot {
  /** Lets the webview show where the extension is even before any task ran. */
  model: ModelState;
  /** Restricted Mode: the panel explains why tests will not run instead of offering to verify. */
  trusted: boolean;
  /** Version of the extension that rendered the snapshot, shown in the panel footer. */
  version: string;
}

// ---- extension → webview ----

/** The whole panel state, sent on ready and whenever it changes (the panel is small; diffs are not worth it). */
export const SnapshotToWebview = defineMessage<PanelSnapshot>()('snapshot');

// ---- webview → extension ----

/** Sent once the webview script has loaded, so the extension knows it can post. */
export const ReadyToExtension = defineMessage<Record<string, never>>()('ready');

/** A button in the panel that maps to a palette command (the panel never runs anything by itself). */
export const RunCommandToExtension = defineMessage<{ command: 'qwq.showLog' | 'qwq.openPanel' }>()('runCommand');

export type ToWebview = Message<typeof SnapshotToWebview>;
export type ToExtension = Message<typeof ReadyToExtension> | Message<typeof RunCommandToExtension>;
