/**
 * What a PBU/PBA carries is readable by field id (for the session correlator), the Info column
 * summarises the negotiation, and the tree mirrors Wireshark's shape and name quirks.
 */
import { TextBuf } from '../../src/engine/textbuf.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { fieldByName, fieldDef } from '../../src/engine/fields.js';
import { HIDDEN, TEXT_FIELD, type Packet } from '../../src/engine/packet.js';
import { findAll, findFirst, nodeNumber, nodeString } from '../../src/engine/values.js';
import { table } from '../../src/engine/dispatch.js';
import { fieldText } from '../../src/output/format.js';
import { MIP6_FIELDS as F, mip6OverUdp, OPT, MH_TYPE, BU_FLAG, BA_FLAG, GRE_KEY_LEN_WITH_KEY } from '../../src/dissectors/mip6/index.js';
import {
  BA, BU, attOpt, baData, buData, greKey, hiOpt, hnp, ipv4, ipv4Dra, ipv4HoaRep, ipv4HoaReq, ipv6, mh, mnId, padN, timestamp, udp4, LMA, MAG,
} from '../fixtures/mip6/build.js';
import { installStubLayersIfMissing } from '../fixtures/mip6/stub.js';

installStubLayersIfMissing();
const pipe = new Pipeline();
const run = (f: Uint8Array): Packet => pipe.dissectBytes(f, 0, f.length, f.length, 101, 1, 0, 0);
const num = (p: Packet, fid: number) => nodeNumber(p, findFirst(p, fid));
const text = (p: Packet, fid: number) => findAll(p, fid).map((n) => fieldText(p, n));

const NAI = 'mn1@example.com';
const pbu = ipv6(mh(5, buData(7, BU.A | BU.P | BU.T, 100), [
  ...greKey(0xa001), ...mnId(NAI), ...padN(3), ...hnp('2001:db8:100::', 64), ...hiOpt(1), ...attOpt(4), ...padN(4), ...timestamp(1700000000, 0x8000),
]));

test('PBU: seq, lifetime, flags, MN-ID, HNP, HI, ATT, timestamp and GRE key by field id', () => {
  const p = run(pbu);
  assert.equal(num(p, F.mhtype), MH_TYPE.BU);
  assert.equal(num(p, F.bu_seqnr), 7);
  assert.equal(num(p, F.bu_lifetime), 100);
  assert.equal(num(p, F.bu_lifetime_s), 400);
  assert.equal(num(p, F.bu_p), 1);
  assert.equal(num(p, F.bu_t), 1);
  assert.equal(num(p, F.bu_f), 0);
  assert.equal(nodeString(p, findFirst(p, F.mnid_id)), NAI);
  assert.equal(num(p, F.mnid_subtype), 1);
  assert.deepEqual(text(p, F.hnp_prefix), ['2001:db8:100::']);
  assert.equal(num(p, F.hnp_prefix_len), 64);
  assert.equal(num(p, F.hi), 1);
  assert.equal(num(p, F.att), 4);
  assert.equal(num(p, F.gre_key), 0xa001);
  assert.deepEqual(text(p, F.gre_key), ['40961']);
  assert.deepEqual(text(p, F.gre_key_hex), ['0x0000a001']);
  assert.deepEqual(text(p, F.timestamp), ['Nov 14, 2023 22:13:20.500000000 UTC']);
  assert.equal(p.cols.proto, 'MIPv6');
  assert.equal(p.cols.info.toString(), 'Proxy Binding Update seq=7 lifetime=100 (400s) flags=A,P,T GRE-key=40961 (0x0000a001) MN-ID=mn1@example.com');
});

test('PBA over IPv4/UDP: status, flags, IPv4 HoA reply, default router and uplink key', () => {
  const pba = ipv4(17, udp4(mh(6, baData(0, BA.P | BA.T, 7, 100), [...greKey(0xb002), ...ipv4HoaRep(0, 24, '10.1.0.7'), ...ipv4Dra('10.1.0.1')], { udp: true })));
  const p = run(pba);
  assert.equal(num(p, F.ba_status), 0);
  assert.equal(num(p, F.ba_t), 1);
  assert.equal(num(p, F.ba_seqnr), 7);
  assert.equal(num(p, F.gre_key), 0xb002);
  assert.deepEqual(text(p, F.ipv4ha_ha), ['10.1.0.7']);
  assert.deepEqual(text(p, F.ipv4dra_dra), ['10.1.0.1']);
  assert.equal(p.cols.info.toString(), 'Proxy Binding Acknowledgement status=0 (accepted) seq=7 lifetime=100 (400s) flags=P,T GRE-key=45058 (0x0000b002)');
});

test('Info: de-registration, rejection, Length-2 key, plain BU, NEMO protocol column', () => {
  const toMag = { src: LMA, dst: MAG };
  assert.equal(run(ipv6(mh(5, buData(9, BU.A | BU.P, 0), []))).cols.info.toString(), 'Proxy Binding Update seq=9 lifetime=0 (dereg) flags=A,P');
  assert.equal(
    run(ipv6(mh(6, baData(163, BA.P, 9, 0), [], toMag), toMag)).cols.info.toString(),
    'Proxy Binding Acknowledgement status=163 (GRE_KEY_OPTION_REQUIRED) seq=9 lifetime=0 (0s) flags=P',
  );
  assert.match(run(ipv6(mh(5, buData(1, BU.A | BU.P, 5), greKey()))).cols.info.toString(), / GRE\(no key\)$/);
  assert.equal(run(ipv6(mh(5, buData(1, BU.H, 5), []))).cols.info.toString(), 'Binding Update seq=1 lifetime=5 (20s) flags=H');
  const nemo = run(ipv6(mh(5, buData(1, BU.A | BU.R, 5), [])));
  assert.equal(nemo.cols.proto, 'NEMO');
  assert.equal(run(ipv6(mh(0, [0, 0], []))).cols.info.toString(), 'Binding Refresh Request');
  assert.equal(run(ipv6(mh(16, [1, 0, 0, 1, 0, 0], []))).cols.info.toString(), 'Binding Revocation Indication');
});

test('tree: option headers as Wireshark labels them, Wireshark quirk names mirrored hidden', () => {
  const p = run(pbu);
  const labels: string[] = [];
  for (let n = 0; n < p.tree.count; n++) if (p.tree.fid[n] === TEXT_FIELD) labels.push(p.tree.strs[n]!);
  for (const l of ['Binding Update', 'Mobility Options']) assert.ok(labels.includes(l), l);
  // each option is its own item heading its subtree, with Wireshark's line
  const line = (fid: number) => {
    const n = findFirst(p, fid);
    assert.ok(n >= 0 && (p.tree.flags[n]! & HIDDEN) === 0, fieldDef(fid).abbrev);
    const out = new TextBuf(64);
    fieldDef(fid).label!(p, n, out);
    return out.toString();
  };
  assert.equal(line(F.o_grek), 'MIPv6 Option - GRE Key: 40961');
  assert.match(line(F.o_mnid), /^MIPv6 Option - Mobile Node Identifier: \S+/);
  assert.equal(line(F.o_hnp), 'MIPv6 Option - Home Network Prefix: 2001:db8:100::/64');
  assert.equal(line(F.o_padn), 'MIPv6 Option - PadN');
  const grek = findFirst(p, F.o_grek);
  assert.equal(p.tree.parent[findFirst(p, F.gre_key)], grek, 'the key sits in the option subtree');
  // GRE Key Reserved: gretool's name shown, Wireshark's reused mip6.ipv4dra.reserved hidden
  const own = findFirst(p, F.grek_reserved);
  const alias = findFirst(p, F.ipv4dra_reserved);
  assert.ok(own >= 0 && alias >= 0);
  assert.equal(p.tree.flags[own]! & HIDDEN, 0);
  assert.equal(p.tree.flags[alias]! & HIDDEN, HIDDEN);
  assert.equal(p.tree.off[own], p.tree.off[alias]);
  // HNP: gretool names shown, Wireshark's mip6.nemo.mnp.* hidden
  assert.equal(p.tree.flags[findFirst(p, F.mnp_mnp)]! & HIDDEN, HIDDEN);
  assert.deepEqual(text(p, F.mnp_mnp), ['2001:db8:100::']);
  // the option's protocol-bytes field covers the whole option (tshark prints its bytes)
  assert.deepEqual(text(p, F.o_grek), ['210600000000a001']);
  // every field belongs to the mipv6 protocol
  assert.equal(fieldDef(F.gre_key).proto, F.mipv6);
  assert.equal(fieldDef(F.csum_status).proto, F.mipv6);
  assert.equal(fieldByName('mip6.gre_key')!.type, 'uint32');
});

test('registration: ip.proto 135 and 62, mip6.udp, option and message tables', () => {
  assert.ok(table('ip.proto', 256).get(135));
  assert.equal(table('ip.proto', 256).get(62), table('ip.proto', 256).get(135));
  assert.equal(table('mip6.udp', 1).get(0), mip6OverUdp);
  assert.ok(table('mip6.option', 256).get(OPT.GRE_KEY));
  assert.ok(table('mip6.mhtype', 256).get(MH_TYPE.BA));
  assert.equal(BU_FLAG.T, 0x0080);
  assert.equal(BA_FLAG.T, 0x10);
  assert.equal(GRE_KEY_LEN_WITH_KEY, 6);
});

test('mip6OverUdp.accepts: an MH heuristic for the UDP demultiplexer', () => {
  const m = mh(5, buData(1, BU.A | BU.P, 5), greKey(1), { udp: true });
  const frame = ipv4(17, udp4(m));
  const p = run(frame);
  assert.equal(mip6OverUdp.accepts!(p, 28, frame.length), true);
  const notMh = ipv4(17, udp4(Uint8Array.from([0x00, 0x2f, 0x00, 0x04, 0x00, 0x00, 0x08, 0x00])));
  const q = run(notMh);
  assert.equal(mip6OverUdp.accepts!(q, 28, notMh.length), false);
});

test('IPv4 HoA Request (PBU) is read by field id', () => {
  const p = run(ipv6(mh(5, buData(1, BU.A | BU.P, 5), [...mnId('a@b'), ...padN(2), ...ipv4HoaReq(24, '0.0.0.0')])));
  assert.deepEqual(text(p, F.ipv4ha_ha), ['0.0.0.0']);
  assert.equal(num(p, F.ipv4ha_preflen), 24);
});
