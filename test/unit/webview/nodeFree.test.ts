// The panel runs in a browser: its type program (src/webview/tsconfig.json) must not know Node's globals, or a
// `process` or a `Buffer` in src/webview would compile and then fail in the page. Node types can arrive without
// being named, through any import (the protocol names core types; a core file that imports Node drags
// @types/node in), so this compiles the webview's real program plus one probe file and reads the diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..', '..');
const probe = join(root, 'src', 'webview', 'nodeGlobalsProbe.ts').split('\\').join('/');

/** The webview's program as `tsc -p src/webview` builds it, with `probeText` as one more file of src/webview. */
function webviewProgram(probeText: string): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'src', 'webview', 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  assert.ok(parsed, 'src/webview/tsconfig.json parses');
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, version, ...rest) => (name === probe ? ts.createSourceFile(name, probeText, version) : getSourceFile.call(host, name, version, ...rest));
  host.fileExists = (name) => name === probe || fileExists.call(host, name);
  return ts.createProgram({ rootNames: [...parsed.fileNames, probe], options: parsed.options, host });
}

let built: ts.Program | undefined;
const program = (): ts.Program => (built ??= webviewProgram(PROBE));

const PROBE = [
  "import { is, SnapshotToWebview } from '../protocol';",
  'export const node = [process.env.HOME, Buffer.from("x"), __dirname, setImmediate(() => undefined), require("fs")];',
  'export const browser = [document.title, is(SnapshotToWebview, window.name)];',
].join('\n');

test('a Node global in src/webview does not compile; DOM globals and the protocol do', () => {
  const file = program().getSourceFile(probe);
  assert.ok(file, 'the probe is part of the program');
  const errors = ts.getPreEmitDiagnostics(program(), file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  for (const name of ['process', 'Buffer', '__dirname', 'setImmediate', 'require']) {
    assert.ok(errors.some((e) => e.startsWith(`Cannot find name '${name}'`)), `${name} must not compile in the webview: ${JSON.stringify(errors)}`);
  }
  assert.equal(errors.length, 5, `only the Node globals fail (DOM and the protocol compile): ${JSON.stringify(errors)}`);
});

test('no file of @types/node reaches the webview\'s type program, through any import', () => {
  const node = program().getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('/node_modules/@types/node/'));
  assert.deepEqual(node, []);
  const ours = program().getSourceFiles().map((f) => f.fileName).filter((f) => f.startsWith(`${root}/src/`) && !f.startsWith(`${root}/src/webview/`));
  assert.ok(ours.some((f) => f.endsWith('src/core/agent/events.ts')), 'the probe does follow the protocol into the core types');
});
