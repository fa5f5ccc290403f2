// JUnit XML (pytest --junitxml, mocha xunit, jest-junit, node:test junit), read with a real XML parser:
// CDATA, comments, entities and attributes that contain '>' are the parser's business, not a regex's.
import { XMLParser } from 'fast-xml-parser';
import { trimOutput, type TestCaseResult } from '../types';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return String((v as Node)['#text'] ?? '');
  return '';
};

function caseResult(tc: Node): TestCaseResult {
  const where = String(tc['@file'] ?? tc['@classname'] ?? '');
  const name = String(tc['@name'] ?? '?');
  const id = where ? `${where}::${name}` : name;
  const problems = [...((tc.failure as Node[] | undefined) ?? []), ...((tc.error as Node[] | undefined) ?? [])];
  const time = tc['@time'] !== undefined ? Number(tc['@time']) : NaN;
  const durationMs = Number.isFinite(time) ? Math.round(time * 1000) : undefined;
  if (problems.length) {
    const output = problems.map((p) => `${typeof p === 'object' ? String(p['@message'] ?? '') : ''}\n${text(p)}`).join('\n');
    return { id, status: 'failed', durationMs, output: trimOutput(output) };
  }
  return { id, status: tc.skipped ? 'skipped' : 'passed', durationMs };
}

/** Every testcase element, at any depth (testsuites > testsuite > testsuite… > testcase). */
function collect(node: unknown, out: TestCaseResult[]): void {
  if (Array.isArray(node)) { for (const n of node) collect(n, out); return; }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === 'testcase') for (const tc of value as Node[]) out.push(caseResult(typeof tc === 'object' ? tc : {}));
    else if (key === 'testsuite' || key === 'testsuites') collect(value, out);
  }
}

export function parseJUnitXml(xml: string): TestCaseResult[] {
  let doc: unknown;
  try { doc = parser.parse(xml); } catch { return []; }
  const out: TestCaseResult[] = [];
  collect(doc, out);
  return out;
}
