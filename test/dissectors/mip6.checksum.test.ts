/**
 * MH checksum (RFC 6275 §6.1.1): known values computed by hand in the test from the RFC
 * algorithm (one's complement sum over the IPv6 pseudo-header with next header 135 and the
 * MH with its checksum zeroed), then verification by the dissector, and the RFC 5844 rule
 * over UDP (must be 0, not verified).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { findFirst, nodeNumber } from '../../src/engine/values.js';
import { MIP6_FIELDS as F } from '../../src/dissectors/mip6/index.js';
import { mhChecksum, mhChecksumOf, mhVerifySum } from '../../src/dissectors/mip6/checksum.js';
import { BU, buData, greKey, ip6, ipv4, ipv6, mh, udp4, u32 } from '../fixtures/mip6/build.js';
import { installStubLayersIfMissing } from '../fixtures/mip6/stub.js';

installStubLayersIfMissing();

/** The RFC algorithm spelled out: 16-bit words, end-around carry, complement. */
function byHand(src: number[], dst: number[], m: Uint8Array): number {
  const z = Uint8Array.from(m);
  z[4] = 0;
  z[5] = 0;
  const bytes = [...src, ...dst, ...u32(m.length), 0, 0, 0, 135, ...z];
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += bytes[i]! * 256 + (bytes[i + 1] ?? 0);
    if (sum > 0xffff) sum = (sum & 0xffff) + 1;
  }
  return 0xffff - sum;
}

test('checksum: a PBU with a GRE key between 2001:db8:1::1 and 2001:db8:2::1 (known value)', () => {
  // MH: 3b 02 05 00 [csum] | 0007 8200 0064 | 21 06 0000 0000a001 | 01 02 0000 (PadN 4)
  const m = mh(5, buData(7, BU.A | BU.P, 100), greKey(0xa001), { csum: 0 });
  assert.deepEqual([...m], [0x3b, 2, 5, 0, 0, 0, 0, 7, 0x82, 0, 0, 0x64, 0x21, 6, 0, 0, 0, 0, 0xa0, 1, 1, 2, 0, 0]);
  const src = ip6('2001:db8:1::1');
  const dst = ip6('2001:db8:2::1');
  const want = byHand(src, dst, m);
  // the same value computed independently (Python, RFC 1071 sum) when the test was written
  assert.equal(want, 0x1f72);
  assert.equal(mhChecksumOf(Uint8Array.from(src), Uint8Array.from(dst), m), want);
  const frame = ipv6(mh(5, buData(7, BU.A | BU.P, 100), greKey(0xa001)));
  assert.equal((frame[44]! << 8) | frame[45]!, want, 'the fixture builder agrees');
  assert.equal(mhChecksum(frame, 8, 24, 40, m.length), want);
  assert.equal(mhVerifySum(frame, 8, 24, 40, m.length), 0xffff);
});

test('checksum: known vectors', () => {
  // all-zero addresses and a minimal 8-octet unknown-type MH 3b 00 28 00 0000 0000:
  // words 0008 + 0087 (next header) + 3b00 + 2800 = 0x638f -> ~ = 0x9c70
  const m = new Uint8Array([0x3b, 0x00, 0x28, 0x00, 0, 0, 0, 0]);
  const z = new Uint8Array(16);
  assert.equal(mhChecksumOf(z, z, m), 0x9c70);
  assert.equal(byHand([...z], [...z], m), 0x9c70);
  // the checksum field itself is ignored when computing
  const m2 = Uint8Array.from(m);
  m2[4] = 0xab;
  m2[5] = 0xcd;
  assert.equal(mhChecksumOf(z, z, m2), 0x9c70);
  // end-around carry: addresses of all ones
  const ones = new Uint8Array(16).fill(0xff);
  assert.equal(mhChecksumOf(ones, ones, m), byHand([...ones], [...ones], m));
});

function csumStatus(frame: Uint8Array): { status: number; calc: number } {
  const p = new Pipeline().dissectBytes(frame, 0, frame.length, frame.length, 101, 1, 0, 0);
  const s = findFirst(p, F.csum_status);
  const c = findFirst(p, F.csum_calc);
  return { status: s < 0 ? -1 : nodeNumber(p, s), calc: c < 0 ? -1 : nodeNumber(p, c) };
}

test('checksum: the dissector verifies over IPv6 (good / bad / unverifiable)', () => {
  const good = ipv6(mh(5, buData(7, BU.A | BU.P, 100), greKey(0xa001)));
  const r = csumStatus(good);
  assert.equal(r.status, 1);
  assert.equal(r.calc, (good[44]! << 8) | good[45]!);
  const bad = Uint8Array.from(good);
  bad[45] ^= 1;
  assert.equal(csumStatus(bad).status, 0);
  // any change in the pseudo-header (destination address) breaks it too
  const moved = Uint8Array.from(good);
  moved[39] ^= 1;
  assert.equal(csumStatus(moved).status, 0);
  // Header Len past the packet: cannot verify
  assert.equal(csumStatus(ipv6(mh(5, buData(7, BU.A | BU.P, 100), greKey(1), { hlen: 9 }))).status, 2);
});

test('checksum: over IPv4/UDP 5436 it must be zero and is not verified (RFC 5844)', () => {
  const zero = ipv4(17, udp4(mh(5, buData(7, BU.A | BU.P | BU.F, 100), greKey(1), { udp: true })));
  assert.deepEqual(csumStatus(zero), { status: 3, calc: -1 });
  const nz = ipv4(17, udp4(mh(5, buData(7, BU.A | BU.P | BU.F, 100), greKey(1), { udp: true, csum: 0x4242 })));
  assert.deepEqual(csumStatus(nz), { status: 4, calc: -1 });
});
