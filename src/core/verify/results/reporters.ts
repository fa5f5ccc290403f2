// Our reporters for the runners that load reporter files (jest, vitest) and the pytest plugin. Each sends
// its records on the result channel (channel.ts) and prints nothing: the user's own reporters keep the
// console. The JS ones get the record writer from the runner hook, once; the pytest plugin takes its key
// from fd 4 itself when pytest loads it (`-p`), before any conftest.py or test module is imported.
import { CHANNEL_ENV, CHANNEL_ENV_VALUE, CHANNEL_KEY_CHARS } from './channel';
import { RESULT_WRITER_SYMBOL } from './types';

const TAKE = `const take = globalThis[Symbol.for(${JSON.stringify(RESULT_WRITER_SYMBOL)})];
const send = typeof take === 'function' ? take() : undefined;`;

/** A jest reporter (CommonJS): each test file's results in jest's --json shape, then the end record. */
export const JEST_REPORTER_SOURCE = `// qwq-coder jest reporter (see src/core/verify/results/reporters.ts)
'use strict';
${TAKE}
let records = 0;
class QwqReporter {
  onTestResult(test, r) {
    if (!send) return;
    records++;
    send({ t: 'file', file: {
      name: r.testFilePath, status: r.testExecError || r.failureMessage && !(r.testResults || []).length ? 'failed' : 'passed',
      message: String((r.testExecError && (r.testExecError.stack || r.testExecError.message)) || r.failureMessage || '').slice(0, 4000),
      assertionResults: (r.testResults || []).map((a) => ({ fullName: a.fullName, title: a.title, ancestorTitles: a.ancestorTitles, status: a.status, duration: a.duration, failureMessages: (a.failureMessages || []).map((m) => String(m).slice(0, 4000)) })),
    } });
  }
  onRunComplete() { if (send) send({ t: 'end', records }); }
  getLastError() { return undefined; }
}
module.exports = QwqReporter;
`;

/** A vitest reporter (ESM): at the end, every file's tests in jest's --json shape, then the end record. */
export const VITEST_REPORTER_SOURCE = `// qwq-coder vitest reporter (see src/core/verify/results/reporters.ts)
${TAKE}
const errText = (errs) => (errs || []).map((e) => String((e && (e.stack || e.message)) || e)).join('\\n').slice(0, 4000);
function cases(tasks, ancestors, out) {
  for (const t of tasks || []) {
    if (t.type === 'suite') { cases(t.tasks, [...ancestors, t.name], out); continue; }
    if (t.type !== 'test' && t.type !== 'custom') continue;
    const state = t.result && t.result.state;
    const status = state === 'pass' ? 'passed' : state === 'fail' ? 'failed' : 'skipped';
    out.push({ fullName: [...ancestors, t.name].join(' '), title: t.name, ancestorTitles: ancestors, status, duration: t.result && t.result.duration, failureMessages: status === 'failed' ? [errText(t.result.errors)] : [] });
  }
  return out;
}
export default class QwqReporter {
  onFinished(files = []) {
    if (!send) return;
    let records = 0;
    for (const f of files) {
      records++;
      const failedToLoad = f.result && f.result.state === 'fail' && (f.result.errors || []).length > 0;
      send({ t: 'file', file: { name: f.filepath, status: failedToLoad ? 'failed' : 'passed', message: failedToLoad ? errText(f.result.errors) : '', assertionResults: cases(f.tasks, [], []) } });
    }
    send({ t: 'end', records });
  }
}
`;

/** The pytest plugin module (loaded with `-p`): takes its key at import; one record per test after its teardown; the end record with pytest's exit status. */
export const PYTEST_PLUGIN_MODULE = 'qwq_coder_results';
export const PYTEST_PLUGIN_SOURCE = `# qwq-coder pytest plugin (see src/core/verify/results/reporters.ts)
import json as _json
import os as _os
import stat as _stat


def _open():
    if _os.environ.pop(${JSON.stringify(CHANNEL_ENV)}, None) != ${JSON.stringify(CHANNEL_ENV_VALUE)}:
        return None
    try:
        if not (_stat.S_ISSOCK(_os.fstat(3).st_mode) and _stat.S_ISSOCK(_os.fstat(4).st_mode)):
            return None
    except OSError:
        return None
    key = b''
    while len(key) < ${CHANNEL_KEY_CHARS + 1}:
        chunk = _os.read(4, ${CHANNEL_KEY_CHARS + 1} - len(key))
        if not chunk:
            break
        key += chunk
    _os.close(4)
    if len(key) != ${CHANNEL_KEY_CHARS + 1}:
        return None
    prefix = key[:${CHANNEL_KEY_CHARS}].decode('latin-1') + ' '
    seq = [0]
    write, dumps = _os.write, _json.dumps

    def send(rec):
        data = (prefix + str(seq[0]) + ' ' + dumps(rec) + '\\n').encode('utf-8')
        seq[0] += 1
        while data:
            data = data[write(3, data):]

    return send


def _plugin(send):
    state = {'records': 0, 'tests': {}}

    class QwqResults:
        def pytest_runtest_logreport(self, report):
            t = state['tests'].setdefault(report.nodeid, {'status': 'passed', 'output': '', 'ms': 0.0})
            t['ms'] += (getattr(report, 'duration', 0) or 0) * 1000
            if report.failed:
                t['status'] = 'failed'
                t['output'] += str(report.longrepr)[:4000]
            elif report.skipped and t['status'] != 'failed':
                t['status'] = 'skipped'

        def pytest_runtest_logfinish(self, nodeid, location):
            t = state['tests'].pop(nodeid, None)
            if t is None:
                return
            state['records'] += 1
            send({'t': 'case', 'id': nodeid, 'status': t['status'], 'ms': t['ms'], 'output': t['output'] or None})

        def pytest_collectreport(self, report):
            if report.failed:
                state['records'] += 1
                send({'t': 'case', 'id': (report.nodeid or '(collect)') + '::(collect)', 'status': 'failed', 'output': str(report.longrepr)[:4000]})

        def pytest_sessionfinish(self, session, exitstatus):
            send({'t': 'end', 'records': state['records'], 'exit': int(exitstatus)})

    return QwqResults()


_send = _open()


def pytest_configure(config):
    global _send
    if _send is not None:
        # The session opens here, after conftest.py files loaded: one that fails to import ends pytest
        # (exit 4) before any test, which is then an exit code, not a reporter cut off.
        _send({'t': 'start', 'runner': 'pytest'})
        config.pluginmanager.register(_plugin(_send), 'qwq-coder-results-session')
    _send = None
`;
