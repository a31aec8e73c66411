/**
 * The shape of `gretool dissect -T json` against `tshark -n -T json` on the samples and the
 * varied fixtures: for every frame, the set of key paths of every protocol (which fields, in
 * which subtrees: "ip.flags_tree", "eth.dst_tree", "mip6.options.grek_tree", ...) must be
 * tshark's. Values are compared field by field by the -T fields parity test.
 *
 * Left out, each for a stated reason:
 *  - frames with the RFC 5845 TLV header, which tshark cannot decode, and gretool's own
 *    "gretool*" fields and layers;
 *  - what needs state across frames, which gretool does not keep: tcp.stream, tcp.completeness,
 *    tcp.analysis, TCP/UDP "Timestamps", udp.stream, tcp.window_size(_scalefactor) (the window
 *    scale of the handshake), icmp(v6).resp_in/resp_to/resptime;
 *  - a "<field>_tree" that holds nothing but expert items (gretool's lint items and tshark's
 *    own, e.g. its SYN note, differ by design);
 *  - "Mobile IPv6", which tshark nests inside the IPv6 layer and gretool shows as a layer of its
 *    own (compared after moving tshark's up);
 *  - frame.section_number (pcapng) and the packet comment, which tshark shows as a layer before
 *    the frame ("pkt_comment") and gretool as frame.comment; and the second, unlabelled
 *    _ws.malformed item tshark adds inside a malformed frame's expert info.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gretool, haveTool, rel, run } from '../helpers/cli.js';
import { TSHARK_PREFS } from '../helpers/parity.js';

const hasTshark = haveTool('tshark');

const SKIP = /(^|\/)(gretool[^/]*|tcp\.stream|tcp\.completeness|tcp\.analysis|Timestamps|udp\.stream|tcp\.window_size|tcp\.window_size_scalefactor|icmpv?6?\.resp_(in|to)|icmpv?6?\.resptime|_ws\.expert|frame\.section_number|frame\.comment(_tree)?|_ws\.malformed\/_ws\.malformed)$/;

type Json = Record<string, unknown>;

/** Key paths under `d`; a "_tree" left empty by the exclusions is left out too. */
function paths(d: unknown, pre: string, out: Set<string>): number {
  let n = 0;
  if (Array.isArray(d)) {
    for (const v of d) n += paths(v, pre, out);
    return n;
  }
  if (d === null || typeof d !== 'object') return 0;
  for (const [k, v] of Object.entries(d as Json)) {
    const p = `${pre}/${k}`;
    if (SKIP.test(p)) continue;
    const inner = new Set<string>();
    const kids = paths(v, p, inner);
    if (k.endsWith('_tree') && kids === 0) continue;
    out.add(p);
    for (const x of inner) out.add(x);
    n += 1;
  }
  return n;
}

function layers(doc: unknown): Json[] {
  return (doc as { _source: { layers: Json } }[]).map((f) => f._source.layers);
}

function captures(): string[] {
  const list = [rel('test', 'fixtures', 'output', 'varied.pcap'), rel('test', 'fixtures', 'output', 'varied.pcapng')];
  const samples = rel('samples');
  if (existsSync(samples)) for (const f of readdirSync(samples).sort()) if (f.endsWith('.pcap')) list.push(join(samples, f));
  return list;
}

for (const path of captures()) {
  const name = path.slice(rel().length + 1);
  test(`-T json has tshark's shape: ${name}`, { skip: !hasTshark && 'tshark not installed' }, (t) => {
    const ours = gretool(['dissect', path, '-T', 'json'], { env: { TZ: 'UTC' } });
    assert.equal(ours.status, 0, ours.stderr);
    const theirs = run('tshark', ['-n', '-r', path, '-T', 'json', ...TSHARK_PREFS, '-o', 'tcp.relative_sequence_numbers:FALSE'], { env: { ...process.env, TZ: 'UTC' } });
    assert.equal(theirs.status, 0, theirs.stderr);
    const a = layers(JSON.parse(ours.stdout));
    const b = layers(JSON.parse(theirs.stdout));
    assert.equal(a.length, b.length, 'frames');
    const diffs: string[] = [];
    let compared = 0;
    let frames = 0;
    a.forEach((mine, i) => {
      if ('pmip6.tlv' in mine) return;
      frames++;
      const other = { ...b[i]! };
      const v6 = other['ipv6'] as Json | undefined;
      if (v6 && typeof v6 === 'object' && 'mipv6' in v6) {
        const { mipv6, ...rest } = v6;
        other['ipv6'] = rest;
        other['mipv6'] = mipv6;
      }
      for (const proto of new Set([...Object.keys(mine), ...Object.keys(other)])) {
        if (proto.startsWith('gretool') || proto === 'pkt_comment') continue;
        const x = new Set<string>();
        const y = new Set<string>();
        paths(mine[proto] ?? {}, `/${proto}`, x);
        paths(other[proto] ?? {}, `/${proto}`, y);
        compared += y.size;
        for (const p of y) if (!x.has(p) && diffs.length < 12) diffs.push(`frame ${i + 1}: tshark has ${p}`);
        for (const p of x) if (!y.has(p) && diffs.length < 12) diffs.push(`frame ${i + 1}: gretool has ${p}`);
      }
    });
    t.diagnostic(`${compared} tshark key paths compared over ${frames} of ${a.length} frames`);
    assert.ok(frames > 0 && compared > frames * 20, 'every compared frame has keys');
    if (diffs.length) assert.fail(diffs.join('\n'));
  });
}
