/**
 * tshark 4.0 parity for every gre.* field gretool registers, over a varied capture built by
 * hand from the RFC layouts (test/fixtures/gre/frames.ts: C/K/S combinations, checksums good
 * and bad, RFC 1701 routing SREs, recursion and reserved bits, versions 1 and 2, PPTP, unknown
 * protocols, keepalive, empty payloads, malformed and snaplen-cut headers, IPv4 and IPv6
 * outer headers, nested tunnels), plus GRE-in-UDP without the TLV header, which tshark only
 * decodes when told to (`-d udp.port==5437,gre`; it has no RFC 5845 TLV dissector, so
 * TLV-framed frames are checked against hand-computed values in tlv*.test.ts instead).
 *
 * Needs the Ethernet, IPv4, IPv6 and UDP dissectors (other folders) to be registered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import '../../src/dissectors/index.js';
import { allFields, fieldByName } from '../../src/engine/fields.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { haveTool, run, tempDir } from '../helpers/cli.js';
import { diffFields, gretoolFields, readPcapForTest, tsharkFields } from '../helpers/parity.js';
import { eth, gre, greCorpus, innerUdp4, innerUdp6, ipv4, udp, writePcap, type Frame } from '../fixtures/gre/frames.js';

/** Every Wireshark gre.* field gretool registers, and the protocol item (whose text is its label). */
const GRE_FIELDS = allFields()
  .filter((d) => (d.abbrev === 'gre' || d.abbrev.startsWith('gre.')) && d.wireshark)
  .map((d) => d.abbrev);
/** FT_NONE fields: tshark prints "1" per occurrence in -T fields. */
const NONE_FIELDS = allFields()
  .filter((d) => d.abbrev.startsWith('gre') && d.wireshark && d.type === 'none')
  .map((d) => d.abbrev);
const VALUE_FIELDS = GRE_FIELDS.filter((f) => !NONE_FIELDS.includes(f));

const dir = tempDir('gretool-gre-parity-');
const tshark = haveTool('tshark');

function compare(path: string, fields: string[], extra: string[] = []): string[] {
  return diffFields(fields, gretoolFields(path, fields), tsharkFields(path, fields, extra));
}

/**
 * Occurrence counts of FT_NONE fields: tshark 4.0 prints "1" per occurrence in -T fields
 * (an output/format.ts rule); here only the number of occurrences is compared.
 */
function compareCounts(path: string, fields: string[], extra: string[] = []): string[] {
  const { linkType, frames } = readPcapForTest(path);
  const pipe = new Pipeline();
  const ids = fields.map((f) => fieldByName(f)!.id);
  const ours = frames.map((fr, i) => {
    const p = pipe.dissectBytes(fr.data, 0, fr.data.length, fr.origlen, linkType, i + 1, fr.sec, fr.nsec);
    return ids.map((id) => {
      let n = 0;
      for (let k = 0; k < p.tree.count; k++) if (p.tree.fid[k] === id) n++;
      return String(n);
    });
  });
  const theirs = tsharkFields(path, fields, extra).map((r) => r.map((v) => String(v === '' ? 0 : v.split(',').length)));
  return diffFields(fields, ours, theirs);
}

/**
 * frame.protocols with the known, deliberate differences removed: a leading "frame:" (the frame
 * protocol's list, not GRE's; tshark starts at the link layer), and PPP, which gretool does not
 * dissect (tshark: "gre:ppp:ip:...", gretool: "gre:data").
 */
function normaliseProtocols(rows: string[][]): string[][] {
  return rows.map((r) => r.map((v) => v.replace(/^frame:/, '').replace(/:gre:ppp(:.*)?$/, ':gre:data')));
}

test('the corpus covers every gre.* field tshark has and gretool registers', () => {
  assert.ok(VALUE_FIELDS.length >= 20, VALUE_FIELDS.join(' '));
  for (const f of ['gre.key', 'gre.checksum.status', 'gre.routing.src_length', 'gre.key.call_id', 'gre.ack_number', 'gre.flags.ack']) assert.ok(GRE_FIELDS.includes(f), f);
});

/** Its zero-length SRE information is printed "<MISSING>" by tshark: see the separate test. */
const BYTES_FIELDS = ['gre.routing.information'];

test('gre.* over GRE in IPv4/IPv6 (corpus of ' + greCorpus().length + ' frames) matches tshark', { skip: !tshark && 'tshark not installed' }, () => {
  const path = join(dir, 'gre-corpus.pcap');
  writePcap(path, greCorpus());
  assert.deepEqual(compare(path, VALUE_FIELDS.filter((f) => !BYTES_FIELDS.includes(f))), []);
  assert.deepEqual(compareCounts(path, NONE_FIELDS), []);
});

test('gre.routing.information matches tshark, including a zero-length SRE ("<MISSING>")', { skip: !tshark && 'tshark not installed' }, () => {
  const path = join(dir, 'gre-corpus-bytes.pcap');
  writePcap(path, greCorpus());
  assert.deepEqual(compare(path, BYTES_FIELDS), []);
});

test('frame.protocols of the GRE corpus matches tshark (nesting to any depth)', { skip: !tshark && 'tshark not installed' }, () => {
  const path = join(dir, 'gre-corpus-protocols.pcap');
  writePcap(path, greCorpus());
  const f = ['frame.protocols'];
  assert.deepEqual(diffFields(f, normaliseProtocols(gretoolFields(path, f)), normaliseProtocols(tsharkFields(path, f))), []);
});

/** GRE without the TLV header inside UDP 5437 (P-UDP-GRE-WITHOUT-TLV frames). */
function udpGreFrames(): Frame[] {
  const u = (payload: Uint8Array, sport = 5437, dport = 5437) => eth(ipv4(17, udp(sport, dport, payload)));
  return [
    { desc: 'UDP 5437/GRE(no flags)/IPv4', data: u(gre({ proto: 0x0800 }, innerUdp4())) },
    { desc: 'UDP 5437/GRE(K)/IPv4', data: u(gre({ flags: 0x2000, proto: 0x0800, key: 0x1001 }, innerUdp4())) },
    { desc: 'UDP 5437/GRE(C,K,S)/IPv6', data: u(gre({ flags: 0xb000, proto: 0x86dd, key: 0x2002, seq: 5 }, innerUdp6())) },
    { desc: 'UDP 40000→5437/GRE(C bad,K)/IPv4', data: u(gre({ flags: 0xa000, proto: 0x0800, key: 3, checksum: 1 }, innerUdp4()), 40000, 5437) },
  ];
}

test('gre.* of GRE-in-UDP without TLV matches tshark -d udp.port==5437,gre', { skip: !tshark && 'tshark not installed' }, () => {
  const path = join(dir, 'gre-udp.pcap');
  writePcap(path, udpGreFrames());
  const decodeAs = ['-d', 'udp.port==5437,gre'];
  assert.deepEqual(compare(path, VALUE_FIELDS, decodeAs), []);
  const f = ['frame.protocols'];
  assert.deepEqual(diffFields(f, normaliseProtocols(gretoolFields(path, f)), normaliseProtocols(tsharkFields(path, f, decodeAs))), []);
});

test('every gre.* declaration matches tshark -G fields (name, type, base, mask)', { skip: !tshark && 'tshark not installed' }, () => {
  const r = run('tshark', ['-G', 'fields']);
  const glossary = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const c = line.split('\t');
    if (c[0] === 'F' && c[2]!.startsWith('gre.')) glossary.set(c[2]!, c);
  }
  const problems: string[] = [];
  for (const d of allFields()) {
    if (!d.abbrev.startsWith('gre.') || !d.wireshark) continue;
    const c = glossary.get(d.abbrev);
    if (!c) {
      problems.push(`${d.abbrev}: not in tshark`);
      continue;
    }
    const [, name, , ftype, , base, mask] = c;
    const type = ftype!.replace(/^FT_/, '').toLowerCase();
    if (type !== d.type) problems.push(`${d.abbrev}: type ${d.type} vs ${ftype}`);
    if (d.type === 'boolean') {
      if (String(d.bits) !== base) problems.push(`${d.abbrev}: bits ${d.bits} vs ${base}`);
    } else if (base && base.startsWith('BASE_') && base.slice(5).toLowerCase() !== d.base) problems.push(`${d.abbrev}: base ${d.base} vs ${base}`);
    if (Number(mask) !== d.mask) problems.push(`${d.abbrev}: mask ${d.mask} vs ${mask}`);
    if (name !== d.name) problems.push(`${d.abbrev}: name ${JSON.stringify(d.name)} vs ${JSON.stringify(name)}`);
  }
  assert.deepEqual(problems, []);
});
