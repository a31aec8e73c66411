/**
 * The `-V` line cache (writeNodeLine): lines of integer, boolean, MAC address and plain
 * protocol nodes are kept per (field, value, context) and copied on later frames. These tests
 * write the same fields over many "frames" with changing values, levels, generated flags,
 * dissector-set texts and cut captures, and check every line against the uncached label
 * (nodeLabel) and against literal tshark-style text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFields } from '../../src/engine/fields.js';
import { GENERATED } from '../../src/engine/packet.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { join } from 'node:path';
import { lineCacheStats, writeNodeLine } from '../../src/output/format.js';
import { DetailWriter } from '../../src/output/detail.js';
import { dissectCapture } from '../../src/output/dissect.js';
import { generateCapture, loadScenario } from '../../src/generate/index.js';
import { tempDir } from '../helpers/cli.js';
import { cachedLine, packetOf, uncachedLine } from './util.js';

const F = defineFields({
  proto: { abbrev: 'lctest', name: 'Line Cache Test', type: 'protocol' },
  sub: { abbrev: 'lctest.sub', name: 'Options', type: 'none' },
  ttl: { abbrev: 'lctest.ttl', name: 'Time to Live', type: 'uint8' },
  port: { abbrev: 'lctest.port', name: 'Port', type: 'uint16' },
  type: { abbrev: 'lctest.type', name: 'Type', type: 'uint16', base: 'hex', strings: { 0x0800: 'IPv4', 0x86dd: 'IPv6' } },
  flags: { abbrev: 'lctest.flags', name: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0 },
  df: { abbrev: 'lctest.df', name: "Don't fragment", type: 'boolean', mask: 0x40, bits: 8 },
  mac: { abbrev: 'lctest.mac', name: 'Destination', type: 'ether' },
  key: { abbrev: 'lctest.key', name: 'Key', type: 'uint32' },
  enc: { abbrev: 'lctest.enc', name: 'Encapsulation type', type: 'int16' },
});

const frame = packetOf;

const line = cachedLine;
const expected = uncachedLine;

test('cached integer lines follow the value, the level and the generated flag', () => {
  for (let round = 0; round < 3; round++) {
    for (const ttl of [64, 1, 255, 0, 64]) {
      const p = frame([ttl]);
      const n = p.add(F.ttl, 0, 1, -1);
      for (const level of [0, 1, 3, 7, 9]) {
        assert.equal(line(p, n, level), ' '.repeat(4 * level) + `Time to Live: ${ttl}\n`);
      }
      const g = p.addGen(F.ttl, -1, ttl);
      assert.equal(line(p, g, 2), `        [Time to Live: ${ttl}]\n`);
      assert.equal(line(p, n, 2), `        Time to Live: ${ttl}\n`);
    }
  }
});

test('cached bitfield and boolean lines: the bit picture follows the value', () => {
  for (let round = 0; round < 2; round++) {
    for (const b of [0x40, 0x00, 0xe0, 0x40]) {
      const p = frame([b]);
      const f = p.add(F.flags, 0, 1, -1);
      const df = p.add(F.df, 0, 1, -1);
      const bits = (b >> 5).toString(2).padStart(3, '0');
      assert.equal(line(p, f, 1), `    ${bits}. .... = Flags: 0x${(b >> 5).toString(16)}\n`);
      assert.equal(line(p, df, 1), `    .${(b >> 6) & 1}.. .... = Don't fragment: ${b & 0x40 ? 'Set' : 'Not set'}\n`);
      // the same field as a number without bytes (no bit picture), then with a cached number
      assert.equal(line(p, p.addNum(F.flags, -1, 0, -1, 2), 1), '    Flags: 0x2\n');
      assert.equal(line(p, p.addNum(F.df, 0, 1, -1, 0), 1), "    .0.. .... = Don't fragment: Not set\n");
    }
  }
});

test('values past 255: value names and many distinct values (beyond the bounded map)', () => {
  for (let round = 0; round < 2; round++) {
    for (const [v, text] of [
      [0x0800, 'Type: IPv4 (0x0800)'],
      [0x86dd, 'Type: IPv6 (0x86dd)'],
      [0x1234, 'Type: Unknown (0x1234)'],
    ] as const) {
      const p = frame([v >> 8, v & 255]);
      assert.equal(line(p, p.add(F.type, 0, 2, -1), 1), `    ${text}\n`);
    }
  }
  // 600 ports, twice: the map keeps 256 lines, then gives up; every line stays right
  for (let round = 0; round < 2; round++) {
    for (let port = 1000; port < 1600; port++) {
      const p = frame([port >> 8, port & 255]);
      const n = p.add(F.port, 0, 2, -1);
      assert.equal(line(p, n, 1), `    Port: ${port}\n`);
    }
  }
  // 32-bit values (not small integers) and a signed field
  for (const key of [4077728064, 1808986001, 4077728064, 0xffffffff]) {
    const p = frame([key >>> 24, (key >>> 16) & 255, (key >>> 8) & 255, key & 255]);
    assert.equal(line(p, p.add(F.key, 0, 4, -1), 2), `        Key: ${key}\n`);
  }
  for (const v of [1, -1, 1, 300]) {
    const p = frame([]);
    const n = p.addGen(F.enc, -1, v);
    assert.equal(line(p, n, 1), `    [Encapsulation type: ${v}]\n`);
  }
});

test('MAC address lines: cached per address, nothing cached from a cut capture', () => {
  const a = [0x02, 0x78, 0xb1, 0x76, 0xa8, 0x0a];
  const b = [0xff, 0xff, 0xff, 0xff, 0xff, 0xfe];
  for (let round = 0; round < 3; round++) {
    for (const mac of [a, b, a]) {
      const p = frame(mac);
      const n = p.add(F.mac, 0, 6, -1);
      const text = mac.map((x) => x.toString(16).padStart(2, '0')).join(':');
      assert.equal(line(p, n, 1), `    Destination: ${text}\n`);
      assert.equal(line(p, n, 1), expected(p, n, 1));
    }
    const cut = frame(a.slice(0, 4));
    const n = cut.add(F.mac, 0, 6, -1);
    assert.equal(line(cut, n, 1), '    Destination: \n');
    assert.equal(line(cut, n, 1), expected(cut, n, 1));
  }
});

test('protocol and subtree lines: the name, unless the dissector set a text', () => {
  for (let round = 0; round < 3; round++) {
    const p = frame([1, 2, 3, 4]);
    const plain = p.add(F.proto, 0, 4, -1);
    assert.equal(line(p, plain, 0), 'Line Cache Test\n');
    const named = p.add(F.proto, 0, 4, -1);
    p.setStr(named, `Line Cache Test, Round ${round}`);
    assert.equal(line(p, named, 0), `Line Cache Test, Round ${round}\n`);
    const sub = p.add(F.sub, 0, 4, plain);
    assert.equal(line(p, sub, 1), '    Options\n');
    const gen = p.add(F.sub, -1, 0, plain, GENERATED);
    assert.equal(line(p, gen, 1), '    [Options]\n');
    assert.equal(line(p, plain, 0), 'Line Cache Test\n');
  }
});

test('lines longer than the initial buffer grow it', () => {
  const p = frame([0x86, 0xdd]);
  const n = p.add(F.type, 0, 2, -1);
  const out = new TextBuf(4);
  for (let i = 0; i < 100; i++) writeNodeLine(out, p, n, 5);
  assert.equal(out.toString(), `${' '.repeat(20)}Type: IPv6 (0x86dd)\n`.repeat(100));
});

test('text-only lines: cached per text, level and generated flag; many distinct texts', () => {
  for (let round = 0; round < 2; round++) {
    const p = frame([1, 2, 3, 4]);
    const a = p.addText(0, 0, -1, 'Mobility Options');
    assert.equal(line(p, a, 1), '    Mobility Options\n');
    assert.equal(line(p, a, 2), '        Mobility Options\n');
    const g = p.addText(-1, 0, -1, 'Mobility Options');
    p.tree.flags[g] |= GENERATED;
    assert.equal(line(p, g, 1), '    [Mobility Options]\n');
    const u = p.addText(0, 0, -1, 'Ünïcode → text');
    assert.equal(line(p, u, 0), 'Ünïcode → text\n');
    for (let i = 0; i < 700; i++) {
      const n = p.addText(0, 0, -1, `Item ${i}`);
      assert.equal(line(p, n, 3), `            Item ${i}\n`);
    }
    assert.equal(line(p, a, 1), '    Mobility Options\n');
  }
});

test('lines kept for good do not pin the slabs of the tables that start again (memory stays bounded)', async () => {
  // benchmark-like traffic, enough for the keyed-line and run tables to fill and start again
  const path = join(tempDir('gretool-linecache-'), 'mixed.pcap');
  await generateCapture(loadScenario('mixed'), path, { packets: 40000, sessions: 3000, seed: 5 });
  const w = new DetailWriter({ hexForData: true });
  const out = new TextBuf(1 << 20);
  let frames = 0;
  await dissectCapture(path, (f) => {
    w.write(out, f.packet);
    frames++;
    if (out.len > 1 << 19) out.len = 0;
  });
  assert.equal(frames, 40000);
  const s = lineCacheStats();
  assert.ok(s.keptLines > 1000, `lines kept: ${s.keptLines}`);
  // the kept lines lie in as many 64 KiB slabs as their bytes need (plus the one being filled)
  assert.ok(s.keptBuffers <= Math.ceil(s.keptBytes / 65536) + 1, `${s.keptLines} lines (${s.keptBytes} bytes) kept in ${s.keptBuffers} buffers`);
});
