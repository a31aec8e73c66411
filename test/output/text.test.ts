/**
 * Text formats that do not depend on protocol dissectors, checked against tshark 4.0 on the
 * committed fixture: the hex dump (-x) byte for byte, and the Time column in every -t format.
 * Plus the summary line layout (column widths and alignment) on hand-set columns.
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { haveTool } from '../helpers/cli.js';
import { writeHexDump } from '../../src/output/hexdump.js';
import { TimeColumn, TIME_FORMATS, precisionDigits, precisionTable } from '../../src/output/timefmt.js';
import { SummaryWriter, frameSeverity } from '../../src/output/summary.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { Packet } from '../../src/engine/packet.js';
import { fieldByName } from '../../src/engine/fields.js';
import { render, tshark, VARIED, VARIED_NG } from './util.js';

const hasTshark = haveTool('tshark');

for (const file of [VARIED, VARIED_NG]) {
  test(`hex dump (-x) equals tshark -x byte for byte (${file.split('/').pop()})`, { skip: !hasTshark && 'tshark not installed' }, async () => {
    const ours = await render(file, (out, p) => {
      writeHexDump(out, p.data, p.base, p.caplen);
      out.byte(10);
    });
    assert.equal(ours, tshark(['-r', file, '-x']));
  });
}

test('hex dump: offsets widen past 64 KiB, partial lines are padded', () => {
  const data = new Uint8Array(0x10011).map((_, i) => i & 0xff);
  const out = new TextBuf(1 << 20);
  writeHexDump(out, data, 0, data.length);
  const lines = out.toString().split('\n');
  assert.equal(lines[0], '000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   ................');
  assert.equal(lines.at(-2), '010010  10' + ' '.repeat(15 * 3 + 3) + '.');
});

for (const file of [VARIED, VARIED_NG]) {
  for (const fmt of TIME_FORMATS) {
    test(`time column -t ${fmt} equals tshark (${file.split('/').pop()})`, { skip: !hasTshark && 'tshark not installed' }, async () => {
      const deltaFid = fieldByName('frame.time_delta')?.id ?? -1;
      const col = new TimeColumn(fmt, [6], deltaFid);
      const ours = (
        await render(
          file,
          (out, p) => {
            col.write(out, p);
            out.byte(10);
          },
          { onOpen: (r) => void (col.digits = precisionTable(r.info)) },
        )
      )
        .trimEnd()
        .split('\n');
      const words = (fmt.endsWith('d') && fmt.length === 2 && fmt !== 'dd') || fmt.endsWith('doy') ? 2 : 1;
      const theirs = tshark(['-r', file, '-t', fmt]).trimEnd().split('\n').map((l) => l.trim().split(/\s+/).slice(1, 1 + words).join(' '));
      assert.deepEqual(ours, theirs);
    });
  }
}

/** -t r as exact decimal arithmetic: the time since the first frame, truncated to `digits` decimals. */
function relativeTimeRef(sec: number, nsec: number, firstSec: number, firstNsec: number, digits: number): string {
  const ns = (BigInt(sec) - BigInt(firstSec)) * 1_000_000_000n + BigInt(nsec) - BigInt(firstNsec);
  const a = ns < 0n ? -ns : ns;
  const whole = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n) / 10n ** BigInt(9 - digits);
  return (ns < 0n ? '-' : '') + whole + (digits > 0 ? '.' + frac.toString().padStart(digits, '0') : '');
}

function relativeTime(sec: number, nsec: number, firstSec: number, firstNsec: number, digits: number): string {
  const p = new Packet();
  p.tsSec = sec;
  p.tsNsec = nsec;
  p.firstSec = firstSec;
  p.firstNsec = firstNsec;
  const out = new TextBuf(8);
  new TimeColumn('r', [digits]).write(out, p);
  return out.toString();
}

test('time column -t r: exact for any time since the first frame, before it too, at every precision', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: -9_000_000, max: 2 ** 31 - 1 }),
      fc.integer({ min: 0, max: 999_999_999 }),
      fc.integer({ min: 0, max: 999_999_999 }),
      fc.integer({ min: 0, max: 9 }),
      (firstSec, later, nsec, firstNsec, digits) => {
        const sec = Math.min(Math.max(firstSec + later, 0), 2 ** 32 - 1);
        assert.equal(relativeTime(sec, nsec, firstSec, firstNsec, digits), relativeTimeRef(sec, nsec, firstSec, firstNsec, digits));
      },
    ),
    { numRuns: 5000 },
  );
  // edges: the first frame itself, a nanosecond before it, the fraction's carry
  assert.equal(relativeTime(10, 0, 10, 0, 9), '0.000000000');
  assert.equal(relativeTime(10, 0, 10, 1, 9), '-0.000000001');
  assert.equal(relativeTime(11, 5, 10, 999_999_999, 9), '0.000000006');
  assert.equal(relativeTime(11, 999_999, 10, 0, 6), '1.000999');
  // a pcapng resolution of 2^-10 s gives nanoseconds with a fraction: truncated like the rest
  assert.equal(relativeTime(5, 976_562.5 * 3, 5, 0, 4), '0.0029');
  assert.equal(relativeTime(5, 976_562.5, 4, 976_562.5 * 2, 4), '0.9990');
});

test('time precision follows the timestamp resolution', () => {
  assert.equal(precisionDigits(1e6), 6);
  assert.equal(precisionDigits(1e9), 9);
  assert.equal(precisionDigits(1e3), 3);
  assert.equal(precisionDigits(2 ** 20), 7);
  assert.equal(precisionDigits(1), 0);
});

function packetWith(number: number, src: string, dst: string, proto: string, info: string, origlen: number): Packet {
  const p = new Packet();
  p.number = number;
  p.tsSec = 1700000000;
  p.tsNsec = 123456000;
  p.firstSec = 1700000000;
  p.origlen = origlen;
  p.cols.src.str(src);
  p.cols.dst.str(dst);
  p.cols.proto = proto;
  p.cols.info.str(info);
  return p;
}

test('summary layout: tshark column widths and alignment', () => {
  const w = new SummaryWriter(new TimeColumn('r', [6]));
  const out = new TextBuf(256);
  w.write(out, packetWith(1, '10.0.0.1', '10.0.0.2', 'GRE', 'Encapsulated', 98));
  w.write(out, packetWith(123456, '2001:db8:100::7', '2001:db8:ff::1', 'ICMPv6', 'Echo (ping) reply', 1514));
  w.write(out, packetWith(7, '', '', '', '', 60));
  assert.equal(
    out.toString(),
    '    1   0.123456     10.0.0.1 → 10.0.0.2     GRE 98 Encapsulated\n' +
      '123456   0.123456 2001:db8:100::7 → 2001:db8:ff::1 ICMPv6 1514 Echo (ping) reply\n' +
      '    7   0.123456              →               60 \n',
  );
});

test('summary colour: malformed frames in the error colour, others plain', () => {
  const w = new SummaryWriter(new TimeColumn('r', [6]), { error: ['<E>', '</E>'], warning: ['<W>', '</W>'] });
  const out = new TextBuf(256);
  const bad = packetWith(1, 'a', 'b', 'MIPv6', 'Binding Update[Malformed Packet]', 70);
  bad.cols.malformed = true;
  assert.equal(frameSeverity(bad), 3);
  w.write(out, bad);
  w.write(out, packetWith(2, 'a', 'b', 'UDP', 'x', 60));
  const [l1, l2] = out.toString().split('\n');
  assert.match(l1!, /^<E> {4}1 .*\[Malformed Packet\]<\/E>$/);
  assert.doesNotMatch(l2!, /</);
});
