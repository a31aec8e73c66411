/**
 * The report writers in pieces through the package entry (src/index.ts), as a library user gets
 * them: the lint formats (`lint*Chunks`), `jsonChunks` / `LazyArray`, `writeChunks`, and the
 * sessions text report line by line (`sessionsTextLines`). Also through the area indexes
 * (src/lint/index.ts, src/sessions/index.ts). And the README's example of writing a lint report
 * to a stream: type-checked against the built declarations and run as it is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import ts from 'typescript';
import {
  correlateCapture,
  DROPPED_KEY_CAP,
  FINDING_CAP,
  jsonChunks,
  LazyArray,
  lintCaptures,
  lintJson,
  lintJsonChunks,
  lintJunit,
  lintJunitChunks,
  lintSarif,
  lintSarifChunks,
  lintText,
  lintTextChunks,
  resolvePolicy,
  sessionsJson,
  sessionsJsonChunks,
  sessionsText,
  sessionsTextLines,
  TEXT_PER_RULE,
  writeChunks,
  type LinterOptions,
  type SessionsTextOptions,
  type TableStyle,
} from '../../src/index.js';
import * as lintIndex from '../../src/lint/index.js';
import * as sessionsIndex from '../../src/sessions/index.js';
import { capture, TMP } from './helpers.js';
import { ROOT, SAMPLES } from '../helpers/cli.js';

const policy = resolvePolicy({ noConfig: true });
const chalk = new Chalk({ level: 0 });
const NOW = new Date('2026-01-02T03:04:05.678Z');
const join0 = (g: Iterable<string>): string => [...g].join('');

/** A Writable that keeps what it is given, and says "full" every other write. */
function sink(): { out: Writable; text: () => string; writes: () => number } {
  const parts: string[] = [];
  let n = 0;
  const out = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk.toString());
      n++;
      setImmediate(cb);
    },
  });
  return { out, text: () => parts.join(''), writes: () => n };
}

test('the lint reports in pieces, from the package entry: the same bytes as the one-string writers', async () => {
  const path = await capture('initial-attach', ['wrong-ul-key', 'grekey-reserved']);
  const report = await lintCaptures([path], { policy });
  assert.ok(report.findings.length > 0);
  assert.equal(join0(lintTextChunks(report, chalk)), lintText(report, chalk));
  assert.equal(join0(lintTextChunks(report, chalk, 1)), lintText(report, chalk, 1));
  assert.equal(TEXT_PER_RULE, 25);
  assert.equal(join0(lintJsonChunks(report)), JSON.stringify(lintJson(report), null, 2) + '\n');
  assert.equal(join0(lintJunitChunks(report, NOW)), lintJunit(report, NOW));
  assert.equal(join0(lintSarifChunks(report)), JSON.stringify(lintSarif(report), null, 2) + '\n');
  // writeChunks batches the pieces (here into writes of at least 100 characters) with back-pressure
  const s = sink();
  await writeChunks(lintSarifChunks(report), s.out, 100);
  assert.equal(s.text(), JSON.stringify(lintSarif(report), null, 2) + '\n');
  assert.ok(s.writes() > 1 && s.writes() < join0(lintSarifChunks(report)).length / 100 + 1);
  // jsonChunks: JSON.stringify(v, null, 2) in pieces, a LazyArray mapped element by element
  const doc = { a: [1, 2], big: new LazyArray([1, 2, 3], (x: number) => ({ x, sq: x * x })), z: null };
  assert.equal(join0(jsonChunks(doc)), JSON.stringify({ a: [1, 2], big: [1, 2, 3].map((x) => ({ x, sq: x * x })), z: null }, null, 2));
  // the limits, and the Linter's options type
  assert.equal(DROPPED_KEY_CAP, 10 * FINDING_CAP);
  const opts: LinterOptions = { policy, capture: 'x', findingCap: 5, droppedKeyCap: 50 };
  assert.equal(opts.findingCap, 5);
});

test('the sessions text report line by line, from the package entry', async () => {
  const { correlator } = await correlateCapture(join(SAMPLES, 'handoff.pcap'));
  const j = sessionsJson(correlator);
  const style: TableStyle = { head: [], border: [] };
  for (const opts of [{}, { wide: true }] as SessionsTextOptions[]) {
    const lines = [...sessionsTextLines(j, chalk, style, opts)];
    assert.ok(lines.length > 5 && lines.every((l) => !l.includes('\n') || l.includes('┌')));
    assert.equal(lines.join('\n') + '\n', sessionsText(j, chalk, style, opts));
  }
  const s = sink();
  await writeChunks(
    (function* () {
      for (const l of sessionsTextLines(j, chalk, style)) yield l + '\n';
    })(),
    s.out,
  );
  assert.equal(s.text(), sessionsText(j, chalk, style));
});

test('the area indexes export the same functions', () => {
  for (const name of ['lintTextChunks', 'lintJsonChunks', 'lintJunitChunks', 'lintSarifChunks', 'DROPPED_KEY_CAP', 'TEXT_PER_RULE'] as const) {
    assert.ok(name in lintIndex, `src/lint/index.ts: ${name}`);
  }
  assert.equal(lintIndex.lintSarifChunks, lintSarifChunks);
  assert.equal(sessionsIndex.sessionsTextLines, sessionsTextLines);
  assert.equal(sessionsIndex.sessionsJsonChunks, sessionsJsonChunks);
});

/** The README's code block that writes a lint report in pieces. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const library = readme.slice(readme.indexOf('\n## Library\n'), readme.indexOf('\n## ', readme.indexOf('\n## Library\n') + 1));
  const blocks = [...library.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const found = blocks.filter((b) => b.includes('writeChunks('));
  assert.equal(found.length, 1, 'one README example writes a report with writeChunks');
  return found[0]!;
}

test('README: the example of writing a lint report to a stream type-checks against the built API', () => {
  const dir = join(TMP, 'readme-tsc');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'example.mts'); // an ES module, as a user's would be (top-level await)
  writeFileSync(file, readmeExample() + '\nexport {};\n');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: { gretool: [join(ROOT, 'dist', 'src', 'index.d.ts')] },
  });
  const diags = ts.getPreEmitDiagnostics(program);
  const text = diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
  assert.equal(diags.length, 0, text);
});

test('README: the example of writing a lint report to a stream runs and writes the SARIF report', async () => {
  const path = await capture('initial-attach', ['wrong-ul-key']);
  const outFile = join(TMP, 'readme-lint.sarif');
  const code = readmeExample();
  assert.match(code, /from 'gretool'/);
  assert.match(code, /'capture\.pcap'/);
  assert.match(code, /'lint\.sarif'/);
  const runnable = code
    .replace(/from 'gretool'/g, `from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href)}`)
    .replace(/'capture\.pcap'/g, JSON.stringify(path))
    .replace(/'lint\.sarif'/g, JSON.stringify(outFile));
  const script = join(TMP, 'readme-example.mjs');
  writeFileSync(script, runnable);
  await import(pathToFileURL(script).href);
  const report = await lintCaptures([path], { policy });
  assert.ok(report.findings.length > 0);
  assert.equal(readFileSync(outFile, 'utf8'), JSON.stringify(lintSarif(report), null, 2) + '\n');
});
