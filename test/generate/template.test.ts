/**
 * Templates (the scale path): patching the mutable fields of a compiled frame and updating the
 * covering checksums incrementally must give exactly the bytes a full build with those values
 * gives, whatever the values, payload lengths (odd or even) and nesting of checksums
 * (inner TCP/ICMP inside GRE with checksum inside UDP). Property-based with fast-check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { build, compile, raw, type Layer } from '../../src/generate/layer.js';
import { eth } from '../../src/dissectors/eth/build.js';
import { ipv4 } from '../../src/dissectors/ipv4/build.js';
import { ipv6 } from '../../src/dissectors/ipv6/build.js';
import { udp } from '../../src/dissectors/udp/build.js';
import { tcp } from '../../src/dissectors/tcp/build.js';
import { icmp } from '../../src/dissectors/icmp/build.js';
import { icmpv6 } from '../../src/dissectors/icmpv6/build.js';
import { gre } from '../../src/dissectors/gre/build.js';
import { tlv } from '../../src/dissectors/pmip6udp/build.js';
import { dissect, LINK } from './helpers.js';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const payload = (n: number, fill: number) => raw({ data: new Uint8Array(n).map((_, i) => (fill + i * 7) & 255) });

interface Vals {
  outerId: number;
  greSeq: number;
  innerId: number;
  seq: number;
  ack: number;
}

function tlvStack(v: Partial<Vals>, len: number, fill: number, greChecksum: boolean): Layer[] {
  return [
    eth(),
    ipv4({ src: '192.0.2.1', dst: '198.51.100.1', id: v.outerId }),
    udp(),
    tlv(),
    gre({ key: 0x2001, checksumPresent: greChecksum, seqPresent: true, seq: v.greSeq }),
    ipv4({ src: '10.1.0.10', dst: '203.0.113.10', id: v.innerId }),
    tcp({ srcPort: 40000, dstPort: 7, seq: v.seq, ack: v.ack, flags: 0x18 }),
    payload(len, fill),
  ];
}

test('IPv4/UDP/TLV/GRE(C,K,S)/IPv4/TCP: patched template == full build', () => {
  fc.assert(
    fc.property(u16, u32, u16, u32, u32, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (outerId, greSeq, innerId, seq, ack, len, fill, c) => {
      const t = compile(tlvStack({}, len, fill, c));
      t.set(t.field('ip.id', 0), outerId);
      t.set(t.field('gre.sequence_number'), greSeq);
      t.set(t.field('ip.id', 1), innerId);
      t.set(t.field('tcp.seq'), seq);
      t.set(t.field('tcp.ack'), ack);
      const want = build(tlvStack({ outerId, greSeq, innerId, seq, ack }, len, fill, c));
      assert.deepEqual(t.bytes, want);
    }),
    { numRuns: 300 },
  );
});

test('repeated patches keep every checksum valid (dissected)', () => {
  const t = compile(tlvStack({}, 101, 3, true));
  const ids = [t.field('ip.id', 0), t.field('gre.sequence_number'), t.field('ip.id', 1), t.field('tcp.seq'), t.field('tcp.ack')];
  for (let i = 0; i < 200; i++) {
    ids.forEach((f, k) => t.set(f, (i * 2654435761 + k * 40503) >>> 0 & (k === 0 || k === 2 ? 0xffff : 0xffffffff)));
    const d = dissect(t.bytes, LINK.ethernet);
    assert.equal(d.get('ip.checksum.status', 0), '1');
    assert.equal(d.get('udp.checksum.status'), '1');
    assert.equal(d.get('gre.checksum.status'), '1');
  }
});

test('IPv6/GRE(C,S)/IPv6/ICMPv6 and IPv4/GRE/IPv4/ICMP: patched == built', () => {
  fc.assert(
    fc.property(u32, u16, fc.integer({ min: 0, max: 99 }), (greSeq, icmpSeq, len) => {
      const mk6 = (g?: number, s?: number): Layer[] => [
        eth(),
        ipv6({ src: '2001:db8:1::1', dst: '2001:db8:100::1' }),
        gre({ checksumPresent: true, seqPresent: true, seq: g, key: 5 }),
        ipv6({ src: '2001:db8:a::10', dst: '2001:db8:cafe::10' }),
        icmpv6({ id: 3, seq: s }),
        payload(len, 1),
      ];
      const t6 = compile(mk6());
      t6.set(t6.field('gre.sequence_number'), greSeq);
      t6.set(t6.field('icmpv6.echo.sequence_number'), icmpSeq);
      assert.deepEqual(t6.bytes, build(mk6(greSeq, icmpSeq)));
      const mk4 = (id?: number, s?: number): Layer[] => [eth(), ipv4({ src: '192.0.2.1', dst: '198.51.100.1' }), gre({ key: 1 }), ipv4({ src: '10.0.0.1', dst: '10.0.255.10', id }), icmp({ id: 9, seq: s }), payload(len, 2)];
      const t4 = compile(mk4());
      t4.set(t4.field('ip.id', 1), icmpSeq);
      t4.set(t4.field('icmp.seq'), icmpSeq ^ 0x5555);
      assert.deepEqual(t4.bytes, build(mk4(icmpSeq, icmpSeq ^ 0x5555)));
    }),
    { numRuns: 200 },
  );
});

test('an explicitly wrong checksum stays wrong after patches (badChecksum)', () => {
  const mk = (seq?: number): Layer[] => [eth(), ipv4({ src: '192.0.2.1', dst: '198.51.100.1' }), gre({ checksumPresent: true, badChecksum: 0x0f0f, seqPresent: true, seq }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), payload(30, 4)];
  const t = compile(mk());
  for (const s of [1, 2, 0xfffffffe, 77]) {
    t.set(t.field('gre.sequence_number'), s);
    assert.deepEqual(t.bytes, build(mk(s)));
    assert.equal(dissect(t.bytes, LINK.ethernet).get('gre.checksum.status'), '0');
  }
});

test('a checksum set explicitly is not registered, so patches leave it alone', () => {
  const mk = (id?: number): Layer[] => [eth(), ipv4({ src: '192.0.2.1', dst: '198.51.100.1', checksum: 0xabcd, id }), payload(4, 0)];
  const t = compile(mk());
  t.set(t.field('ip.id'), 0x1234);
  assert.deepEqual(t.bytes, build(mk(0x1234)));
  assert.equal(t.bytes[14 + 10], 0xab);
});

test('fields lists what can be patched; unknown names give -1', () => {
  const t = compile(tlvStack({}, 10, 0, false));
  assert.deepEqual(
    t.fields.map((f) => f.name),
    ['ip.id', 'ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport', 'gre.key', 'gre.sequence_number', 'ip.id', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack'],
  );
  assert.equal(t.field('icmp.seq'), -1);
  assert.equal(t.field('ip.id', 2), -1);
  t.set(t.field('tcp.seq'), 0xdeadbeef);
  assert.equal(t.get(t.field('tcp.seq')), 0xdeadbeef);
});

test('addresses, ports and keys patch through the pseudo-header and the outer checksums', () => {
  const a6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
  fc.assert(
    fc.property(a6, a6, u32, u16, u32, fc.integer({ min: 0, max: 200 }), fc.boolean(), (src, dst, key, port, v4, len, c) => {
      // IPv4/UDP/TLV/GRE(C?)/IPv6/UDP: an inner IPv6 address is in the inner UDP pseudo-header,
      // under the GRE checksum and under the outer UDP checksum
      const mk = (s6?: Uint8Array, d6?: Uint8Array, k?: number, p?: number, o4?: number): Layer[] => [
        eth(),
        ipv4({ src: o4 === undefined ? '192.0.2.1' : [o4 >>> 24, (o4 >>> 16) & 255, (o4 >>> 8) & 255, o4 & 255].join('.'), dst: '198.51.100.1' }),
        udp(),
        tlv(),
        gre({ key: k ?? 1, checksumPresent: c }),
        ipv6({ src: s6 ?? '2001:db8::1', dst: d6 ?? '2001:db8::2' }),
        udp({ srcPort: p ?? 1000, dstPort: 7 }),
        payload(len, 9),
      ];
      const t = compile(mk());
      t.setBytes(t.field('ipv6.src'), src);
      t.setBytes(t.field('ipv6.dst'), dst);
      t.set(t.field('gre.key'), key);
      t.set(t.field('udp.srcport', 1), port);
      t.set(t.field('ip.src'), v4);
      assert.deepEqual(t.bytes, build(mk(src, dst, key, port, v4)));
    }),
    { numRuns: 300 },
  );
});

test('an odd-length octet field (an NAI) patches correctly', () => {
  const t = compile([eth(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ srcPort: 1, dstPort: 2 }), raw({ data: new TextEncoder().encode('xmn1@a.example') })]);
  const idx = t.fields.length;
  // a hand-made field over the odd-length payload text, to exercise the off-grid path
  const t2 = new (t.constructor as typeof import('../../src/generate/layer.js').Template)(t.bytes.slice(), [...t.fields, { name: 'nai', off: 14 + 20 + 8 + 1, width: 13 }], (t as unknown as { regions: never }).regions);
  t2.setBytes(idx, new TextEncoder().encode('mn2@b.example'));
  const want = build([eth(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ srcPort: 1, dstPort: 2 }), raw({ data: new TextEncoder().encode('xmn2@b.example') })]);
  assert.deepEqual(t2.bytes, want);
});
