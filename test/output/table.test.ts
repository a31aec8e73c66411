/**
 * The linear table renderer (src/output/table.ts) against cli-table3 itself, byte for byte: on
 * random tables (fast-check: any Unicode, wide and zero-width characters, control characters,
 * chalk colours and stray escape codes, multi-line cells), on a 20 000-row table compared piece
 * by piece, and as the `gretool sessions` report on correlated captures.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import Table from 'cli-table3';
import { Chalk, type ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import { drawsItself, renderTable, tableLines, type TableOptions } from '../../src/output/table.js';
import { correlateCapture } from '../../src/sessions/run.js';
import {
  historyText,
  keyText,
  sessionsJson,
  sessionsText,
  sessionsTextLines,
  type SessionsJson,
  type TableStyle,
  type TrafficJson,
} from '../../src/sessions/report.js';
import { statusName } from '../../src/sessions/correlator.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { greData, inner, pcapBytes, signal6, type TimedFrame } from '../sessions/frames.js';
import { SAMPLES, tempDir } from '../helpers/cli.js';

// The colour library cli-table3 loads (the same module instance): switched on for these tests,
// whatever the terminal, so that coloured heads and borders are really compared.
const colors = createRequire(createRequire(import.meta.url).resolve('cli-table3'))('@colors/colors/safe') as { enabled: boolean };
let wasEnabled = true;
before(() => {
  wasEnabled = colors.enabled;
  colors.enabled = true;
});
after(() => {
  colors.enabled = wasEnabled;
});

const COLOUR: TableStyle = { head: ['cyan'], border: ['grey'] };
const PLAIN: TableStyle = { head: [], border: [] };

/** What cli-table3 draws for the options gretool uses. */
function reference(head: string[], rows: string[][], style: TableStyle, padL = 1, padR = 1): string {
  const t = new Table({ head, style: { ...style, 'padding-left': padL, 'padding-right': padR }, wordWrap: false });
  for (const r of rows) t.push(r);
  return t.toString();
}

function fast(head: string[], rows: string[][], style: TableStyle, padL = 1, padR = 1): string {
  const opts: TableOptions = { head, style: { ...style, 'padding-left': padL, 'padding-right': padR } };
  assert.ok(drawsItself(opts, rows), 'drawn by the linear renderer, not handed to cli-table3');
  return renderTable(opts, rows);
}

// ------------------------------------------------------------------ hand-picked

test('a small table, as cli-table3 draws it', () => {
  const plain = fast(['ID', 'MN'], [['1', 'a'], ['22', 'b\nc']], PLAIN);
  assert.equal(
    plain,
    [
      '┌────┬────┐',
      '│ ID │ MN │',
      '├────┼────┤',
      '│ 1  │ a  │',
      '├────┼────┤',
      '│ 22 │ b  │',
      '│    │ c  │',
      '└────┴────┘',
    ].join('\n'),
  );
  assert.equal(plain, reference(['ID', 'MN'], [['1', 'a'], ['22', 'b\nc']], PLAIN));
  const coloured = fast(['ID', 'MN'], [['1', 'a']], COLOUR);
  assert.ok(coloured.startsWith('\u001b[90m┌────\u001b[39m\u001b[90m┬────┐\u001b[39m\n\u001b[90m│\u001b[39m\u001b[36m ID \u001b[39m'));
  assert.equal(coloured, reference(['ID', 'MN'], [['1', 'a']], COLOUR));
});

test('colours carried across the lines of a cell, wide and zero-width characters, head-only tables', () => {
  const c = new Chalk({ level: 1 });
  const cases: [string[], string[][]][] = [
    [['a', 'bb'], [['x', 'yyy'], ['1\n2\n3', c.red('r\ned') + 'x']]],
    [['日本', '😀'], [['e\u0301', '\u0007ctl'], [c.bold.bgBlue('b\nc\nd'), c.underline.italic('u\n') + '\u001b[0mq']]],
    [['h\nh2', c.green('g\u001b[39mx')], []],
    [['one'], [[''], ['\n'], ['\u001b[31m\u001b[1m\nX\n\u001b[22m\nY'], ['\u001b[38;5;196mA\n\u001b[48;2;1;2;3mB\nC']]],
    [['\r\u0085', '\u001b[;31m\u001b[007m'], [['\u009b31mz', '\u001b[\u001b[31m31m']]],
  ];
  for (const style of [COLOUR, PLAIN, { head: ['bold', 'cyan'], border: ['grey', 'bgRed'] }]) {
    for (const [head, rows] of cases) assert.equal(fast(head, rows, style), reference(head, rows, style), JSON.stringify([head, rows, style]));
  }
});

test('what it does not draw itself goes to cli-table3 (ragged rows, no head, unknown style names)', () => {
  const cases: [TableOptions, string[][]][] = [
    [{ head: ['a', 'b'] }, [['1'], ['1', '2', '3']]],
    [{ head: [] }, [['1', '2']]],
    [{ head: ['a'], style: { head: ['nosuch'] } }, [['1']]],
    [{ head: ['a'], style: { 'padding-left': -1 } }, [['1']]],
  ];
  for (const [opts, rows] of cases) {
    assert.equal(drawsItself(opts, rows), false);
    const s = opts.style ?? {};
    const t = new Table({
      head: [...opts.head],
      style: { head: [...(s.head ?? [])], border: [...(s.border ?? [])], 'padding-left': s['padding-left'] ?? 1, 'padding-right': s['padding-right'] ?? 1 },
      wordWrap: false,
    });
    for (const r of rows) t.push(r);
    assert.equal(renderTable(opts, rows), t.toString());
  }
});

// ------------------------------------------------------------------ random tables

const chalk1 = new Chalk({ level: 1 });
const STYLERS: ((s: string) => string)[] = [
  chalk1.red, chalk1.green, chalk1.bold, chalk1.dim, chalk1.italic, chalk1.underline, chalk1.inverse, chalk1.strikethrough,
  chalk1.bgBlue, chalk1.bold.cyan, chalk1.bgYellow.black.underline, chalk1.gray.italic.strikethrough, chalk1.redBright.bgGreenBright,
];
const SPECIALS = [
  '日本語', '한국어', '中', 'ｶﾀｶﾅ', '\u3000', '😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '#️⃣', '❤️', '\u2764', 'e\u0301', 'a\u0308\u0323', '\u200b',
  '\u00ad', '\ufeff', '\ud83d', '\t', '\r', '\r\n', '\u0000', '\u0007', '\u007f', '\u0085', '\u009b', '\u009b31m', '\u001b', '\u001b[',
  '[31m', ';', 'm', '\u001b]8;;http://x\u0007link\u001b]8;;\u0007',
];
const CODES = [
  '\u001b[0m', '\u001b[m', '\u001b[1m', '\u001b[22m', '\u001b[3m', '\u001b[23m', '\u001b[4m', '\u001b[24m', '\u001b[7m', '\u001b[27m',
  '\u001b[9m', '\u001b[29m', '\u001b[31m', '\u001b[39m', '\u001b[42m', '\u001b[49m', '\u001b[94m', '\u001b[103m', '\u001b[1;31m',
  '\u001b[38;5;196m', '\u001b[48;2;10;20;30m', '\u001b[;31m', '\u001b[007m', '\u001b[00m', '\u001b[2m', '\u001b[1;2;3;4;5;6;7m',
];

const plainText = fc.oneof(
  { arbitrary: fc.string({ maxLength: 10 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 3 }), weight: 1 },
  { arbitrary: fc.constantFrom(...SPECIALS), weight: 3 },
  { arbitrary: fc.constant('\n'), weight: 2 },
);
/** Any SGR sequence: 1 to 7 parameters, each empty, 0..110 or zero-padded. */
const sgr = fc
  .array(fc.oneof(fc.nat(110).map(String), fc.constantFrom('', '00', '007', '038')), { minLength: 1, maxLength: 7 })
  .map((p) => `\u001b[${p.join(';')}m`);
const fragment = fc.oneof(
  { arbitrary: plainText, weight: 5 },
  { arbitrary: fc.constantFrom(...CODES), weight: 2 },
  { arbitrary: sgr, weight: 2 },
  {
    arbitrary: fc.tuple(fc.nat(STYLERS.length - 1), fc.array(plainText, { maxLength: 3 })).map(([i, parts]) => STYLERS[i]!(parts.join(''))),
    weight: 3,
  },
);
const cell = fc.oneof(
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.array(fragment, { maxLength: 5 }).map((f) => f.join('')), weight: 6 },
);
const table = fc.integer({ min: 1, max: 6 }).chain((cols) =>
  fc.record({
    head: fc.array(cell, { minLength: cols, maxLength: cols }),
    rows: fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 7 }),
    style: fc.constantFrom(COLOUR, PLAIN),
    padL: fc.constantFrom(1, 1, 1, 0, 2),
    padR: fc.constantFrom(1, 1, 1, 0, 2),
  }),
);

test('random tables equal cli-table3 byte for byte (fast-check)', () => {
  fc.assert(
    fc.property(table, ({ head, rows, style, padL, padR }) => {
      assert.equal(fast(head, rows, style, padL, padR), reference(head, rows, style, padL, padR));
    }),
    { numRuns: 300 },
  );
});

test('random tables with @colors switched off (its own no-colour decision) equal cli-table3', () => {
  colors.enabled = false;
  try {
    fc.assert(
      fc.property(table, ({ head, rows, style }) => {
        assert.equal(fast(head, rows, style), reference(head, rows, style));
      }),
      { numRuns: 100 },
    );
  } finally {
    colors.enabled = true;
  }
});

// ------------------------------------------------------------------ a large table

/** A deterministic 20 000-row table: ASCII, CJK, emoji, coloured and multi-line cells. */
function bigRows(n: number): string[][] {
  const c = new Chalk({ level: 1 });
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push([
      String(i),
      i % 7 === 0 ? `端末-${i}😀` : `mn-${i}@example.net`,
      i % 5 === 0 ? `2001:db8:${i.toString(16)}::/64\n10.0.${i % 256}.1` : `2001:db8:${i.toString(16)}::/64`,
      [c.green, c.red, c.yellow, (s: string) => s][i % 4]!(i % 3 === 0 ? 'active' : 'expired'),
      i % 11 === 0 ? `${i} fr\n${i % 13} seq gaps` : `${i * 3} fr / ${i * 200} B`,
    ]);
  }
  return rows;
}

test('a 20 000-row table: drawn, and equal to cli-table3 on samples of it', () => {
  const head = ['ID', 'MN identifier', 'Home address', 'State', 'Traffic'];
  const rows = bigRows(20000);
  const style = COLOUR;
  const lines = [...tableLines({ head, style: { ...style, 'padding-left': 1, 'padding-right': 1 } }, rows)];
  const height = (r: string[]) => Math.max(...r.map((x) => x.split('\n').length));
  // where each row's separator line is, in the full table
  const start: number[] = [];
  let at = 1 + height(head);
  for (const r of rows) {
    start.push(at);
    at += 1 + height(r);
  }
  assert.equal(lines.length, at + 1, 'top, head, a separator and the lines of each row, bottom');

  // Column widths come from the whole table: every sample is drawn by cli-table3 after the rows
  // that set the widths, and compared from its own first row on.
  const widest: number[] = [];
  const width = (s: string) => Math.max(...s.split('\n').map((l) => stringWidth(l)));
  for (let col = 0; col < head.length; col++) {
    let best = 0;
    rows.forEach((r, i) => {
      if (width(r[col]!) > width(rows[best]![col]!)) best = i;
    });
    widest.push(best);
  }
  const setters = [...new Set(widest)].map((i) => rows[i]!);
  const skip = 1 + height(head) + setters.reduce((s, r) => s + 1 + height(r), 0);
  for (const first of [0, 1, 5, 777, 9990, 14_000, 19_950]) {
    const sample = rows.slice(first, first + 50);
    const ref = reference(head, [...setters, ...sample], style).split('\n');
    assert.deepEqual(lines.slice(0, 1 + height(head)), ref.slice(0, 1 + height(head)), 'top and head');
    const end = first + 50 < rows.length ? start[first + 50]! : lines.length - 1;
    assert.deepEqual(lines.slice(start[first]!, end), ref.slice(skip, ref.length - 1), `rows ${first}..${first + 49}`);
    assert.equal(lines.at(-1), ref.at(-1), 'bottom');
  }
});

// ------------------------------------------------------------------ the sessions report

/** sessionsText as it was written with cli-table3 (the reference the report must keep equal). */
function sessionsTextReference(j: SessionsJson, chalk: ChalkInstance, style: TableStyle, wide: boolean): string {
  const newTable = (head: string[]) => new Table({ head, style: { ...style, 'padding-left': 1, 'padding-right': 1 }, wordWrap: false });
  const stateStyle: Record<string, 'green' | 'yellow' | 'red' | 'gray' | 'magenta'> = {
    active: 'green', pending: 'yellow', rejected: 'red', deregistered: 'gray', expired: 'magenta',
  };
  const state = (s: string) => (stateStyle[s] ? chalk[stateStyle[s]!](s) : s);
  const s = j.summary;
  const out: string[] = [];
  out.push(`${s.frames} frames correlated: ${s.pbus} PBU, ${s.pbas} PBA, ${s.dataFrames} tunnelled data (${s.attributedFrames} attributed, ${s.unattributedFrames} unattributed)`);
  out.push('');
  out.push(chalk.bold(`Bindings (${j.bindings.length})`));
  if (j.bindings.length === 0) out.push('  (none)');
  else if (!wide) {
    const t = newTable(['ID', 'MN identifier', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'State', 'Frames up/down']);
    const hex = (k: number | null) => (k === null ? '-' : '0x' + k.toString(16).padStart(8, '0'));
    for (const b of j.bindings) {
      t.push([String(b.id), b.mnId || '-', b.mag, b.lma, b.transport, b.greMode, hex(b.downlinkKey), hex(b.uplinkKey), state(b.state), `${b.uplink.frames} / ${b.downlink.frames}`]);
    }
    out.push(t.toString());
    out.push(chalk.dim('  (--wide: home addresses, TLV, lifetime, bytes, sequence gaps, history)'));
  } else {
    const t = newTable(['ID', 'MN identifier', 'Home address', 'MAG (Proxy-CoA)', 'LMA', 'Transport', 'GRE', 'DL key', 'UL key', 'TLV', 'State', 'Lifetime', 'Uplink', 'Downlink', 'History']);
    const traffic = (x: TrafficJson) => `${x.frames} fr / ${x.bytes} B` + (x.seqGaps ? `\n${x.seqGaps} seq gap${x.seqGaps > 1 ? 's' : ''} (${x.seqMissing} lost)` : '');
    for (const b of j.bindings) {
      const home = [...b.hnp, ...(b.ipv4HomeAddress ? [b.ipv4HomeAddress] : [])].join('\n') || '-';
      t.push([
        String(b.id), b.mnId || '-', home, b.mag, b.lma, b.transport, b.greMode, keyText(b.downlinkKey, '\n'), keyText(b.uplinkKey, '\n'),
        b.tlv ? 'yes' : 'no', state(b.state), b.lifetime ? `${b.lifetime} s` : '-', traffic(b.uplink), traffic(b.downlink), historyText(b.history),
      ]);
    }
    out.push(t.toString());
  }
  out.push('');
  out.push(chalk.bold(`Unattributed tunnelled traffic (${j.unattributed.length})`));
  if (j.unattributed.length === 0) out.push('  (none)');
  else {
    const t = newTable(['GRE key', 'Source', 'Destination', 'Direction', 'Encap', 'Reason', 'Binding?', 'Frames', 'Bytes', 'Frame numbers']);
    for (const u of j.unattributed) {
      const nums = u.frameNumbers.slice(0, 8).join(' ') + (u.frames > 8 ? ` … ${u.lastFrame}` : '');
      const reasons = Object.entries(u.reasons).map(([k, v]) => (Object.keys(u.reasons).length > 1 ? `${k} (${v})` : k)).join('\n');
      t.push([keyText(u.key, '\n'), u.src, u.dst, u.direction ?? '-', u.encapsulation, reasons, u.bindingId === null ? '-' : String(u.bindingId), String(u.frames), String(u.bytes), nums]);
    }
    out.push(t.toString());
  }
  if (j.unansweredPbus.length) {
    out.push('', chalk.bold(`Unanswered PBUs (${j.unansweredPbus.length})`));
    const t = newTable(['Frame', 'MAG', 'LMA', 'Seq', 'MN identifier', 'Kind', 'Binding', 'Retransmissions']);
    for (const u of j.unansweredPbus) t.push([String(u.frame), u.mag, u.lma, String(u.seq), u.mnId ?? '-', u.kind, String(u.bindingId), u.retransmissions.join(' ') || '-']);
    out.push(t.toString());
  }
  if (j.unsolicitedPbas.length) {
    out.push('', chalk.bold(`Unsolicited PBAs (${j.unsolicitedPbas.length})`));
    const t = newTable(['Frame', 'LMA', 'MAG', 'Seq', 'MN identifier', 'Status', 'Binding?']);
    for (const u of j.unsolicitedPbas) t.push([String(u.frame), u.lma, u.mag, String(u.seq), u.mnId ?? '-', `${u.status} (${statusName(u.status)})`, u.bindingId === null ? '-' : String(u.bindingId)]);
    out.push(t.toString());
  }
  return out.join('\n') + '\n';
}

const M = '2001:db8:1::1';
const L = '2001:db8:f::1';
const T0 = 1700000000;

/** Every table of the report: odd MN identifiers, several prefixes, sequence gaps, stray traffic. */
function oddCapture(): TimedFrame[] {
  const mn = '2001:db8:aaaa:1::5';
  const cn = '2001:db8:cc::1';
  const f: TimedFrame[] = [];
  const add = (data: Uint8Array) => f.push({ time: T0 + f.length * 0.01, data });
  const ids = ['端末-01@例え.jp', 'mn😀@x', 'e\u0301\u0007\t@ctl', 'plain@example.net'];
  ids.forEach((mnId, i) => {
    const hnp = [`2001:db8:aaaa:${i + 1}::/64`, ...(i % 2 ? [`2001:db8:bbbb:${i + 1}::/64`] : [])];
    add(signal6(M, L, { type: 'pbu', seq: i + 1, lifetime: 100, mnId, hnp, gre: 0xa000 + i }));
    if (i !== 3) add(signal6(L, M, { type: 'pba', seq: i + 1, lifetime: 100, mnId, hnp, gre: 0xb000 + i }));
  });
  for (const seq of [1, 2, 5, 9]) add(greData(M, L, inner(mn, cn), { key: 0xb000, seq }));
  add(greData(L, M, inner(cn, mn), { key: 0xa000 }));
  add(greData(L, M, inner(cn, mn), { key: 0xbeef }));
  add(greData(L, M, inner(cn, mn), { key: 0xbeef }));
  add(signal6(L, M, { type: 'pba', seq: 77, lifetime: 100, mnId: 'nobody', hnp: ['2001:db8:cccc::/64'] }));
  return f;
}

test('sessionsText equals the cli-table3 report on correlated captures (colour and none, default and --wide)', async () => {
  const dir = tempDir('gretool-table-');
  const generated = join(dir, 'mixed.pcap');
  await generateCapture(loadScenario('mixed'), generated, { seed: 1, sessions: 40 });
  const sources: [string, string | Uint8Array][] = [
    ['odd', pcapBytes(oddCapture())],
    ['generated mixed', generated],
    ...['mixed.pcap', 'handoff.pcap', 'overlapping-ipv4.pcap', 'status-163.pcap', 'lma-ignores-grekey.pcap'].map((n): [string, string] => [n, join(SAMPLES, n)]),
  ];
  let tables = 0;
  for (const [name, src] of sources) {
    const j = sessionsJson((await correlateCapture(src)).correlator);
    if (name === 'odd') {
      assert.ok(j.unattributed.length && j.unansweredPbus.length && j.unsolicitedPbas.length, 'every table present');
      assert.ok(j.bindings.some((b) => b.uplink.seqGaps > 0) && j.bindings.some((b) => b.hnp.length > 1));
    }
    for (const [chalk, style] of [[new Chalk({ level: 1 }), COLOUR], [new Chalk({ level: 0 }), PLAIN]] as const) {
      for (const wide of [false, true]) {
        const ours = sessionsText(j, chalk, style, { wide });
        assert.equal(ours, sessionsTextReference(j, chalk, style, wide), `${name}, ${style === COLOUR ? 'colour' : 'plain'}${wide ? ', --wide' : ''}`);
        assert.equal([...sessionsTextLines(j, chalk, style, { wide })].map((l) => l + '\n').join(''), ours, 'line by line');
        tables++;
      }
    }
  }
  assert.equal(tables, sources.length * 4);
});
