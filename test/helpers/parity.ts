/**
 * tshark parity harness: dissect a pcap with gretool's library and with tshark 4.0, and
 * compare `-T fields` text field by field. Used by every protocol's parity test.
 */
import { readFileSync } from 'node:fs';
import '../../src/dissectors/index.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { fieldByName } from '../../src/engine/fields.js';
import { fieldText } from '../../src/output/format.js';
import { run } from './cli.js';

/** tshark preferences that make it verify what gretool verifies. */
export const TSHARK_PREFS = [
  '-o', 'ip.check_checksum:TRUE',
  '-o', 'udp.check_checksum:TRUE',
  '-o', 'tcp.check_checksum:TRUE',
];

/** Minimal classic-pcap reader for tests (microsecond or nanosecond, either byte order). */
export function readPcapForTest(path: string): { linkType: number; frames: { data: Uint8Array; origlen: number; sec: number; nsec: number }[] } {
  const b = readFileSync(path);
  const magicLE = b.readUInt32LE(0);
  let le: boolean;
  let nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    nano = magicLE === 0xa1b23c4d;
  } else {
    le = false;
    nano = b.readUInt32BE(0) === 0xa1b23c4d;
  }
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const frames = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const caplen = u32(o + 8);
    const origlen = u32(o + 12);
    frames.push({ data: new Uint8Array(b.buffer, b.byteOffset + o + 16, caplen), origlen, sec, nsec: nano ? frac : frac * 1000 });
    o += 16 + caplen;
  }
  return { linkType, frames };
}

/** gretool's `-T fields -E occurrence=a -E aggregator=,` rows for the given fields. */
export function gretoolFields(path: string, fields: string[]): string[][] {
  const { linkType, frames } = readPcapForTest(path);
  const ids = fields.map((f) => {
    const d = fieldByName(f);
    if (!d) throw new Error(`gretool has no field ${f}`);
    return d.id;
  });
  const pipe = new Pipeline();
  const rows: string[][] = [];
  frames.forEach((fr, i) => {
    const p = pipe.dissectBytes(fr.data, 0, fr.data.length, fr.origlen, linkType, i + 1, fr.sec, fr.nsec);
    const row: string[] = [];
    for (const id of ids) {
      const vals: string[] = [];
      for (let n = 0; n < p.tree.count; n++) if (p.tree.fid[n] === id) vals.push(fieldText(p, n));
      row.push(vals.join(','));
    }
    rows.push(row);
  });
  return rows;
}

/** tshark's rows for the same fields. Unknown fields make tshark fail: that throws. */
export function tsharkFields(path: string, fields: string[], extra: string[] = []): string[][] {
  const args = ['-r', path, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=\t', ...TSHARK_PREFS, ...extra];
  for (const f of fields) args.push('-e', f);
  const r = run('tshark', args);
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
}

/** Differences as readable lines (empty when equal). */
export function diffFields(fields: string[], ours: string[][], theirs: string[][]): string[] {
  const out: string[] = [];
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fields.length; j++) {
      const a = ours[i]?.[j] ?? '<missing frame>';
      const b = theirs[i]?.[j] ?? '<missing frame>';
      if (a !== b) out.push(`frame ${i + 1} ${fields[j]}: gretool=${JSON.stringify(a)} tshark=${JSON.stringify(b)}`);
    }
  }
  return out;
}
