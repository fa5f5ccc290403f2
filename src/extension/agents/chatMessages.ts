// VS Code's chat messages → the core runtime's messages, for the Language Model Chat Provider. Pure, and typed by
// shape (not by class), so unit tests feed plain objects. Tool calls and results are written the way QwQ's
// template writes them (<tool_call> / <tool_response>), so a conversation that used tools reads as QwQ expects.
import type { ChatMessage } from '../../core/model/types';

/** The slices of vscode's parts we read. */
export interface TextLike { value: string }
export interface ToolCallLike { callId: string; name: string; input: object }
export interface ToolResultLike { callId: string; content: ReadonlyArray<unknown> }
export interface RequestMessageLike { role: number; content: ReadonlyArray<unknown>; name?: string }

/** vscode.LanguageModelChatMessageRole: User 1, Assistant 2, and System 3 (proposed API, sent by VS Code's chat). */
const ROLES: Record<number, ChatMessage['role']> = { 1: 'user', 2: 'assistant', 3: 'system' };

function isText(p: unknown): p is TextLike {
  return typeof p === 'object' && p !== null && typeof (p as TextLike).value === 'string' && !('callId' in p);
}
function isToolCall(p: unknown): p is ToolCallLike {
  return typeof p === 'object' && p !== null && typeof (p as ToolCallLike).callId === 'string' && typeof (p as ToolCallLike).name === 'string' && 'input' in p;
}
function isToolResult(p: unknown): p is ToolResultLike {
  return typeof p === 'object' && p !== null && typeof (p as ToolResultLike).callId === 'string' && Array.isArray((p as ToolResultLike).content);
}

/** One part as the text QwQ reads; parts we cannot show a text model (images, data) are left out. */
export function partText(p: unknown): string | undefined {
  if (isText(p)) return p.value;
  if (isToolCall(p)) return `<tool_call>\n${JSON.stringify({ name: p.name, arguments: p.input })}\n</tool_call>`;
  if (isToolResult(p)) return `<tool_response>\n${p.content.map((c) => (isText(c) ? c.value : '')).join('')}\n</tool_response>`;
  return undefined;
}

/**
 * The conversation for the runtime: consecutive turns of one role are merged (a tool result arrives as its own
 * user message), empty turns dropped. Assistant turns carry only their answers: thinking never reaches history.
 */
export function toRuntimeMessages(messages: ReadonlyArray<RequestMessageLike>): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const role = ROLES[m.role] ?? 'user';
    const text = m.content.map(partText).filter((t): t is string => t !== undefined).join('');
    if (text.trim() === '') continue;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content += `\n\n${text}`;
    else out.push({ role, content: text });
  }
  return out;
}

/** A rough count for a model that is not loaded yet (VS Code asks often; loading a 20 GB model for it would be wrong). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A name for the picker: the file name of a GGUF path or hf: URI, or "model @ host" for a server. */
export function pickerName(label: string): string {
  const last = label.split(/[\\/]/).pop() ?? label;
  return last.includes('@') ? label : last.replace(/\.gguf$/i, '');
}
