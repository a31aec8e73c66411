/**
 * The report writers stream: the CLI writes each format as a generator of pieces, with
 * back-pressure, never as one object tree or one string. The bytes must be the ones the
 * one-string writers produced: JSON and SARIF are compared with JSON.stringify(lintJson(report) /
 * lintSarif(report), null, 2) (the object builders of the library API), JUnit and text with the
 * writers as they were before streaming (test/lint/reference-formats.ts), on several captures
 * with faults, a combined report of several captures (one unreadable, one cut short), policies,
 * and through the CLI (stdout and -o).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { capture, TMP } from './helpers.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { lintCaptures, type LintReport } from '../../src/lint/run.js';
import { resolvePolicy, type LintPolicy } from '../../src/lint/config.js';
import { lintJson, lintJsonChunks } from '../../src/lint/format/json.js';
import { lintJunit, lintJunitChunks } from '../../src/lint/format/junit.js';
import { lintSarif, lintSarifChunks } from '../../src/lint/format/sarif.js';
import { lintText, lintTextChunks } from '../../src/lint/format/text.js';
import { jsonChunks, LazyArray, writeChunks } from '../../src/output/jsonstream.js';
import { makeChalk } from '../../src/cli/color.js';
import { gretool } from '../helpers/cli.js';
import { referenceJunit, referenceText } from './reference-formats.js';

const join0 = (g: Iterable<string>): string => [...g].join('');

// ---------------------------------------------------------------- jsonChunks

/** Turns some arrays (those without a LazyArray inside) into LazyArrays, at random. */
function lazify(v: unknown, coin: () => boolean): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => lazify(x, coin));
    const plainInside = items.every((x) => !hasLazy(x));
    return plainInside && coin() ? new LazyArray(items, (x) => x) : items;
  }
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {};
    // defineProperty: a key "__proto__" (fast-check makes them) must stay an own member, as in v
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: lazify((v as Record<string, unknown>)[k], coin), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

function hasLazy(v: unknown): boolean {
  if (v instanceof LazyArray) return true;
  if (Array.isArray(v)) return v.some(hasLazy);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasLazy);
  return false;
}

test('jsonChunks is JSON.stringify(v, null, 2) for hand-picked values', () => {
  const cases: unknown[] = [
    null,
    0,
    'x\ny "q" \u2028 …',
    [],
    {},
    { a: [], b: {}, c: [[]], d: [{}], e: undefined, f: null, g: () => 1, '2': 'int key first', h: [undefined, 1] },
    { runs: [{ results: new LazyArray([], (x) => x), after: 1 }] },
    { runs: [{ results: new LazyArray([1, 2, 3], (x: number) => ({ n: x, frames: [x, x + 1], s: 'a\nb' })), after: { k: [1] } }] },
    [new LazyArray(['a', 'b'], (x) => x), new LazyArray([1], () => undefined)],
    new LazyArray([{ a: 1 }, { b: [2, 3] }], (x) => x),
    { deep: { deeper: { deepest: new LazyArray([[1, [2, {}]], []], (x) => x) } } },
  ];
  const unlazy = (v: unknown): unknown =>
    v instanceof LazyArray ? v.items.map((x) => v.map(x)) : Array.isArray(v) ? v.map(unlazy) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unlazy(x)])) : v;
  for (const v of cases) assert.equal(join0(jsonChunks(v)), JSON.stringify(unlazy(v), null, 2), JSON.stringify(unlazy(v)));
});

test('jsonChunks is JSON.stringify(v, null, 2) for random JSON with random lazy arrays (fast-check)', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), fc.infiniteStream(fc.boolean()), (v, bits) => {
      const it = bits[Symbol.iterator]();
      const lazy = lazify(v, () => it.next().value as boolean);
      assert.equal(join0(jsonChunks(lazy)), JSON.stringify(v, null, 2));
    }),
    { numRuns: 300 },
  );
});

// ---------------------------------------------------------------- writeChunks

/** A slow writable with a small buffer; records what it got and its largest backlog. */
function slowSink(highWaterMark = 1024) {
  const got: string[] = [];
  let backlog = 0;
  const ws = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      got.push(chunk);
      setImmediate(cb);
    },
  });
  const sample = setInterval(() => (backlog = Math.max(backlog, ws.writableLength)), 0);
  return { ws, got, backlog: () => backlog, stop: () => clearInterval(sample) };
}

test('writeChunks: batches the pieces, keeps their order, waits for drain', async () => {
  const pieces = Array.from({ length: 20000 }, (_, i) => `piece ${i}\n`);
  const s = slowSink();
  let maxAhead = 0;
  function* gen(): Generator<string> {
    for (const p of pieces) {
      // what the writer took from the generator but the stream has not consumed yet
      maxAhead = Math.max(maxAhead, s.ws.writableLength);
      yield p;
    }
  }
  await writeChunks(gen(), s.ws, 4096);
  s.stop();
  assert.equal(s.got.join(''), pieces.join(''));
  assert.ok(s.got.length < pieces.length / 50, `batched: ${s.got.length} writes`);
  assert.ok(maxAhead <= 4096 + 1024 + 64, `back-pressure respected: ${maxAhead} characters buffered`);
});

test('writeChunks: a stream error rejects, and a destroyed stream stops the generator', async () => {
  let pulled = 0;
  function* many(): Generator<string> {
    for (;;) {
      pulled++;
      yield 'x'.repeat(1000);
    }
  }
  const failing = new Writable({
    highWaterMark: 1024,
    write(_c, _e, cb) {
      cb(new Error('disk full'));
    },
  });
  failing.on('error', () => undefined);
  await assert.rejects(writeChunks(many(), failing, 4096), /disk full/);
  assert.ok(pulled < 100, `stopped after ${pulled} pieces`);
});

// ---------------------------------------------------------------- the formats, byte for byte

const NOW = new Date('2026-01-02T03:04:05.678Z');
const plainChalk = makeChalk({ enabled: false, level: 0 });
const colourChalk = makeChalk({ enabled: true, level: 3 });

async function mixedCapture(): Promise<string> {
  const path = join(TMP, 'stream-mixed.pcap');
  await generateCapture(loadScenario('mixed'), path, { sessions: 200, packets: 12000, faults: ['grekey-reserved', 'wrong-ul-key', 'wrong-dl-key', 'gre-version', 'mh-checksum-bad'] });
  return path;
}

async function reports(): Promise<[string, LintReport][]> {
  const mixed = await mixedCapture();
  const a = await capture('initial-attach', ['wrong-ul-key', 'grekey-reserved', 'bu-reserved-flags']);
  const b = await capture('status-2');
  const c = await capture('ipv4-udp-tlv', ['tlv-type-nonzero', 'udp-gre-no-tlv']);
  const o = await capture('overlapping-ipv4', ['dup-dl-key']);
  // a capture cut mid-record (an input error after some frames) and one that cannot be opened
  const cut = join(TMP, 'stream-cut.pcap');
  const bytes = readFileSync(mixed);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
  const policy = (cli: LintPolicy) => resolvePolicy({ noConfig: true, cli });
  const out: [string, LintReport][] = [];
  out.push(['mixed', await lintCaptures([mixed], { policy: policy({}) })]);
  out.push(['mixed, fail-on info, G-* off', await lintCaptures([mixed], { policy: policy({ failOn: 'info', disable: ['G-*'], severity: { 'S-LMA-WRONG-DL-KEY': 'warning' } }) })]);
  out.push(['combined', await lintCaptures([a, b, c, join(TMP, 'no-such.pcap'), cut, o], { policy: policy({ failOn: 'warning' }) })]);
  out.push(['clean', await lintCaptures([b], { policy: policy({}) })]);
  out.push(['unreadable', await lintCaptures([join(TMP, 'no-such.pcap')], { policy: policy({}) })]);
  out.push(['no capture', await lintCaptures([], { policy: policy({}) })]);
  // findings past the per-rule limit (some rules over it, one count a lower bound)
  out.push(['limited', await lintCaptures([mixed, a], { policy: policy({ failOn: 'warning' }), findingCap: 4, droppedKeyCap: 3 })]);
  // markup and characters XML cannot carry, in a message
  const evil = await lintCaptures([a], { policy: policy({}) });
  evil.findings[0]!.message = 'evil <tag> & "quotes" \u0001\u0008 \uD800 end \uDC00\n\u{1F600}';
  evil.captures[0]!.findings[0]!.message = evil.findings[0]!.message;
  out.push(['evil message', evil]);
  return out;
}

test('every format streams the bytes the one-string writers produced', async () => {
  const all = await reports();
  assert.ok(all[0]![1].findings.length > 500, 'the mixed capture has many findings');
  for (const [name, r] of all) {
    assert.equal(join0(lintJsonChunks(r)), JSON.stringify(lintJson(r), null, 2) + '\n', `json: ${name}`);
    assert.equal(join0(lintSarifChunks(r)), JSON.stringify(lintSarif(r), null, 2) + '\n', `sarif: ${name}`);
    const junit = referenceJunit(r, NOW);
    assert.equal(join0(lintJunitChunks(r, NOW)), junit, `junit: ${name}`);
    assert.equal(lintJunit(r, NOW), junit, `junit (string): ${name}`);
    for (const [chalk, perRule] of [[plainChalk, undefined], [colourChalk, undefined], [plainChalk, 3]] as const) {
      const text = referenceText(r, chalk, perRule);
      assert.equal(join0(lintTextChunks(r, chalk, perRule)), text, `text: ${name}`);
      assert.equal(lintText(r, chalk, perRule), text, `text (string): ${name}`);
    }
  }
});

test('the pieces are small: no piece holds more than one finding', async () => {
  const [, r] = (await reports())[0]!;
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
  for (const [fmt, g, marker] of [
    ['json', lintJsonChunks(r), /"rule": /g],
    ['sarif', lintSarifChunks(r), /"ruleId": /g],
    ['junit', lintJunitChunks(r, NOW), /\[(error|warning|info)\] frames? /g],
    ['text', lintTextChunks(r, plainChalk), /\n/g],
  ] as const) {
    let pieces = 0;
    let findings = 0;
    for (const c of g) {
      pieces++;
      const n = count(c, marker);
      findings += n;
      assert.ok(n <= 1, `${fmt}: a piece with ${n} findings`);
    }
    if (fmt !== 'text') assert.equal(findings, r.findings.length, fmt);
    assert.ok(pieces >= findings, fmt);
  }
});

test('the CLI writes the same bytes (stdout and -o), for one capture and several', async () => {
  const mixed = await mixedCapture();
  const a = await capture('initial-attach', ['wrong-ul-key', 'grekey-reserved', 'bu-reserved-flags']);
  const o = await capture('overlapping-ipv4', ['dup-dl-key']);
  for (const files of [[mixed], [a, join(TMP, 'no-such.pcap'), o, mixed]]) {
    const r = await lintCaptures(files, { policy: resolvePolicy({ noConfig: true }) });
    const sarif = JSON.stringify(lintSarif(r), null, 2) + '\n';
    assert.ok(sarif.length > 1 << 16, 'larger than one write');
    const cli = gretool(['lint', ...files, '--format', 'sarif', '--no-config']);
    assert.equal(cli.stdout, sarif);
    const out = join(TMP, 'stream-out.sarif');
    const toFile = gretool(['lint', ...files, '--format', 'sarif', '--no-config', '-o', out]);
    assert.equal(toFile.stdout, '');
    assert.equal(toFile.status, cli.status);
    assert.equal(readFileSync(out, 'utf8'), sarif);
    assert.equal(gretool(['lint', ...files, '--no-config']).stdout, referenceText(r, plainChalk));
    // json and junit carry timings: compare without them
    const untimed = (s: string) => s.replace(/"seconds": [\d.e-]+/g, '"seconds": 0').replace(/ time="[\d.]+"/g, ' time="0"').replace(/ timestamp="[^"]+"/g, '');
    assert.equal(untimed(gretool(['lint', ...files, '--format', 'json', '--no-config']).stdout), untimed(JSON.stringify(lintJson(r), null, 2) + '\n'));
    assert.equal(untimed(gretool(['lint', ...files, '--format', 'junit', '--no-config']).stdout), untimed(referenceJunit(r)));
  }
});

test('an output file that cannot be created is an output error (exit 4), not a silent success', async () => {
  const a = await capture('status-2');
  const r = gretool(['lint', a, '--format', 'json', '-o', join(TMP, 'no-such-dir', 'x.json')]);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /^gretool: cannot write .*no-such-dir\/x\.json: ENOENT/m);
});
