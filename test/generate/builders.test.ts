/**
 * Every builder, tested by dissecting what it built with gretool's own dissectors: a field left
 * unset is computed (lengths, header lengths, next header / protocol / EtherType, checksums with
 * the right pseudo-header, option padding and alignment), and a field set explicitly is kept
 * even when it is wrong.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { build, raw, type Layer } from '../../src/generate/layer.js';
import { eth } from '../../src/dissectors/eth/build.js';
import { sll, SLL_PKTTYPE } from '../../src/dissectors/sll/build.js';
import { rawip } from '../../src/dissectors/rawip/build.js';
import { ipv4 } from '../../src/dissectors/ipv4/build.js';
import { ipv6 } from '../../src/dissectors/ipv6/build.js';
import { udp } from '../../src/dissectors/udp/build.js';
import { tcp, TCP_FLAG } from '../../src/dissectors/tcp/build.js';
import { icmp } from '../../src/dissectors/icmp/build.js';
import { icmpv6 } from '../../src/dissectors/icmpv6/build.js';
import { gre } from '../../src/dissectors/gre/build.js';
import { tlv } from '../../src/dissectors/pmip6udp/build.js';
import { mh, serializeMh, type MhSpec, type MobilityOption } from '../../src/dissectors/mip6/build.js';
import { OPT_ALIGN, OPT } from '../../src/dissectors/mip6/layout.js';
import { dissect, LINK } from './helpers.js';

const GOOD = '1';
const BAD = '0';
const bytes = (n: number, v = 0x61) => raw({ data: new Uint8Array(n).fill(v) });
const V4 = { src: '192.0.2.1', dst: '198.51.100.1' };
const V6 = { src: '2001:db8:1::1', dst: '2001:db8:100::1' };
const frame = (...layers: Layer[]) => dissect(build(layers), LINK.ethernet);

function pbuSpec(extra: Partial<MhSpec> = {}, options?: MobilityOption[]): MhSpec {
  return {
    body: { kind: 'pbu', seq: 4711, flags: 0x8200, lifetime: 900 },
    options: options ?? [
      { type: 'mnid', id: 'mn1@operator-a.example' },
      { type: 'hnp', prefix: '2001:db8:a:1::', prefixLength: 64 },
      { type: 'hi', value: 1 },
      { type: 'att', value: 4 },
      { type: 'ts', seconds: 1767225600, fraction: 0x8000 },
      { type: 'grekey', key: 0x1001 },
      { type: 'ipv4hareq', address: '0.0.0.0' },
    ],
    ...extra,
  };
}

describe('eth', () => {
  test('EtherType computed from the payload, addresses as given', () => {
    const d = frame(eth({ src: '02:00:00:00:00:aa', dst: '02:00:00:00:00:bb' }), ipv6(V6), bytes(4));
    assert.equal(d.get('eth.type'), '0x86dd');
    assert.equal(d.get('eth.src'), '02:00:00:00:00:aa');
    assert.equal(d.get('eth.dst'), '02:00:00:00:00:bb');
    assert.equal(frame(eth(), ipv4(V4), bytes(4)).get('eth.type'), '0x0800');
  });
  test('explicit EtherType kept', () => {
    assert.equal(frame(eth({ type: 0x88b5 }), ipv4(V4), bytes(4)).get('eth.type'), '0x88b5');
  });
  test('802.1Q tag: TPID 0x8100, VID, inner EtherType computed', () => {
    const d = frame(eth({ vlan: [{ vid: 100, pcp: 5 }] }), ipv4(V4), bytes(4));
    assert.equal(d.get('eth.type'), '0x8100');
    assert.equal(d.get('vlan.id'), '100');
    assert.equal(d.get('vlan.priority'), '5');
    assert.equal(d.get('vlan.etype'), '0x0800');
    assert.equal(d.get('ip.src'), '192.0.2.1');
  });
});

describe('sll and raw IP', () => {
  test('SLL: packet type, address, protocol computed', () => {
    const d = dissect(build([sll({ pktType: SLL_PKTTYPE.OUTGOING, addr: '02:00:00:00:00:0a' }), ipv6(V6), bytes(4)]), LINK.sll);
    assert.equal(d.get('sll.pkttype'), '4');
    assert.equal(d.get('sll.etype'), '0x86dd');
    assert.equal(d.get('sll.halen'), '6');
    assert.equal(d.get('ipv6.dst'), '2001:db8:100::1');
  });
  test('raw IP: the frame is the IP packet', () => {
    const b = build([rawip(), ipv4(V4), udp({ srcPort: 1, dstPort: 2 }), bytes(3)]);
    assert.equal(b[0], 0x45);
    const d = dissect(b, LINK.raw);
    assert.equal(d.get('ip.dst'), '198.51.100.1');
    assert.equal(d.get('udp.checksum.status'), GOOD);
  });
});

describe('ipv4', () => {
  test('length, header length, protocol and checksum computed', () => {
    const d = frame(eth(), ipv4(V4), udp({ srcPort: 1000, dstPort: 2000 }), bytes(13));
    assert.equal(d.get('ip.len'), String(20 + 8 + 13));
    assert.equal(d.get('ip.hdr_len'), '20');
    assert.equal(d.get('ip.proto'), '17');
    assert.equal(d.get('ip.checksum.status'), GOOD);
    assert.equal(d.get('ip.flags.df'), '1');
    assert.equal(frame(eth(), ipv4(V4), gre({ key: 1 }), ipv4(V4), bytes(4)).get('ip.proto'), '47');
    assert.equal(frame(eth(), ipv4(V4), ipv4(V4), bytes(4)).get('ip.proto'), '4');
    assert.equal(frame(eth(), ipv4(V4), ipv6(V6), bytes(4)).get('ip.proto'), '41');
  });
  test('options pad the header to 4n and set IHL', () => {
    const d = frame(eth(), ipv4({ ...V4, options: Uint8Array.of(1, 1, 1) }), bytes(4));
    assert.equal(d.get('ip.hdr_len'), '24');
    assert.equal(d.get('ip.len'), '28');
    assert.equal(d.get('ip.checksum.status'), GOOD);
  });
  test('explicit values kept even when wrong', () => {
    const d = frame(eth(), ipv4({ ...V4, totalLength: 1000, checksum: 0x1234, ttl: 3, id: 0xbeef, protocol: 99 }), bytes(4));
    assert.equal(d.get('ip.len'), '1000');
    assert.equal(d.get('ip.checksum'), '0x1234');
    assert.equal(d.get('ip.checksum.status'), BAD);
    assert.equal(d.get('ip.ttl'), '3');
    assert.equal(d.get('ip.id'), '0xbeef');
    assert.equal(d.get('ip.proto'), '99');
  });
  test('badChecksum: computed XOR mask', () => {
    const good = frame(eth(), ipv4(V4), bytes(4));
    const bad = frame(eth(), ipv4({ ...V4, badChecksum: 0x00ff }), bytes(4));
    assert.equal(bad.num('ip.checksum'), good.num('ip.checksum') ^ 0x00ff);
    assert.equal(bad.get('ip.checksum.status'), BAD);
  });
});

describe('ipv6', () => {
  test('payload length and next header computed', () => {
    const d = frame(eth(), ipv6(V6), gre({ key: 5 }), ipv6(V6), bytes(10));
    assert.equal(d.get('ipv6.plen', 0), String(4 + 4 + 40 + 10));
    assert.equal(d.get('ipv6.nxt', 0), '47');
    assert.equal(d.get('ipv6.nxt', 1), '59');
    assert.equal(frame(eth(), ipv6(V6), mh(pbuSpec())).get('ipv6.nxt'), '135');
    assert.equal(frame(eth(), ipv6(V6), ipv4(V4), bytes(1)).get('ipv6.nxt'), '4');
    assert.equal(frame(eth(), ipv6(V6), ipv6(V6), bytes(1)).get('ipv6.nxt', 0), '41');
  });
  test('explicit values kept', () => {
    const d = frame(eth(), ipv6({ ...V6, payloadLength: 7, nextHeader: 17, hopLimit: 9, flowLabel: 0x12345, trafficClass: 0xb8 }), bytes(20));
    assert.equal(d.get('ipv6.plen'), '7');
    assert.equal(d.get('ipv6.nxt'), '17');
    assert.equal(d.get('ipv6.hlim'), '9');
    assert.equal(d.num('ipv6.flow'), 0x12345);
    assert.equal(d.num('ipv6.tclass'), 0xb8);
  });
});

describe('udp', () => {
  test('length and checksum over the IPv4 and the IPv6 pseudo-header', () => {
    for (const ip of [ipv4(V4), ipv6(V6)]) {
      const d = frame(eth(), ip, udp({ srcPort: 40000, dstPort: 7 }), bytes(33));
      assert.equal(d.get('udp.length'), String(8 + 33));
      assert.equal(d.get('udp.checksum.status'), GOOD);
    }
  });
  test('ports default to the payload: 5436 for a Mobility Header, 5437 for the TLV header', () => {
    const s = frame(eth(), ipv4(V4), udp(), mh(pbuSpec()));
    assert.equal(s.get('udp.srcport'), '5436');
    assert.equal(s.get('udp.dstport'), '5436');
    const d = frame(eth(), ipv4(V4), udp(), tlv(), gre({ key: 1 }), ipv4(V4), bytes(4));
    assert.equal(d.get('udp.dstport'), '5437');
  });
  test('checksum 0 kept (no checksum), wrong length kept', () => {
    const d = frame(eth(), ipv4(V4), udp({ srcPort: 1, dstPort: 2, checksum: 0, length: 99 }), bytes(4));
    assert.equal(d.get('udp.checksum'), '0x0000');
    assert.equal(d.get('udp.length'), '99');
  });
});

describe('tcp', () => {
  test('data offset and checksum computed, fields as given', () => {
    for (const ip of [ipv4(V4), ipv6(V6)]) {
      const d = frame(eth(), ip, tcp({ srcPort: 40000, dstPort: 80, seq: 0x01020304, ack: 0x0a0b0c0d, flags: TCP_FLAG.PSH | TCP_FLAG.ACK, window: 1000 }), bytes(21));
      assert.equal(d.get('tcp.hdr_len'), '20');
      assert.equal(d.get('tcp.checksum.status'), GOOD);
      assert.equal(d.get('tcp.seq_raw'), String(0x01020304));
      assert.equal(d.get('tcp.ack_raw'), String(0x0a0b0c0d));
      assert.equal(d.get('tcp.flags'), '0x0018');
      assert.equal(d.get('tcp.window_size_value'), '1000');
    }
  });
  test('options: data offset 6, checksum still right', () => {
    const d = frame(eth(), ipv4(V4), tcp({ srcPort: 1, dstPort: 2, flags: TCP_FLAG.SYN, options: Uint8Array.of(2, 4, 5, 0xb4) }));
    assert.equal(d.get('tcp.hdr_len'), '24');
    assert.equal(d.get('tcp.checksum.status'), GOOD);
  });
  test('explicit checksum kept', () => {
    assert.equal(frame(eth(), ipv4(V4), tcp({ srcPort: 1, dstPort: 2, checksum: 0xdead }), bytes(2)).get('tcp.checksum.status'), BAD);
  });
});

describe('icmp and icmpv6', () => {
  test('ICMP echo: checksum computed, id and sequence as given', () => {
    const d = frame(eth(), ipv4(V4), icmp({ type: 8, id: 0x1234, seq: 7 }), bytes(32));
    assert.equal(d.get('icmp.type'), '8');
    assert.equal(d.get('icmp.ident'), String(0x1234));
    assert.equal(d.get('icmp.seq'), '7');
    assert.equal(d.get('icmp.checksum.status'), GOOD);
    assert.equal(frame(eth(), ipv4(V4), icmp({ checksum: 1 }), bytes(2)).get('icmp.checksum.status'), BAD);
  });
  test('ICMPv6 echo: checksum with the IPv6 pseudo-header (next header 58)', () => {
    const d = frame(eth(), ipv6(V6), icmpv6({ type: 129, id: 9, seq: 300 }), bytes(40));
    assert.equal(d.get('ipv6.nxt'), '58');
    assert.equal(d.get('icmpv6.type'), '129');
    assert.equal(d.get('icmpv6.echo.sequence_number'), '300');
    assert.equal(d.get('icmpv6.checksum.status'), GOOD);
  });
});

describe('gre', () => {
  test('K set by a key; protocol type from the payload; no optional words otherwise', () => {
    const d = frame(eth(), ipv6(V6), gre({ key: 0x2001 }), ipv4(V4), bytes(4));
    assert.equal(d.get('gre.flags_and_version'), '0x2000');
    assert.equal(d.get('gre.key'), '0x00002001');
    assert.equal(d.get('gre.proto'), '0x0800');
    const k = frame(eth(), ipv6(V6), gre(), ipv6(V6), bytes(4));
    assert.equal(k.get('gre.flags_and_version'), '0x0000');
    assert.equal(k.get('gre.proto'), '0x86dd');
    assert.equal(k.has('gre.key'), false);
  });
  test('C: checksum over GRE header and payload; S: sequence number', () => {
    const d = frame(eth(), ipv4(V4), gre({ checksumPresent: true, key: 7, seq: 42 }), ipv4(V4), bytes(9));
    assert.equal(d.get('gre.flags_and_version'), '0xb000');
    assert.equal(d.get('gre.checksum.status'), GOOD);
    assert.equal(d.get('gre.sequence_number'), '42');
    assert.equal(d.get('gre.key'), '0x00000007');
    assert.equal(d.get('ip.len', 1), String(20 + 9));
  });
  test('explicit flags word and wrong checksum kept', () => {
    const d = frame(eth(), ipv4(V4), gre({ flags: 0xa001, key: 1, checksum: 0x1111 }), ipv4(V4), bytes(4));
    assert.equal(d.get('gre.flags_and_version'), '0xa001');
    assert.equal(d.get('gre.flags.version'), '1');
    assert.equal(d.get('gre.checksum'), '0x1111');
    const bad = frame(eth(), ipv4(V4), gre({ checksumPresent: true, badChecksum: 0xff }), ipv4(V4), bytes(4));
    assert.equal(bad.get('gre.checksum.status'), BAD);
  });
  test('RFC 1701 routing: checksum/offset words and a NULL SRE', () => {
    const d = frame(eth(), ipv4(V4), gre({ routingPresent: true, key: 3 }), ipv4(V4), bytes(4));
    assert.equal(d.get('gre.flags.routing'), '1');
    assert.equal(d.get('gre.offset'), '0');
    assert.equal(d.get('gre.key'), '0x00000003');
    assert.equal(d.get('gre.routing.address_family'), '0');
    assert.equal(d.get('ip.src', 1), '192.0.2.1');
  });
  test('key absent when keyPresent is false', () => {
    assert.equal(frame(eth(), ipv6(V6), gre({ key: 9, keyPresent: false }), ipv4(V4), bytes(4)).has('gre.key'), false);
  });
});

describe('pmip6udp (RFC 5845 TLV header)', () => {
  test('Type 0, Next Header and Length computed; UDP.Length − 12 = TLV.Length', () => {
    const d = frame(eth(), ipv4(V4), udp(), tlv(), gre({ key: 0x2001 }), ipv6(V6), bytes(11));
    assert.equal(d.get('pmip6.tlv.type'), '0');
    assert.equal(d.get('pmip6.tlv.next_header'), '47');
    assert.equal(d.num('pmip6.tlv.length'), d.num('udp.length') - 12);
    assert.equal(d.get('pmip6.tlv.length_ok'), '1');
    assert.equal(d.get('gre.key'), '0x00002001');
    assert.equal(d.get('udp.checksum.status'), GOOD);
    assert.equal(frame(eth(), ipv4(V4), udp(), tlv(), ipv4(V4), bytes(2)).get('pmip6.tlv.next_header'), '4');
  });
  test('explicit wrong length, reserved and type kept', () => {
    const d = frame(eth(), ipv4(V4), udp(), tlv({ length: 3, reserved: 5 }), gre({ key: 1 }), ipv4(V4), bytes(2));
    assert.equal(d.get('pmip6.tlv.length'), '3');
    assert.equal(d.get('pmip6.tlv.length_ok'), '0');
    assert.equal(d.get('pmip6.tlv.reserved'), '0x05');
    const t = build([eth(), ipv4(V4), udp(), tlv({ type: 1 }), gre({ key: 1 }), ipv4(V4), bytes(2)]);
    assert.equal(t[14 + 20 + 8], 0x10);
  });
});

describe('mip6 (Mobility Header)', () => {
  test('PBU over IPv6: Header Len, 8n length, checksum with the pseudo-header, fields', () => {
    const d = frame(eth(), ipv6(V6), mh(pbuSpec()));
    const len = d.num('gretool.mip6.length');
    assert.equal(len % 8, 0);
    assert.equal(d.num('mip6.hlen'), len / 8 - 1);
    assert.equal(d.get('mip6.proto'), '59');
    assert.equal(d.get('mip6.mhtype'), '5');
    assert.equal(d.get('gretool.mip6.csum.status'), GOOD);
    assert.equal(d.get('mip6.bu.seqnr'), '4711');
    assert.equal(d.get('mip6.bu.a_flag'), '1');
    assert.equal(d.get('mip6.bu.p_flag'), '1');
    assert.equal(d.get('mip6.bu.lifetime'), '900');
    assert.equal(d.get('mip6.gre_key'), String(0x1001));
    assert.equal(d.get('mip6.mnid.identifier'), 'mn1@operator-a.example');
    assert.equal(d.get('mip6.hi'), '1');
    assert.equal(d.get('mip6.att'), '4');
    assert.equal(d.experts.length, 0);
  });
  test('options land on their alignment (GRE Key 4n, HNP 8n+4, Timestamp 8n+2)', () => {
    // vary the NAI length so every alignment case (0..7 octets of padding) occurs
    for (let n = 1; n <= 8; n++) {
      const spec = pbuSpec({}, [
        { type: 'mnid', id: 'x'.repeat(n) + '@a' },
        { type: 'hnp', prefix: '2001:db8::' },
        { type: 'hi', value: 1 },
        { type: 'ts', seconds: 1, fraction: 0 },
        { type: 'grekey', key: 1 },
        { type: 'ipv4hareq', address: '0.0.0.0' },
      ]);
      const { bytes: mhb, optionOffsets } = serializeMh(spec);
      assert.equal(mhb.length % 8, 0);
      spec.options!.forEach((o, i) => {
        const code = { hnp: OPT.HNP, ts: OPT.TS, grekey: OPT.GRE_KEY, ipv4hareq: OPT.IPV4HAREQ }[o.type as string];
        if (code === undefined) return;
        const [x, y] = OPT_ALIGN[code]!;
        assert.equal(optionOffsets[i]! % x, y, `${o.type} at ${optionOffsets[i]} with NAI length ${n + 2}`);
        assert.equal(mhb[optionOffsets[i]!], code);
      });
      const d = frame(eth(), ipv6(V6), mh(spec));
      assert.equal(d.get('gretool.mip6.csum.status'), GOOD);
      assert.equal(d.experts.filter((e) => e.severity === 'error' || e.severity === 'warning').length, 0, JSON.stringify(d.experts));
    }
  });
  test('one octet of padding is Pad1, more is PadN (RFC 6275 §6.2.2)', () => {
    const one = serializeMh(pbuSpec({}, [{ type: 'hi', value: 1 }, { type: 'att', value: 1 }, { type: 'raw', code: 200, data: new Uint8Array(1) }]));
    // 12 + 4 + 4 + 3 = 23 → one Pad1
    assert.equal(one.bytes.length, 24);
    assert.equal(one.bytes[23], OPT.PAD1);
    const many = serializeMh(pbuSpec({}, [{ type: 'hi', value: 1 }]));
    assert.deepEqual([...many.bytes.subarray(16)], [OPT.PADN, 2, 0, 0, 0, 0, 0, 0].slice(0, many.bytes.length - 16));
  });
  test('no options: 4 octets of padding, Header Len 1 (RFC 6275 §6.1.7)', () => {
    const d = frame(eth(), ipv6(V6), mh(pbuSpec({}, [])));
    assert.equal(d.get('mip6.hlen'), '1');
    assert.equal(d.get('gretool.mip6.length'), '16');
  });
  test('PBA: status, flags, sequence, GRE Key Length 2 without a key', () => {
    const d = frame(eth(), ipv6(V6), mh({ body: { kind: 'pba', status: 3, flags: 0x20, seq: 9, lifetime: 100 }, options: [{ type: 'grekey' }] }));
    assert.equal(d.get('mip6.mhtype'), '6');
    assert.equal(d.get('mip6.ba.status'), '3');
    assert.equal(d.get('mip6.ba.p_flag'), '1');
    assert.equal(d.get('mip6.ba.t_flag'), '0');
    assert.equal(d.get('mip6.ba.seqnr'), '9');
    assert.deepEqual(d.all('mip6.mobility_opt.len').slice(0, 1), ['2']);
    assert.equal(d.has('mip6.gre_key'), false);
    assert.equal(d.get('gretool.mip6.csum.status'), GOOD);
  });
  test('over IPv4/UDP the checksum is 0 (RFC 5844) and the UDP checksum covers it', () => {
    const d = frame(eth(), ipv4(V4), udp(), mh(pbuSpec()));
    assert.equal(d.get('mip6.csum'), '0x0000');
    assert.equal(d.get('udp.checksum.status'), GOOD);
    assert.equal(d.get('mip6.gre_key'), String(0x1001));
  });
  test('explicit values kept: checksum, header length, option Length, reserved, payload proto', () => {
    const d = frame(eth(), ipv6(V6), mh(pbuSpec({ checksum: 0x4242, reserved: 7, payloadProto: 6 })));
    assert.equal(d.get('mip6.csum'), '0x4242');
    assert.equal(d.get('gretool.mip6.csum.status'), BAD);
    assert.equal(d.get('mip6.reserved'), '0x07');
    assert.equal(d.get('mip6.proto'), '6');
    const spec = pbuSpec();
    (spec.options!.find((o) => o.type === 'grekey') as { length?: number }).length = 4;
    const l4 = frame(eth(), ipv6(V6), mh(spec));
    assert.ok(l4.all('mip6.mobility_opt.len').includes('4'));
    assert.equal(l4.has('mip6.gre_key'), false);
    assert.equal(l4.get('gretool.mip6.csum.status'), GOOD);
  });
  test('misalign puts the GRE Key option at 4n+2', () => {
    const spec = pbuSpec();
    const g = spec.options!.find((o) => o.type === 'grekey')!;
    g.misalign = 2;
    const { optionOffsets } = serializeMh(spec);
    assert.equal(optionOffsets[spec.options!.indexOf(g)]! % 4, 2);
    assert.equal(frame(eth(), ipv6(V6), mh(spec)).get('mip6.gre_key'), String(0x1001));
  });
  test('IPv4 Home Address Reply / Default Router / NAT Detection options', () => {
    const d = frame(
      eth(),
      ipv4(V4),
      udp(),
      mh({
        body: { kind: 'pba', status: 0, flags: 0x30, seq: 1, lifetime: 10 },
        options: [
          { type: 'ipv4harep', address: '10.1.0.10', prefixLength: 24 },
          { type: 'ipv4dra', address: '10.1.0.1' },
          { type: 'natd', f: true, refresh: 110 },
        ],
      }),
    );
    assert.equal(d.get('mip6.ipv4dra.dra'), '10.1.0.1');
    assert.equal(d.get('mip6.natd.f_flag'), '1');
    assert.equal(d.get('mip6.natd.refresh_t'), '110');
    assert.equal(d.get('mip6.ba.t_flag'), '1');
  });
});
