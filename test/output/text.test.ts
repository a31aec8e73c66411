/**
 * Text formats that do not depend on protocol dissectors, checked against tshark 4.0 on the
 * committed fixture: the hex dump (-x) byte for byte, and the Time column in every -t format.
 * Plus the summary line layout (column widths and alignment) on hand-set columns.
 */
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
