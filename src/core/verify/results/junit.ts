// JUnit XML (pytest --junitxml, mocha xunit, jest-junit, node:test junit), read with a real XML parser:
// CDATA, comments, entities and attributes that contain '>' are the parser's business, not a regex's. The parser's
// package loads with the first document read: a run whose results come another way never compiles it.
import { isAbsolute, relative } from 'node:path';
import type { X2jOptions, XMLParser } from 'fast-xml-parser';
import { loadOnce } from '../../util';
import { trimOutput, type TestCaseResult } from '../types';

type Node = Record<string, unknown>;

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
};

/** One parser for the process; a failed load is not kept, and the caller sees its error. */
const xmlParser = loadOnce((): Promise<XMLParser> => import('fast-xml-parser').then((m) => new m.XMLParser(PARSER_OPTIONS), (e: unknown) => {
  throw new Error(`cannot load the JUnit XML parser (fast-xml-parser): ${(e as Error).message}`);
}));

const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return String((v as Node)['#text'] ?? '');
  return '';
};

/**
 * `file::Suite::name` when the file is known (pytest's node id; mocha's describe path as the suite), else
 * `classname::name`. Absolute files (mocha) are made relative to the root, so ids do not name the shadow.
 */
function caseId(tc: Node, root: string | undefined): string {
  const name = String(tc['@name'] ?? '?');
  const classname = String(tc['@classname'] ?? '');
  let file = tc['@file'] !== undefined ? String(tc['@file']) : '';
  if (file && root && isAbsolute(file)) file = relative(root, file);
  if (!file) return classname ? `${classname}::${name}` : name;
  const modPath = file.replace(/\.[^./]+$/, '').split('/').join('.');
  const suite = classname === modPath ? '' : classname.startsWith(`${modPath}.`) ? classname.slice(modPath.length + 1) : classname;
  return [file, suite, name].filter(Boolean).join('::');
}

function caseResult(tc: Node, root: string | undefined): TestCaseResult {
  const id = caseId(tc, root);
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
function collect(node: unknown, out: TestCaseResult[], root: string | undefined): void {
  if (Array.isArray(node)) { for (const n of node) collect(n, out, root); return; }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === 'testcase') for (const tc of value as Node[]) out.push(caseResult(typeof tc === 'object' ? tc : {}, root));
    else if (key === 'testsuite' || key === 'testsuites') collect(value, out, root);
  }
}

/** `root`: the run's directory, to make absolute file attributes relative. Malformed XML reads as no results; a parser that cannot load throws. */
export async function parseJUnitXml(xml: string, root?: string): Promise<TestCaseResult[]> {
  const p = await xmlParser();
  let doc: unknown;
  try { doc = p.parse(xml); } catch { return []; }
  const out: TestCaseResult[] = [];
  collect(doc, out, root);
  return out;
}
