// How a message between the extension and the panel is defined, built, checked and dispatched. Each definition
// carries a valibot schema for its payload: what crosses the webview boundary is untrusted on both sides (a
// compromised or stale webview; a panel script that must not render half a message), so a receiver parses
// before it acts, and a message that fails is dropped whole with a reason. valibot because it is small and
// tree-shakes into the browser bundle. docs/architecture.md §9 says how to add a message.
import * as v from 'valibot';

/** A message type: its `type` tag and the schema its payload must pass. */
export interface MessageType<Tag extends string, Payload> {
  readonly type: Tag;
  readonly payload: v.GenericSchema<unknown, Payload>;
}

type AnyMessageType = MessageType<string, any>;

/** The payload type a definition carries. */
export type PayloadOf<M> = M extends MessageType<string, infer P> ? P : never;

/** One message as it travels: `{ type, payload }`. */
export type Message<M> = M extends MessageType<infer Tag, infer P> ? { type: Tag; payload: P } : never;

/** Defines a message: its tag and its payload's schema (lint `qwq/messages` fails on a definition without one). */
export function defineMessage<const Tag extends string, const S extends v.GenericSchema>(type: Tag, payload: S): MessageType<Tag, v.InferOutput<S>> {
  return { type, payload: payload as v.GenericSchema<unknown, v.InferOutput<S>> };
}

/**
 * A schema for a large payload the other side built from the same types (the panel state, event batches): it
 * checks the frame the receiver reads first and types the payload as `T`, so the check stays cheap per batch.
 */
export function framed<T>(what: string, frame: v.GenericSchema): v.GenericSchema<unknown, T> {
  return v.custom<T>((x) => v.is(frame, x), `not ${what}`);
}

/** The one way to build a message to post: the payload is typed by its definition. */
export function create<Tag extends string, P>(m: MessageType<Tag, P>, payload: P): { type: Tag; payload: P } {
  return { type: m.type, payload };
}

/** Whether `msg` is an `m` whose payload passes its schema (not only its tag). */
export function is<Tag extends string, P>(m: MessageType<Tag, P>, msg: unknown): msg is { type: Tag; payload: P } {
  return tagOf(msg) === m.type && v.is(m.payload, (msg as { payload?: unknown }).payload);
}

export type ParseResult<M> = { ok: true; message: Message<M> } | { ok: false; error: string };

/**
 * Reads an untrusted message against the definitions one side accepts: the definition its tag names, and the
 * payload as that schema outputs it (unknown keys dropped). A failure says which message and why, in one line.
 */
export function parse<const Defs extends readonly AnyMessageType[]>(defs: Defs, msg: unknown): ParseResult<Defs[number]> {
  const tag = tagOf(msg);
  const def = defs.find((d) => d.type === tag);
  if (!def) return { ok: false, error: `unknown message type ${describe(tag)}` };
  const r = v.safeParse(def.payload, (msg as { payload?: unknown }).payload);
  if (!r.success) return { ok: false, error: `'${def.type}' with an invalid payload: ${r.issues.map((i) => `${v.getDotPath(i) ?? 'payload'}: ${i.message}`).join('; ')}` };
  return { ok: true, message: { type: def.type, payload: r.output } as Message<Defs[number]> };
}

/**
 * A handler per message a side accepts, keyed by tag: the type fails to compile while a definition has no
 * handler, and each handler gets its own payload type.
 */
export type MessageHandlers<Defs extends readonly AnyMessageType[], R = void> = {
  [M in Defs[number] as M['type']]: (payload: PayloadOf<M>) => R;
};

/** Calls the handler of a parsed message. */
export function dispatch<const Defs extends readonly AnyMessageType[], R>(handlers: MessageHandlers<Defs, R>, message: Message<Defs[number]>): R {
  const { type, payload } = message as { type: string; payload: unknown };
  return (handlers as Record<string, (p: unknown) => R>)[type]!(payload);
}

function tagOf(msg: unknown): unknown {
  return typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined;
}

function describe(tag: unknown): string {
  return typeof tag === 'string' ? `'${tag.slice(0, 60)}'` : `(no string tag: ${tag === undefined ? 'none' : typeof tag})`;
}
