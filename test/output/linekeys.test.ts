/**
 * The `-V` writer's keyed lines and runs (src/output/format.ts): lines of label writers and
 * compute()s declared with keyedLine, of address, bytes, string and time fields, kept by key and
 * copied on later frames; runs of cached lines copied at once by the tree walk. Every line is
 * checked against the uncached label (nodeLabel), over frames whose keys change, repeat, are cut
 * short or are overridden by a string on the node; whole captures are checked against a walk
 * built from nodeLabel; and the hex dump against a plain implementation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { defineFields } from '../../src/engine/fields.js';
import { bytesKey, keyedLine, nodeKey, numKey, stackKey } from '../../src/engine/label.js';
import { GENERATED, HIDDEN, type Packet } from '../../src/engine/packet.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { nodeLabel } from '../../src/output/format.js';
import { DetailWriter } from '../../src/output/detail.js';
import { TreeIndex } from '../../src/output/treeindex.js';
import { writeHexDump } from '../../src/output/hexdump.js';
import { rel } from '../helpers/cli.js';
import { cachedLine, packetOf, render, uncachedLine, VARIED, VARIED_NG } from './util.js';

/** "Keyed Test, A: 1, B: 2" from the bytes at 1 and 2 (just the name unless 3 bytes are captured). */
function pairLabel(p: Packet, node: number, out: TextBuf): void {
  const off = p.tree.off[node]!;
  out.str('Keyed Test');
  if (off < 0 || off + 3 > p.caplen) return;
  out.str(', A: ').dec(p.u8(off + 1)).str(', B: ').dec(p.u8(off + 2));
}

function pairCompute(p: Packet, node: number): string {
  return 'Computed ' + p.u16(p.tree.off[node]! + 1);
}

/** A label that prints another node's label (nested label work during the walk). */
function nestedLabel(p: Packet, node: number, out: TextBuf): void {
  out.str('Nested [').str(nodeLabel(p, node + 1)).str(']');
}

function numberLine(p: Packet, n: number, out: TextBuf): void {
  out.str('Number line: ').dec(p.tree.num[n]! * 2);
}

function stackText(p: Packet): string {
  return 'depth ' + p.nprotos;
}

function optionLine(p: Packet, n: number, out: TextBuf): void {
  out.str('Option of ').dec(p.tree.len[n]!).str(' bytes, first ').dec(p.tree.len[n]! > 0 ? p.u8(p.tree.off[n]!) : -1);
}

const F = defineFields({
  proto: { abbrev: 'lktest', name: 'Keyed Test', type: 'protocol', label: keyedLine(pairLabel, bytesKey(1, 2, 3)) },
  cproto: { abbrev: 'lktestc', name: 'Keyed Compute Test', type: 'protocol', compute: keyedLine(pairCompute, bytesKey(1, 2)) },
  nested: { abbrev: 'lktestn', name: 'Nested Test', type: 'protocol', label: nestedLabel },
  num: { abbrev: 'lktest.num', name: 'Number line', type: 'uint32', label: keyedLine(numberLine, numKey) },
  stack: { abbrev: 'lktest.stack', name: 'Stack', type: 'string', compute: keyedLine(stackText, stackKey) },
  opt: { abbrev: 'lktest.opt', name: 'Option', type: 'bytes', label: keyedLine(optionLine, nodeKey(4)) },
  v4: { abbrev: 'lktest.v4', name: 'Address', type: 'ipv4' },
  v6: { abbrev: 'lktest.v6', name: 'Address 6', type: 'ipv6' },
  raw: { abbrev: 'lktest.raw', name: 'Raw', type: 'bytes' },
  text: { abbrev: 'lktest.text', name: 'Text', type: 'string' },
  rel: { abbrev: 'lktest.rel', name: 'Delta', type: 'rel_time' },
  x: { abbrev: 'lktest.x', name: 'X', type: 'uint8' },
  y: { abbrev: 'lktest.y', name: 'Y', type: 'uint16', base: 'hex' },
});

const line = cachedLine;
const expected = uncachedLine;

function checkAll(p: Packet, nodes: number[]): void {
  for (const n of nodes) for (const level of [0, 1, 2, 7, 8]) assert.equal(line(p, n, level), expected(p, n, level), `node ${n} level ${level}`);
}

test('keyed label writers and compute()s: lines follow the key, the capture and strings on the node', () => {
  const frames = [
    [9, 1, 2, 3],
    [9, 1, 2],
    [9, 1], // cut short: the name alone
    [8, 1, 2, 3], // same key, another byte outside it
    [9, 200, 7, 3],
    [9, 1, 2, 3],
  ];
  for (let round = 0; round < 3; round++) {
    for (const bytes of frames) {
      const p = packetOf(bytes);
      const a = p.add(F.proto, 0, bytes.length, -1);
      const g = p.add(F.proto, 0, bytes.length, -1, GENERATED);
      const nodes = [a, g];
      if (bytes.length >= 3) {
        const c = p.add(F.cproto, 0, bytes.length, -1);
        const s = p.add(F.cproto, 0, bytes.length, -1);
        p.setStr(s, `set by the dissector ${round}`);
        nodes.push(c, s);
      }
      checkAll(p, nodes);
    }
  }
});

test('keyed numbers, protocol stacks and node bytes', () => {
  for (let round = 0; round < 3; round++) {
    for (const v of [1, 2, 1, 1500, -0, 0, 2 ** 40]) {
      const p = packetOf([1, 2, 3, 4, 5, 6]);
      p.nprotos = round;
      const nodes = [p.addNum(F.num, -1, 0, -1, v), p.add(F.stack, -1, 0, -1, GENERATED)];
      for (const [off, len] of [[0, 0], [0, 1], [1, 4], [2, 4], [0, 5], [4, 4]] as const) nodes.push(p.add(F.opt, off, len, -1));
      checkAll(p, nodes);
    }
  }
});

test('address, bytes, string and time lines by key, and their strings and numbers', () => {
  const v6 = Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : i < 2 ? 0x20 : 0));
  for (let round = 0; round < 3; round++) {
    for (const last of [1, 2, 1, 0xff]) {
      const bytes = [10, 0, 0, last, ...v6.slice(0, 15), last, ...Array.from({ length: 40 }, (_, i) => 0x41 + ((i + last) % 26))];
      for (const caplen of [bytes.length, 22, 21, 3]) {
        const p = packetOf(bytes.slice(0, caplen));
        p.origlen = bytes.length;
        const nodes = [
          p.add(F.v4, 0, 4, -1),
          p.add(F.v6, 4, 16, -1),
          p.addNum(F.v4, 0, 4, -1, 0x0a000001),
          p.addStr(F.v4, 0, 4, -1, 'named'),
          p.add(F.raw, 20, 40, -1),
          p.add(F.raw, 20, 36, -1),
          p.add(F.raw, 20, 37, -1),
          p.add(F.raw, 20, 0, -1),
          p.add(F.text, 20, 10, -1),
          p.add(F.text, 20, 10, -1, GENERATED),
          p.addStr(F.text, 20, 10, -1, 'override'),
          p.addNum(F.rel, -1, 0, -1, last * 1000),
          p.addNum(F.rel, -1, 0, -1, -last),
          p.addGen(F.rel, -1, 0),
        ];
        checkAll(p, nodes);
      }
    }
  }
});

/** The -V text of `p` built from uncached labels (no experts, no data hex dumps). */
function walk(p: Packet): string {
  const ix = new TreeIndex().build(p);
  let s = '';
  const node = (n: number, level: number): void => {
    if (p.tree.flags[n]! & HIDDEN) return;
    s += ' '.repeat(4 * level) + nodeLabel(p, n) + '\n';
    for (let c = ix.firstChild[n]!; c >= 0; c = ix.nextSibling[c]!) node(c, level + 1);
  };
  for (let n = ix.firstRoot; n >= 0; n = ix.nextSibling[n]!) node(n, 0);
  return s;
}

test('runs of cached lines: whole captures, written several times, match the uncached walk', async () => {
  const files = [VARIED, VARIED_NG, ...readdirSync(rel('samples')).filter((f) => f.endsWith('.pcap')).map((f) => rel('samples', f))];
  const writer = new DetailWriter();
  for (const path of files) {
    for (let round = 0; round < 2; round++) {
      let frames = 0;
      const got = await render(path, (out, p) => {
        if (p.experts.count > 0) return;
        const a = out.len;
        writer.write(out, p);
        const text = new TextDecoder().decode(out.buf.subarray(a, out.len));
        assert.equal(text, walk(p), `${path} frame ${p.number} round ${round}`);
        frames++;
      });
      assert.ok(frames > 0 && got.length > 0, path);
    }
  }
});

test('a label that reads another label while the walk queues lines', () => {
  const writer = new DetailWriter();
  for (let round = 0; round < 3; round++) {
    for (const x of [1, 2, 1]) {
      const p = packetOf([x, 0, 5]);
      const a = p.add(F.proto, 0, 3, -1);
      p.add(F.x, 0, 1, a);
      p.add(F.y, 1, 2, a);
      p.add(F.x, 0, 1, a, GENERATED);
      const n = p.add(F.nested, 0, 3, -1);
      p.add(F.y, 1, 2, n);
      p.add(F.x, 0, 1, n);
      const t = p.addText(0, 1, n, 'Text item');
      p.add(F.x, 0, 1, t);
      const out = new TextBuf(8);
      writer.write(out, p);
      // (nodeLabel itself is not reentrant: the text is spelled out)
      const lines = ['Keyed Test, A: 0, B: 5', `    X: ${x}`, '    Y: 0x0005', `    [X: ${x}]`, 'Nested [Y: 0x0005]', '    Y: 0x0005', `    X: ${x}`, '    Text item', `        X: ${x}`];
      assert.equal(out.toString(), lines.join('\n') + '\n');
    }
  }
});

/** The hex dump, byte by byte. */
function plainHex(data: Uint8Array, start: number, length: number): string {
  const digits = length > 0x1000000 ? 8 : length > 0x10000 ? 6 : 4;
  let s = '';
  for (let off = 0; off < length; off += 16) {
    const n = Math.min(16, length - off);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < n; i++) {
      const c = data[start + off + i]!;
      hex += c.toString(16).padStart(2, '0') + ' ';
      ascii += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    }
    s += off.toString(16).padStart(digits, '0') + '  ' + hex.padEnd(48, ' ') + '  ' + ascii + '\n';
  }
  return s;
}

test('hex dump: every length and alignment against a plain implementation', () => {
  const data = Uint8Array.from({ length: 70000 }, (_, i) => (i * 37 + (i >> 8)) & 255);
  for (const length of [0, 1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1372, 65536, 65537, 69000]) {
    for (const start of [0, 1, 3, 42]) {
      const out = new TextBuf(8);
      out.str('x');
      writeHexDump(out, data, start, length);
      assert.equal(out.toString(), 'x' + plainHex(data, start, length), `length ${length} start ${start}`);
    }
  }
});
