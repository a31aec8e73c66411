/**
 * `gretool dissect -V` against `tshark -n -V` on the samples and the varied fixtures: the line of
 * every protocol item (column 0: "Frame 3: 182 bytes on wire ...", "Ethernet II, Src: ...",
 * "Internet Protocol Version 4, Src: ..., Dst: ...", "User Datagram Protocol, Src Port: ...")
 * and of every mobility option ("MIPv6 Option - GRE Key: 4097") must be tshark's, frame by frame.
 *
 * Left out, each for a stated reason: frames tshark cannot decode (the RFC 5845 TLV header on UDP
 * 5436/5437, which tshark shows as data); gretool's own "[gretool ...]" subtrees; "Mobile IPv6",
 * which tshark nests inside the IPv6 item while gretool shows it as a protocol of its own; the
 * "Packet comments" item tshark puts before the frame (gretool shows the comment in the frame);
 * and the IPv4 Home Address Reply label of a non-zero status, where tshark 4.0 names the status
 * from the wrong value table ("Virtual" for 128, which RFC 5844 §3.2 calls "Failure, reason
 * unspecified"; the Status line under it is right in both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gretool, haveTool, rel, run } from '../helpers/cli.js';
import { TSHARK_PREFS } from '../helpers/parity.js';

const hasTshark = haveTool('tshark');

function captures(): string[] {
  const list = [rel('test', 'fixtures', 'output', 'varied.pcap'), rel('test', 'fixtures', 'output', 'varied.pcapng')];
  const samples = rel('samples');
  if (existsSync(samples)) for (const f of readdirSync(samples).sort()) if (f.endsWith('.pcap')) list.push(join(samples, f));
  return list;
}

/** The compared lines of each frame (a frame starts at its "Frame N:" line). */
function frames(text: string): string[][] {
  const out: string[][] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (/^Frame \d+: /.test(line)) {
      out.push([]);
      skipping = false;
    }
    const cur = out[out.length - 1];
    if (!cur) continue;
    if (/^\S/.test(line)) {
      // a protocol item; skip gretool's own subtrees and the comment item with its children
      skipping = line.startsWith('[gretool') || line === 'Packet comments';
      if (skipping || line === 'Mobile IPv6') continue;
      cur.push(line);
    } else if (!skipping && /^\s+MIPv6 Option - /.test(line)) cur.push(line.trim());
  }
  return out;
}

const HOA_REPLY = /^MIPv6 Option - IPv4 Home Address Reply: (.*) : (\S+)$/;

for (const path of captures()) {
  const name = path.slice(rel().length + 1);
  test(`-V protocol and option lines equal tshark -n -V: ${name}`, { skip: !hasTshark && 'tshark not installed' }, (t) => {
    const ours = gretool(['dissect', path, '-V'], { env: { TZ: 'UTC' } });
    assert.equal(ours.status, 0, ours.stderr);
    const theirs = run('tshark', ['-n', '-r', path, '-V', ...TSHARK_PREFS, '-o', 'tcp.relative_sequence_numbers:FALSE'], { env: { ...process.env, TZ: 'UTC' } });
    assert.equal(theirs.status, 0, theirs.stderr);
    const a = frames(ours.stdout);
    const b = frames(theirs.stdout);
    assert.equal(a.length, b.length, 'frame count');
    let compared = 0;
    let beyond = 0;
    const diffs: string[] = [];
    a.forEach((mine, i) => {
      if (mine.some((l) => l.startsWith('PMIPv6 TLV Header'))) {
        beyond++;
        return;
      }
      const other = b[i]!;
      const n = Math.max(mine.length, other.length);
      for (let k = 0; k < n; k++) {
        const x = mine[k] ?? '<none>';
        const y = other[k] ?? '<none>';
        compared++;
        if (x === y) continue;
        const mx = HOA_REPLY.exec(x);
        const my = HOA_REPLY.exec(y);
        if (mx && my && mx[2] === my[2] && mx[1] !== 'Success') continue;
        if (diffs.length < 10) diffs.push(`frame ${i + 1}: gretool ${JSON.stringify(x)} / tshark ${JSON.stringify(y)}`);
      }
    });
    t.diagnostic(`${compared} lines compared over ${a.length} frames; ${beyond} frame(s) with the TLV header left out`);
    assert.ok(compared > a.length * 2, 'every frame has protocol lines');
    if (diffs.length) assert.fail(diffs.join('\n'));
  });
}
