/**
 * tshark 4.0 as the oracle for every built-in scenario:
 *  - it reads the capture without a malformed packet or an expert item of warning/error
 *    severity, with IPv4/UDP/TCP checksum validation on (GRE checksums are always checked);
 *  - the keys it decodes are the scenario's: `mip6.gre_key` in PBUs = the dl_key the scenario
 *    gives, in PBAs = the ul_key; and `gre.key` in every data packet is the key negotiated for
 *    that mobile node in that direction at that moment (uplink MAG→LMA: the key of the last
 *    successful PBA; downlink LMA→MAG: the key of the PBU it answered). The data packets are tied
 *    to mobile nodes by their inner addresses (for the overlapping-IPv4 scenario, the key must
 *    belong to one of the mobile nodes that own the address). tshark cannot decode the RFC 5845
 *    TLV header (UDP 5437 shows as Data), so those frames are decoded from `data.data` here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateCapture, listScenarios, loadScenario } from '../../src/generate/index.js';
import type { Scenario } from '../../src/generate/model.js';
import { ipv6Bytes } from '../../src/generate/layer.js';
import { haveTool, run, tempDir } from '../helpers/cli.js';
import { TSHARK_PREFS } from '../helpers/parity.js';

const FIELDS = [
  'frame.number',
  'frame.protocols',
  '_ws.expert.severity',
  '_ws.expert.message',
  '_ws.malformed',
  'mip6.mhtype',
  'mip6.mnid.identifier',
  'mip6.bu.seqnr',
  'mip6.ba.seqnr',
  'mip6.ba.status',
  'mip6.bu.lifetime',
  'mip6.gre_key',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'gre.key',
  'gre.flags.key',
  'udp.dstport',
  'data.data',
] as const;
type Row = Record<(typeof FIELDS)[number], string[]>;
const WARNING = 0x600000;

function tsharkRows(file: string): Row[] {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-E', 'separator=\t', ...TSHARK_PREFS];
  for (const f of FIELDS) args.push('-e', f);
  const r = run('tshark', args);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const cols = line.split('\t');
      const row = {} as Row;
      FIELDS.forEach((f, i) => (row[f] = cols[i] ? cols[i]!.split('|') : []));
      return row;
    });
}

/** A GRE key and inner addresses decoded from a TLV/GRE payload that tshark shows as Data. */
function decodeTlv(hex: string): { key?: number; src: string; dst: string } {
  const b = Buffer.from(hex, 'hex');
  assert.equal(b[0]! >> 4, 0, 'TLV Type 0');
  assert.equal(b[1], 47, 'TLV Next Header GRE');
  assert.equal(b.readUInt16BE(2), b.length - 4, 'TLV Length');
  let o = 4;
  const flags = b.readUInt16BE(o);
  o += 4;
  if (flags & 0x8000) o += 4;
  let key: number | undefined;
  if (flags & 0x2000) {
    key = b.readUInt32BE(o);
    o += 4;
  }
  if (flags & 0x1000) o += 4;
  const v = b[o]! >> 4;
  if (v === 4) return { key, src: [...b.subarray(o + 12, o + 16)].join('.'), dst: [...b.subarray(o + 16, o + 20)].join('.') };
  const a6 = (x: Buffer) => [...Array(8).keys()].map((i) => x.readUInt16BE(2 * i).toString(16)).join(':');
  return { key, src: a6(b.subarray(o + 8, o + 24)), dst: a6(b.subarray(o + 24, o + 40)) };
}

const norm6 = (a: string) => [...ipv6Bytes(a)].join('.');

function ownerOf(sc: Scenario, addr: string): string[] {
  const out: string[] = [];
  for (const mn of sc.mobileNodes.values()) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) {
      if (mn.ipv4 === addr) out.push(mn.id);
    } else {
      const a = addr.includes(':') ? ipv6Bytes(addr) : Uint8Array.from(addr.split('.').map(Number));
      const p = ipv6Bytes(mn.hnp);
      if (a.subarray(0, 8).every((x, i) => x === p[i])) out.push(mn.id);
    }
  }
  return out;
}

for (const info of listScenarios()) {
  test(`tshark reads ${info.name} cleanly and decodes the scenario's keys`, (t) => {
    if (!haveTool('tshark')) return t.skip('tshark not installed');
    const sc = loadScenario(info.name);
    const file = join(tempDir(), `${info.name}.pcap`);
    return generateCapture(sc, file).then(() => check(sc, file));
  });
}

function check(sc: Scenario, file: string): void {
  const rows = tsharkRows(file);
  const mags = new Set<string>();
  for (const n of sc.nodes.values()) if (n.role === 'mag') for (const a of [n.ipv6 && norm6(n.ipv6), n.ipv4]) if (a) mags.add(a);
  // negotiated state per MN id, from what tshark decoded
  const pbuKey = new Map<string, number | undefined>(); // `${mn}/${seq}` → key
  const state = new Map<string, { ul?: number; dl?: number }>();
  const pbuKeysOf = new Map<string, Set<number>>();
  const pbaKeysOf = new Map<string, Set<number>>();
  let data = 0;
  for (const r of rows) {
    const n = r['frame.number'][0];
    assert.equal(r['_ws.malformed'].length, 0, `frame ${n} is malformed`);
    r['_ws.expert.severity'].forEach((s, i) => assert.ok(Number(s) < WARNING, `frame ${n}: expert "${r['_ws.expert.message'][i]}" (severity ${s})`));
    const mh = r['mip6.mhtype'][0];
    if (mh) {
      const mn = r['mip6.mnid.identifier'][0]!;
      const key = r['mip6.gre_key'][0] === undefined ? undefined : Number(r['mip6.gre_key'][0]);
      if (mh === '5') {
        pbuKey.set(`${mn}/${r['mip6.bu.seqnr'][0]}`, key);
        if (key !== undefined) (pbuKeysOf.get(mn) ?? pbuKeysOf.set(mn, new Set()).get(mn)!).add(key);
      } else {
        const seq = r['mip6.ba.seqnr'][0];
        assert.ok(pbuKey.has(`${mn}/${seq}`), `frame ${n}: PBA without a PBU`);
        if (key !== undefined) (pbaKeysOf.get(mn) ?? pbaKeysOf.set(mn, new Set()).get(mn)!).add(key);
        const status = Number(r['mip6.ba.status'][0]);
        // a successful PBA with the uplink key: both keys in force (RFC 5845 §4.2, §5.2);
        // without one (Length 2, status 2, an LMA without RFC 5845) no keys are used
        if (status < 128) state.set(mn, key === undefined ? {} : { ul: key, dl: pbuKey.get(`${mn}/${seq}`) });
      }
      continue;
    }
    // data: the outer source tells the direction; frame.protocols gives the header order
    const ipsInOrder = r['frame.protocols'][0]!.split(':').filter((x) => x === 'ip' || x === 'ipv6');
    const addr = (which: 'first' | 'last', dir: 'src' | 'dst'): string => {
      const kind = which === 'first' ? ipsInOrder[0]! : ipsInOrder[ipsInOrder.length - 1]!;
      const list = r[`${kind}.${dir}` as 'ip.src' | 'ip.dst' | 'ipv6.src' | 'ipv6.dst'];
      const v = which === 'first' ? list[0]! : list[list.length - 1]!;
      return kind === 'ipv6' ? norm6(v) : v;
    };
    const uplink = mags.has(addr('first', 'src'));
    let key: number | undefined;
    let innerSrc: string;
    let innerDst: string;
    if (r['udp.dstport'][0] === '5437' && r['data.data'][0]) {
      const d = decodeTlv(r['data.data'][0]);
      key = d.key;
      innerSrc = d.src;
      innerDst = d.dst;
    } else {
      assert.ok(ipsInOrder.length >= 2, `frame ${n}: no inner IP header (${r['frame.protocols'][0]})`);
      key = r['gre.key'][0] === undefined ? undefined : Number(r['gre.key'][0]);
      innerSrc = addr('last', 'src');
      innerDst = addr('last', 'dst');
    }
    const owners = ownerOf(sc, uplink ? innerSrc : innerDst);
    assert.ok(owners.length > 0, `frame ${n}: no mobile node owns ${uplink ? innerSrc : innerDst}`);
    const expected = owners.map((mn) => (uplink ? state.get(mn)?.ul : state.get(mn)?.dl));
    assert.ok(expected.includes(key), `frame ${n} (${uplink ? 'uplink' : 'downlink'}): GRE key ${key} is not the negotiated key of ${owners.join(' / ')} (${expected.join(', ')})`);
    data++;
  }
  assert.ok(data > 0, 'no data frames');
  // the keys in the scenario file are the keys on the wire
  for (const ev of sc.timeline) {
    const id = sc.mobileNodes.get(ev.mn)!.id;
    if ((ev.kind === 'attach' || ev.kind === 'handoff') && ev.dlKey !== undefined && (ev.gre ?? 'keys') === 'keys') {
      assert.ok(pbuKeysOf.get(id)?.has(ev.dlKey), `${id}: dl_key ${ev.dlKey} not in any PBU`);
    }
    if (ev.kind !== 'traffic' && ev.response?.ulKey !== undefined && pbaKeysOf.has(id)) {
      assert.ok(pbaKeysOf.get(id)!.has(ev.response.ulKey), `${id}: ul_key ${ev.response.ulKey} not in any PBA`);
    }
  }
}

test('the oracle notices a wrong key (wrong-ul-key) and a malformed packet (mh-hdrlen-overrun)', async (t) => {
  if (!haveTool('tshark')) return t.skip('tshark not installed');
  const sc = loadScenario('initial-attach');
  const dir = tempDir();
  await generateCapture(sc, join(dir, 'k.pcap'), { faults: ['wrong-ul-key'] });
  assert.throws(() => check(sc, join(dir, 'k.pcap')), /uplink\): GRE key \d+ is not the negotiated key/);
  await generateCapture(sc, join(dir, 'm.pcap'), { faults: ['mh-hdrlen-overrun'] });
  assert.throws(() => check(sc, join(dir, 'm.pcap')), /frame 1 is malformed/);
});
