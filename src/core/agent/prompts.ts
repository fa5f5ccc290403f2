// Every word the agent says to a model lives here, with the reason it is there.
//
// Ground rules, from QwQ-32B's model card and from what Aider measured (docs/architecture.md §2):
// - No system prompt. QwQ's template needs none, and the card gives its usage guidelines as user-turn text.
//   node-llama-cpp adds the tool-description system text itself when tools are offered, in QwQ's format.
//   Nothing here tries to switch thinking off or shorten it: the thought budget is enforced by the runtime
//   (budgets.thoughtTokens), never by prompt tricks, which degrade a reasoning model's answers.
// - "Please reason step by step" is the card's own phrasing for a thinking request, followed by a statement of
//   what the *final answer* must contain (the card's "standardize output format" advice): only that answer is
//   kept in the history and handed to the editor, so it must stand on its own.
// - The architect describes the change; a second call writes it under a JSON-schema grammar with thinking off
//   (docs/architecture.md §2: a grammar masks <think>). The editor prompt therefore asks for transcription, not reasoning.
// - History keeps only final answers (the card): the loop never puts a thought back into a message.
import type { ContextSnippet, PackedContext } from '../context/types';
import type { ChatMessage } from '../model/types';
import type { AgentTask, ConversationTurn, TaskKind } from './task';
import { trimOutput as trimText } from '../verify/types';

/** Limits that keep a prompt inside the context window; the context engine already packed the snippets. */
export const promptLimits = {
  /** One file's text shown to the editor. Longer files are cut around the selection / the plan's lines. */
  fileChars: 24_000,
  /** All files shown to the editor together. */
  filesChars: 48_000,
  /** Test output fed back in a repair round (trimmed head + tail; the tail has the assertion). */
  testOutputChars: 3_000,
  /** One attached file or symbol (#file:, #symbol:); a longer one keeps its head. */
  attachmentChars: 12_000,
  /** One earlier answer of the conversation. */
  historyAnswerChars: 4_000,
  /** Earlier turns kept: the newest ones (a long conversation must not crowd out the code). */
  historyTurns: 6,
};

/**
 * The earlier turns of a conversation as chat messages, before the new request: the person's words and the
 * final answers only (QwQ's card: thinking is not kept in history), the newest turns when there are many.
 */
export function historyMessages(history: readonly ConversationTurn[] | undefined): ChatMessage[] {
  const turns = (history ?? []).slice(-promptLimits.historyTurns);
  return turns.flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.request.trim() || '(no instruction)' },
    { role: 'assistant', content: stripThinking(t.answer).slice(0, promptLimits.historyAnswerChars) },
  ]);
}

/** An answer never carries thinking into history, even one a model left inside <think> tags. */
function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/g, '').replace(/^[\s\S]*<\/think>/, '').trim();
}

/**
 * What the person attached (#file:, #symbol:) goes first, before what the context engine found, and is listed
 * first in "Context used"; a snippet the engine found twice is kept once. Tokens: about 4 characters each.
 */
export function withAttachments(task: AgentTask, packed: PackedContext): PackedContext {
  const attached = (task.attachments ?? []).map((a): ContextSnippet => {
    const text = a.text.length > promptLimits.attachmentChars ? `${a.text.slice(0, promptLimits.attachmentChars)}\n…` : a.text;
    return { path: a.path, startLine: a.startLine, endLine: a.endLine, kind: 'attached', text, ...(a.symbol ? { symbol: a.symbol } : {}) };
  });
  if (attached.length === 0) return packed;
  const covered = (s: ContextSnippet) => attached.some((a) => a.path === s.path && a.startLine <= s.startLine && s.endLine <= a.endLine);
  const rest = packed.snippets.filter((s) => !covered(s));
  const tokens = attached.reduce((n, a) => n + Math.ceil(a.text.length / 4), 0);
  return { snippets: [...attached, ...rest], tokens: packed.tokens + tokens };
}

export interface FileView { path: string; text: string; note?: string }

export interface BaselineView {
  runner: string;
  /** The failing tests the task must make pass (fix-failing-tests). */
  targets: string[];
  /** Trimmed output of those failures. */
  output?: string;
}

export interface PlanPromptInput {
  task: AgentTask;
  /** The selected lines' text, when there is a selection. */
  selectionText?: string;
  snippets: ContextSnippet[];
  baseline?: BaselineView;
  /** Names of the tools offered; the prompt mentions only those (an untrusted workspace has no run_tests). */
  tools: string[];
}

// Why a sentence per kind: the kind decides what "done" means, and the model should know the judge.
const goals: Record<TaskKind, (t: AgentTask) => string> = {
  'edit-selection': (t) => `Change the code${t.selection ? ' in the selection' : ''} as instructed. Keep everything else as it is.`,
  // "Change the code under test, not the tests": the verdict requires the target tests to pass *unchanged in
  // intent*; a model that edits assertions to pass is the classic failure of test-driven repair.
  'fix-failing-tests': () => 'Some tests fail. Find the cause in the code and fix it. Change the code under test, not the tests, unless a test is plainly wrong.',
  'implement-function': (t) => `Implement ${t.symbol ? `the function \`${t.symbol}\`` : 'the function'} from its signature, docstring and comments. Keep its name and signature as they are; callers rely on them.`,
  // The judge is stated: the new tests run on the current code (they must pass) and on a mutated copy (they
  // should fail). Saying so steers the model away from tautological tests.
  'generate-tests': (t) => `Write new tests for ${t.symbol ? `\`${t.symbol}\`` : 'the code'}. The current code is correct: the new tests must pass on it, and they should fail if the behaviour changed. Use the test framework and the test file layout the repository already uses. Do not change the code under test.`,
  explain: () => 'Explain the code: what it does, how, and anything surprising or risky in it.',
};

function fence(text: string, lang = ''): string {
  // A fence longer than any backtick run inside, so code that contains ``` cannot end it early.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

function snippetBlock(s: ContextSnippet): string {
  const what = s.symbol ? ` (${s.kind} ${s.symbol})` : ` (${s.kind})`;
  return `${s.path}:${s.startLine}-${s.endLine}${what}\n${fence(s.text)}`;
}

/** The first user turn of the architect conversation. */
export function planPrompt(input: PlanPromptInput): string {
  const { task } = input;
  const parts: string[] = [];
  parts.push(goals[task.kind](task));
  if (task.instruction.trim()) parts.push(`Instruction: ${task.instruction.trim()}`);
  if (task.file) {
    const where = task.selection ? ` (lines ${task.selection.startLine}-${task.selection.endLine} selected)` : '';
    parts.push(`File: ${task.file}${where}`);
  }
  if (input.selectionText !== undefined) parts.push(`Selected code:\n${fence(input.selectionText)}`);
  if (input.baseline && input.baseline.targets.length > 0) {
    // The failing tests *are* the specification of a fix; their output usually names the wrong value.
    parts.push(`Failing tests (${input.baseline.runner}):\n${input.baseline.targets.map((t) => `- ${t}`).join('\n')}`);
    if (input.baseline.output) parts.push(`Their output:\n${fence(input.baseline.output)}`);
  }
  if (input.snippets.length > 0) {
    // Paths and line numbers on every snippet, so the plan can name exact places and read_file can fetch more.
    parts.push(`Code from the repository:\n\n${input.snippets.map(snippetBlock).join('\n\n')}`);
  }
  if (input.tools.length > 0) {
    // Environmental feedback is what QwQ was trained to use; telling it the tools are read-only avoids plans
    // that try to "run a fix" through them.
    parts.push(`You may call these read-only tools to look at more of the repository before you answer: ${input.tools.join(', ')}. They never change files.`);
  }
  if (task.kind === 'explain') {
    parts.push('Please reason step by step. Then give your explanation as the final answer, in plain prose with short code references.');
  } else {
    // After Aider's architect prompt: the editor relies only on this answer, so it must be complete, but whole
    // files would waste tokens and invite transcription errors.
    parts.push([
      'Please reason step by step. Then give your final answer as a plan that another engineer will turn into exact edits without seeing your reasoning:',
      '- for each file to change, its path and the exact change (show the changed lines of code, not whole files);',
      '- nothing else: no tests to run, no explanations of alternatives.',
    ].join('\n'));
  }
  return parts.join('\n\n');
}

export interface EditPromptInput {
  task: AgentTask;
  plan: string;
  files: FileView[];
  /** Why the last edit failed to apply, so this one copies the file's real lines ("did you mean"). */
  applyFeedback?: string;
}

/** The only user turn of an editor call (a fresh conversation each time: the editor needs no history). */
export function editPrompt(input: EditPromptInput): string {
  const parts: string[] = [];
  // Transcription, not reasoning: thinking is off under the grammar, so the request must be mechanical.
  parts.push('Turn the plan below into exact edits of the files shown. Answer with a JSON object {"edits": [{"path": …, "search": …, "replace": …}]}.');
  parts.push([
    // Each rule answers a failure mode of SEARCH/REPLACE edits seen in practice:
    '- path: the file\'s path exactly as in its header below.', // invented or absolute paths
    '- search: lines copied exactly from the file as it is now, with their indentation, and enough of them to be unique in the file.', // paraphrased or ambiguous search text
    '- replace: the lines that take their place.',
    '- One edit per place that changes; keep each small: the changed lines and a line or two around them.', // whole-file rewrites that drift
    '- To create a new file, give its path and an empty search.',
    '- If the plan needs no change, answer {"edits": []}.', // lets the editor say "nothing to do" without inventing a change
  ].join('\n'));
  parts.push(`Task: ${goals[input.task.kind](input.task)}${input.task.instruction.trim() ? `\nInstruction: ${input.task.instruction.trim()}` : ''}`);
  parts.push(`Plan:\n${input.plan.trim() || '(the plan is empty: make the smallest change that does the task)'}`);
  if (input.applyFeedback) {
    parts.push(`Your previous edit could not be applied:\n${input.applyFeedback}\nCopy the search lines from the file below, character for character.`);
  }
  const shown = input.files.map((f) => `### ${f.path}${f.note ? ` (${f.note})` : ''}\n${fence(f.text)}`);
  parts.push(`Files:\n\n${shown.join('\n\n')}`);
  return parts.join('\n\n');
}

export type RepairFeedback =
  | { kind: 'apply'; message: string }
  | { kind: 'tests'; verdict: string; newlyFailing: string[]; targetsStillFailing: string[]; output?: string; diff: string; /** The verdict's reason, in words (not-fixed and inconclusive need it most). */ reason?: string }
  | { kind: 'generate'; problem: string; diff: string; output?: string }
  | { kind: 'invalid-reply'; message: string };

/**
 * The user turn that opens a repair round in the architect conversation. It says what happened and that the
 * files are unchanged: every candidate is tried on the original files, so a new plan must not assume the
 * failed edit is in place.
 */
export function repairPrompt(feedback: RepairFeedback): string {
  const again = 'The files are unchanged: the edit was not kept. Please reason step by step about the cause, then give a new complete plan, in the same form as before, that starts from the original files.';
  switch (feedback.kind) {
    case 'apply':
      return `The edit written from your plan could not be applied:\n${feedback.message}\n\nName the exact lines the plan changes, as they appear in the file. ${again}`;
    case 'invalid-reply':
      return `The edit written from your plan was unusable: ${feedback.message}\n\n${again}`;
    case 'tests': {
      const lines = [`The edit was applied in a copy of the workspace and the tests ran. Verdict: ${feedback.verdict}${feedback.reason ? ` (${feedback.reason})` : ''}.`];
      if (feedback.newlyFailing.length) lines.push(`Tests that passed before and fail now:\n${feedback.newlyFailing.map((t) => `- ${t}`).join('\n')}`);
      if (feedback.targetsStillFailing.length) lines.push(`Tests that still fail:\n${feedback.targetsStillFailing.map((t) => `- ${t}`).join('\n')}`);
      if (feedback.output) lines.push(`Test output (trimmed):\n${fence(feedback.output)}`);
      lines.push(`The edit that was tried:\n${fence(feedback.diff, 'diff')}`);
      lines.push(again);
      return lines.join('\n\n');
    }
    case 'generate': {
      const lines = [`The new tests were run. ${feedback.problem}`];
      if (feedback.output) lines.push(`Test output (trimmed):\n${fence(feedback.output)}`);
      lines.push(`The edit that was tried:\n${fence(feedback.diff, 'diff')}`);
      lines.push(again);
      return lines.join('\n\n');
    }
  }
}

/** Test output for a prompt: verify's one trimming rule, at the prompt's budget. */
export const trimOutput = (text: string, maxChars: number = promptLimits.testOutputChars): string => trimText(text, maxChars);

/** Shows a long file around the lines that matter, so the editor sees what it must copy. */
export function viewFile(path: string, text: string, focus?: { startLine: number; endLine: number }, maxChars = promptLimits.fileChars): FileView {
  if (text.length <= maxChars) return { path, text };
  const lines = text.split('\n');
  const center = focus ? Math.floor((focus.startLine + focus.endLine) / 2) - 1 : 0;
  let start = Math.max(0, center);
  let end = start;
  let size = 0;
  // Grow the window both ways until it is full: the editor needs context on each side of the change.
  while ((start > 0 || end < lines.length) && size < maxChars) {
    if (end < lines.length) size += lines[end++].length + 1;
    if (start > 0 && size < maxChars) size += lines[--start].length + 1;
  }
  return { path, text: lines.slice(start, end).join('\n'), note: `lines ${start + 1}-${end} of ${lines.length}` };
}
