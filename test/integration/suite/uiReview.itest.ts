// The review controller inside a real extension host: the preview as a real diff (the user's file ↔ the proposed
// text) with per-hunk CodeLens on the proposed side, a rejected hunk leaving the proposed text at once, per-hunk
// decisions (a partial choice is verified before it applies, as one undo step, and the panel's card then shows
// the diff that was applied), Apply unverified… behind a confirmation, diff tabs closed on Reject, and the panel
// following undo and redo of an accepted edit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createTwoFilesPatch } from 'diff';
import type { QwqCoderTestApi } from '../../../src/extension/testApi';
import { addCandidate, api, folder, scratchFiles, until } from './helpers';
import { candidateUri } from '../../../src/extension/review/reviewFiles';

// Two separate hunks: line 2 and line 6.
const BEFORE = 'export function add(a, b) {\n  return a - b;\n}\n\nexport function sub(a, b) {\n  return a + b;\n}\n';
const AFTER = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function sub(a, b) {\n  return a - b;\n}\n';
const ONLY_FIRST = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function sub(a, b) {\n  return a + b;\n}\n';

/** Changes a document through a WorkspaceEdit (its editor may be hidden behind the diff editor). */
async function changeDocument(doc: vscode.TextDocument, fn: (e: vscode.WorkspaceEdit, uri: vscode.Uri) => void): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  fn(edit, doc.uri);
  assert.equal(await vscode.workspace.applyEdit(edit), true);
}

suite('qwq-coder review in the editor', () => {
  const files = scratchFiles('qwq-review-itest');
  const openFile = files.open;

  /** A candidate as the task controller registers it, and the panel's card for it. */
  function candidate(a: QwqCoderTestApi, taskId: string, rel: string, doc: vscode.TextDocument, verified: boolean, after = AFTER): void {
    const diff = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, doc.getText(), after);
    addCandidate(a, taskId, rel, doc, verified, diff);
    a.store.dispatch({ type: 'task-started', taskId, kind: 'edit-selection', instruction: 'swap', files: [rel] });
    a.store.dispatch({ type: 'candidate', taskId, candidate: { id: 'c1', round: 1, diff, files: [rel], verdict: verified ? 'verified' : 'regressed', reason: verified ? 'Your tests pass.' : 'add adds fails.' } });
    a.store.dispatch({ type: 'task-finished', taskId, outcome: verified ? 'verified' : 'unverified', message: 'done' });
  }

  const resolution = (a: QwqCoderTestApi, taskId: string) => a.store.state.tasks.find((t) => t.taskId === taskId)?.candidates[0].resolution;

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors').then(undefined, () => undefined);
    await files.cleanup();
  });

  test('the preview is a real diff: the proposed side has CodeLens per hunk and per file; a rejected hunk leaves it; the user\'s text is untouched', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'preview', rel, editor.document, true);
    const ref = { taskId: 'preview', candidateId: 'c1' };
    assert.equal(await a.review.preview(ref), true);
    await until('the diff editor shows the proposed text', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff
      && t.input.original.toString() === editor.document.uri.toString() && t.input.modified.scheme === 'qwq-candidate'));
    const proposed = await vscode.workspace.openTextDocument(candidateUri(ref, rel));
    assert.equal(proposed.getText(), AFTER, 'the proposed side holds the whole edit');
    const lenses = () => a.review.provideCodeLenses(proposed).map((l) => ({ title: l.command?.title ?? '', line: l.range.start.line }));
    assert.deepEqual(lenses().filter((l) => l.title.includes('Accept') && !l.title.includes('File')).map((l) => l.line), [1, 5], 'an Accept on each hunk\'s line');
    assert.ok(lenses().some((l) => l.title.includes('Accept File')) && lenses().some((l) => l.title.includes('Reject File')));
    assert.equal(editor.document.getText(), BEFORE, 'a preview writes nothing');
    assert.equal(editor.document.isDirty, false);
    assert.equal(a.store.state.tasks.find((t) => t.taskId === 'preview')?.candidates[0].previewing, true);

    // Rejecting the second hunk takes it out of the proposed text: the diff shows only what is still proposed.
    await a.review.decideHunk(ref, rel, 1, 'rejected');
    await until('the proposed text follows the decision', async () => (await vscode.workspace.openTextDocument(candidateUri(ref, rel))).getText() === ONLY_FIRST);
    assert.ok(lenses().some((l) => /change 2 of 2: rejected/.test(l.title)));
    assert.equal(editor.document.getText(), BEFORE);

    await a.review.reject(ref);
    assert.deepEqual(a.review.provideCodeLenses(proposed), [], 'Reject ends the preview');
  });

  test('accepting every hunk applies the verified text as one undo step; undo and redo show in the panel', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'all-hunks', rel, editor.document, true);
    const ref = { taskId: 'all-hunks', candidateId: 'c1' };
    await a.review.preview(ref);
    const reverified = a.reverifications;
    await vscode.commands.executeCommand('qwq.review.acceptHunk', ref, rel, 0);
    assert.equal(editor.document.getText(), BEFORE, 'nothing applies until every hunk is decided');
    await vscode.commands.executeCommand('qwq.review.acceptHunk', ref, rel, 1);
    assert.equal(editor.document.getText(), AFTER);
    assert.equal(a.reverifications, reverified, 'the verified text needs no second run');
    assert.equal(resolution(a, 'all-hunks'), 'accepted');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), BEFORE, 'one undo restores the text');
    await until('the panel says undone', () => resolution(a, 'all-hunks') === 'undone');
    await vscode.commands.executeCommand('redo');
    await until('the panel says accepted again', () => resolution(a, 'all-hunks') === 'accepted');
    await vscode.commands.executeCommand('undo');
  });

  test('a partial choice is a text nobody tested: it is verified (real tests, shadow copy) before it applies, as one undo step', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'partial', rel, editor.document, true);
    const ref = { taskId: 'partial', candidateId: 'c1' };
    await a.review.preview(ref);
    const reverified = a.reverifications;
    await a.review.decideHunk(ref, rel, 0, 'accepted');
    await a.review.decideHunk(ref, rel, 1, 'rejected');
    assert.equal(a.reverifications, reverified + 1, 'the partial text was verified');
    assert.equal(editor.document.getText(), ONLY_FIRST);
    assert.equal(resolution(a, 'partial'), 'partial');
    // The panel's card follows: it shows the diff that was applied, without the rejected hunk, in one plain sentence.
    const card = a.store.state.tasks.find((t) => t.taskId === 'partial')!.candidates[0];
    assert.match(card.diff, /\+  return a \+ b;/);
    assert.doesNotMatch(card.diff, /\+  return a - b;/, 'the rejected hunk is not in the panel\'s diff');
    assert.doesNotMatch(card.resolutionMessage ?? '', /verified[^.]*verified/i, card.resolutionMessage);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), BEFORE, 'one undo step');
  });

  test('a partial choice on a file changed elsewhere goes onto the current text, verified there first', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'partial-moved', rel, editor.document, true);
    const ref = { taskId: 'partial-moved', candidateId: 'c1' };
    await a.review.preview(ref);
    // The diff editor took the file's tab: the user's change arrives through the document (as from another editor).
    await changeDocument(editor.document, (e, uri) => e.insert(uri, new vscode.Position(0, 0), '// note\n'));
    const reverified = a.reverifications;
    await a.review.decideHunk(ref, rel, 0, 'accepted');
    await a.review.decideHunk(ref, rel, 1, 'rejected');
    assert.equal(a.reverifications, reverified + 1);
    assert.equal(editor.document.getText(), `// note\n${ONLY_FIRST}`, 'the user\'s line and the chosen change are both there');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
  });

  test('a fix accepted in part is held to the fix: only the hunk that does not fix the failing test is not verified, nothing applies', async () => {
    // The sample workspace's own bug: total() subtracts discountPercent unscaled, and its test fails. The
    // candidate is a two-hunk fix (a comment, and the fix); the user keeps only the comment.
    const a = await api();
    const uri = vscode.Uri.joinPath(folder(), 'src/cart.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    assert.match(before, /return sub - sub \* discountPercent;/, 'the fixture still has its bug');
    const after = before.replace('/** Sum of price * quantity over the items. */', '/** Sum of price times quantity over the items. */')
      .replace('return sub - sub * discountPercent;', 'return sub - (sub * discountPercent) / 100;');
    const rel = 'src/cart.js';
    const diff = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after);
    addCandidate(a, 'partial-fix', rel, doc, true, diff, { kind: 'fix-failing-tests', targets: ['test/cart.test.js::total applies a percentage discount'] });
    a.store.dispatch({ type: 'task-started', taskId: 'partial-fix', kind: 'fix-failing-tests', instruction: '', files: [rel] });
    a.store.dispatch({ type: 'candidate', taskId: 'partial-fix', candidate: { id: 'c1', round: 1, diff, files: [rel], verdict: 'verified', reason: 'Your tests pass.' } });
    a.store.dispatch({ type: 'task-finished', taskId: 'partial-fix', outcome: 'verified', message: 'done' });
    const ref = { taskId: 'partial-fix', candidateId: 'c1' };
    await vscode.window.showTextDocument(doc);
    await a.review.preview(ref);
    const reverified = a.reverifications;
    await a.review.decideHunk(ref, rel, 0, 'accepted'); // the comment
    await a.review.decideHunk(ref, rel, 1, 'rejected'); // the fix
    assert.equal(a.reverifications, reverified + 1, 'the chosen text was verified again, for the fix task');
    assert.equal(doc.getText(), before, 'nothing applied: the failing test still fails without the fixing hunk');
    assert.notEqual(resolution(a, 'partial-fix'), 'partial');
    await a.review.reject(ref).then(undefined, () => undefined);
  });

  test('a hunk decision on a file that changed since verification applies nothing without verifying again', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'moved-on', rel, editor.document, true);
    const ref = { taskId: 'moved-on', candidateId: 'c1' };
    await a.review.preview(ref);
    // The user rewrites the very line of hunk 1: the edit no longer applies there.
    await changeDocument(editor.document, (e, uri) => e.replace(uri, new vscode.Range(1, 2, 1, 15), 'return a * b;'));
    const text = editor.document.getText();
    await a.review.decideFile(ref, rel, 'accepted');
    assert.equal(editor.document.getText(), text, 'nothing applied onto text that was not verified');
    assert.equal(resolution(a, 'moved-on'), 'stale');
  });

  test('Apply unverified… applies only after the confirmation, and is recorded as unverified', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'unverified', rel, editor.document, false);
    const ref = { taskId: 'unverified', candidateId: 'c1' };
    assert.equal(await a.review.accept(ref), false, 'Accept refuses it');
    let asked = '';
    assert.equal(await a.review.applyUnverified(ref, async (why) => { asked = why; return false; }), false);
    assert.equal(asked, 'add adds fails.', 'the confirmation says why it is not verified');
    assert.equal(editor.document.getText(), BEFORE);
    assert.equal(await a.review.applyUnverified(ref, async () => true), true);
    assert.equal(editor.document.getText(), AFTER);
    assert.equal(resolution(a, 'unverified'), 'applied-unverified');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
  });

  test('Reject closes the candidate\'s diff tab; the title-bar command acts on the diff editor\'s candidate', async () => {
    const a = await api();
    const { rel, editor } = await openFile(BEFORE);
    candidate(a, 'tabs', rel, editor.document, true);
    const ref = { taskId: 'tabs', candidateId: 'c1' };
    assert.equal(await a.review.openDiff(ref), true);
    const diffTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'qwq-candidate');
    await until('the diff tab is open', () => diffTabs().length === 1);
    await until('the diff editor is active', () => vscode.window.activeTextEditor?.document.uri.scheme === 'qwq-candidate');
    assert.deepEqual(a.review.activeRef(), ref);
    assert.equal(await vscode.commands.executeCommand('qwq.review.reject'), true);
    await until('the diff tab closed', () => diffTabs().length === 0);
    assert.equal(resolution(a, 'tabs'), 'rejected');
    assert.equal(editor.document.getText(), BEFORE);
  });
});
