/**
 * Value text and tree labels, derived from field declarations alone. Fields are declared here
 * under a test prefix and laid on hand-made bytes; the expected strings are tshark 4.0's (e.g.
 * "010. .... = Flags: 0x2", ".1.. .... = Don't fragment: Set", "Type: IPv4 (0x0800)").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFields } from '../../src/engine/fields.js';
import { GENERATED, type Packet } from '../../src/engine/packet.js';
import { packetOf } from './util.js';
import { bitString, displayValue, fieldText, maskBitWidth, nodeLabel, numberText, writeRelTime, protocolLabel } from '../../src/output/format.js';
import { TextBuf } from '../../src/engine/textbuf.js';
import { fieldDef } from '../../src/engine/fields.js';

const F = defineFields({
  proto: { abbrev: 'fmttest', name: 'Format Test Protocol', type: 'protocol' },
  proto2: {
    abbrev: 'fmttest2', name: 'Second', type: 'protocol',
    compute: (p: Packet, n: number) => `Second, Len: ${p.tree.len[n]}`,
  },
  flags: { abbrev: 'fmttest.flags', name: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0 },
  df: { abbrev: 'fmttest.flags.df', name: "Don't fragment", type: 'boolean', mask: 0x40, bits: 8 },
  type: { abbrev: 'fmttest.type', name: 'Type', type: 'uint16', base: 'hex', strings: { 0x0800: 'IPv4', 0x86dd: 'IPv6' } },
  ttl: { abbrev: 'fmttest.ttl', name: 'Time to Live', type: 'uint8' },
  len: { abbrev: 'fmttest.len', name: 'Length', type: 'uint16', unit: ' bytes' },
  key: { abbrev: 'fmttest.key', name: 'Key', type: 'uint32', base: 'hex' },
  flow: { abbrev: 'fmttest.flow', name: 'Flow Label', type: 'uint32', base: 'hex', mask: 0x000fffff },
  lg: { abbrev: 'fmttest.lg', name: 'LG bit', type: 'boolean', mask: 0x020000, bits: 24, tf: ['Locally administered', 'Globally unique'] },
  status: { abbrev: 'fmttest.status', name: 'Status', type: 'uint8', strings: { 0: 'Accepted', 163: 'GRE key option required' } },
  src: { abbrev: 'fmttest.src', name: 'Source Address', type: 'ipv4' },
  src6: { abbrev: 'fmttest.src6', name: 'Source Address', type: 'ipv6' },
  mac: { abbrev: 'fmttest.mac', name: 'Address', type: 'ether' },
  data: { abbrev: 'fmttest.data', name: 'Data', type: 'bytes' },
  nai: { abbrev: 'fmttest.nai', name: 'Identifier', type: 'string' },
  rel: { abbrev: 'fmttest.rel', name: 'Time since first frame', type: 'rel_time' },
  sub: { abbrev: 'fmttest.sub', name: 'Binding Update', type: 'none' },
  dechex: { abbrev: 'fmttest.dh', name: 'Both', type: 'uint16', base: 'dec_hex' },
});

const packet = packetOf;

test('bit pictures and mask widths', () => {
  assert.equal(bitString(0x40, 0xe0, 8), '010. ....');
  assert.equal(bitString(0x40, 0x40, 8), '.1.. ....');
  assert.equal(bitString(0x020000, 0x020000, 24), '.... ..1. .... .... .... ....');
  assert.equal(maskBitWidth(0xe0), 3);
  assert.equal(maskBitWidth(0x000fffff), 20);
  assert.equal(maskBitWidth(0x0ff00000), 8);
  assert.equal(maskBitWidth(0x80000000), 1);
});

test('relative times: sign, seconds, truncated decimals', () => {
  const b = new TextBuf();
  assert.equal(writeRelTime(b.clear(), 1_123_456_789, 9).toString(), '1.123456789');
  assert.equal(writeRelTime(b.clear(), 1_123_456_789, 6).toString(), '1.123456');
  assert.equal(writeRelTime(b.clear(), -1000, 6).toString(), '-0.000001');
  assert.equal(writeRelTime(b.clear(), 0, 0).toString(), '0');
});

test('-T fields text: raw numbers, hex padded to the container, booleans 1/0', () => {
  const p = packet([0x40, 0x08, 0x00, 0x40, 0x00, 0x14, 0x00, 0x00, 0xb0, 0x01, 0x00, 0x00, 0x00]);
  const flags = p.add(F.flags, 0, 1, -1);
  const df = p.add(F.df, 0, 1, -1);
  const type = p.add(F.type, 1, 2, -1);
  const ttl = p.add(F.ttl, 3, 1, -1);
  const len = p.add(F.len, 4, 2, -1);
  const key = p.add(F.key, 6, 4, -1);
  assert.equal(fieldText(p, flags), '0x02');
  assert.equal(fieldText(p, df), '1');
  assert.equal(fieldText(p, type), '0x0800');
  assert.equal(fieldText(p, ttl), '64');
  assert.equal(fieldText(p, len), '20');
  assert.equal(fieldText(p, key), '0x0000b001');
  assert.equal(numberText(fieldDef(F.key), 1), '0x00000001');
});

test('tree labels: bitfields, value names, units, hex digits from the mask', () => {
  const p = packet([0x40, 0x08, 0x00, 0x40, 0x00, 0x14, 0x00, 0x00, 0xb0, 0x01, 0x60, 0x00, 0x00, 0x00, 0xa3]);
  assert.equal(nodeLabel(p, p.add(F.flags, 0, 1, -1)), '010. .... = Flags: 0x2');
  assert.equal(nodeLabel(p, p.add(F.df, 0, 1, -1)), ".1.. .... = Don't fragment: Set");
  assert.equal(nodeLabel(p, p.add(F.type, 1, 2, -1)), 'Type: IPv4 (0x0800)');
  assert.equal(nodeLabel(p, p.add(F.ttl, 3, 1, -1)), 'Time to Live: 64');
  assert.equal(nodeLabel(p, p.add(F.len, 4, 2, -1)), 'Length: 20 bytes');
  assert.equal(nodeLabel(p, p.add(F.key, 6, 4, -1)), 'Key: 0x0000b001');
  assert.equal(nodeLabel(p, p.add(F.flow, 10, 4, -1)), '.... .... .... 0000 0000 0000 0000 0000 = Flow Label: 0x00000');
  assert.equal(nodeLabel(p, p.add(F.status, 14, 1, -1)), 'Status: GRE key option required (163)');
  assert.equal(nodeLabel(p, p.add(F.status, 13, 1, -1)), 'Status: Accepted (0)');
  assert.equal(nodeLabel(p, p.addNum(F.status, 13, 1, -1, 7)), 'Status: Unknown (7)');
  assert.equal(nodeLabel(p, p.addNum(F.dechex, 0, 2, -1, 20)), 'Both: 20 (0x0014)');
  assert.equal(nodeLabel(p, p.addGen(F.ttl, -1, 3)), '[Time to Live: 3]');
  assert.equal(nodeLabel(p, p.addNum(F.df, 0, 1, -1, 0)), ".0.. .... = Don't fragment: Not set");
});

test('tree labels: addresses, bytes (cut at 36 octets), strings, times, subtrees, protocols', () => {
  const bytes = [192, 0, 2, 1, 0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1, 2, 0, 0, 0, 0, 1];
  const p = packet([...bytes, ...Array(40).fill(0xab), ...new TextEncoder().encode('mn1@example.org')]);
  assert.equal(nodeLabel(p, p.add(F.src, 0, 4, -1)), 'Source Address: 192.0.2.1');
  assert.equal(nodeLabel(p, p.add(F.src6, 4, 16, -1)), 'Source Address: 2001:db8::1');
  const mac = p.add(F.mac, 20, 6, -1);
  assert.equal(nodeLabel(p, mac), 'Address: 02:00:00:00:00:01');
  assert.equal(nodeLabel(p, p.add(F.lg, 20, 3, -1)), '.... ..1. .... .... .... .... = LG bit: Locally administered');
  const data = p.add(F.data, 26, 40, -1);
  assert.equal(nodeLabel(p, data), 'Data: ' + 'ab'.repeat(36) + '…');
  assert.equal(fieldText(p, data), 'ab'.repeat(40));
  assert.equal(fieldText(p, data, 58), Array(40).fill('ab').join(':'));
  assert.equal(nodeLabel(p, p.add(F.nai, 66, 15, -1)), 'Identifier: mn1@example.org');
  assert.equal(nodeLabel(p, p.addGen(F.rel, -1, 1_500_000_000)), '[Time since first frame: 1.500000000 seconds]');
  const sub = p.add(F.sub, 0, 4, -1);
  assert.equal(nodeLabel(p, sub), 'Binding Update');
  const proto = p.add(F.proto, 0, 20, -1);
  assert.equal(nodeLabel(p, proto), 'Format Test Protocol');
  p.setStr(proto, 'Format Test Protocol, Src: 192.0.2.1');
  assert.equal(nodeLabel(p, proto), 'Format Test Protocol, Src: 192.0.2.1');
  assert.equal(fieldText(p, proto), 'Format Test Protocol, Src: 192.0.2.1', '-T fields of a protocol is its label');
  const proto2 = p.add(F.proto2, 0, 12, -1);
  assert.equal(protocolLabel(p, proto2), 'Second, Len: 12', 'computed lazily from compute()');
  const text = p.addText(0, 0, -1, 'Mobility Options');
  assert.equal(nodeLabel(p, text), 'Mobility Options');
  assert.equal(displayValue(p, p.add(F.type, 1, 2, -1, GENERATED)), 'Unknown (0x0002)');
});

test('values past the captured bytes print nothing rather than garbage', () => {
  const p = packet([192, 0]);
  p.caplen = 2;
  assert.equal(fieldText(p, p.add(F.src, 0, 4, -1)), '');
});
