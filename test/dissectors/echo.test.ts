/**
 * Echo (RFC 862) on UDP and TCP port 7: request/response from the destination port, the hidden
 * echo.request / echo.response booleans, echo.data over the captured bytes, the ECHO / Request /
 * Response columns, empty and truncated payloads, a quoted datagram in an ICMP error, and the
 * port slots of the transport that dispatched (TCP inside a UDP tunnel reads TCP's ports).
 * Frames are laid out with test/fixtures/ip/build.ts; the expected values are tshark 4.0.17's
 * for the same frames (`tshark -T fields -e frame.protocols -e echo.request -e echo.response
 * -e echo.data -e _ws.col.Protocol -e _ws.col.Info`), and the last test re-checks them against
 * tshark when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fieldByName, fieldDef, wantForFields } from '../../src/engine/fields.js';
import { HIDDEN, type Packet } from '../../src/engine/packet.js';
import { Pipeline } from '../../src/engine/pipeline.js';
import { eth, icmp, ipv4, pseudo4, tcp, text, writePcap, type Frame } from '../fixtures/ip/build.js';
import { udp4, udp6 } from '../fixtures/ip/frames.js';
import { cols, dissect, experts, protocols, value } from '../fixtures/ip/dissect.js';
import { diffFields, gretoolFields, readPcapForTest, TSHARK_PREFS, tsharkFields } from '../helpers/parity.js';
import { haveTool, run, tempDir } from '../helpers/cli.js';

const A = '192.0.2.1';
const B = '198.51.100.2';
const E4 = (p: Uint8Array) => eth(0x0800, p);
const E6 = (p: Uint8Array) => eth(0x86dd, p);
const ARROW = ' \u2192 ';

/** IPv4/TCP with PSH+ACK (or `flags`), correct checksum; a distinct source port per frame keeps tshark's stream analysis quiet. */
function tcp4(sport: number, dport: number, payload: Uint8Array, flags = 0x018): Uint8Array {
  const len = 20 + payload.length;
  return ipv4({ src: A, dst: B, proto: 6 }, tcp({ sport, dport, seq: 1000, ack: 2000, flags, pseudo: pseudo4(A, B, 6, len) }, payload));
}

const CUT = 'a longer payload that is cut by the snap length';

/** The frames, in the order of the oracle capture; `caplen` cuts a frame as a snap length would. */
const FRAMES = {
  udpRequest: { data: E4(udp4(40000, 7, text('hello echo'))) },
  udpResponse: { data: E4(udp4(7, 40000, text('hello echo'))) },
  udpBoth7: { data: E4(udp4(7, 7, text('both'))) },
  udp6LowPort: { data: E6(udp6(5, 7, text('v6'))) },
  udpEmpty: { data: E4(udp4(40000, 7, new Uint8Array(0))) },
  udpCut: { data: E4(udp4(40000, 7, text(CUT))), caplen: 14 + 20 + 8 + 8 },
  udpNothingCaptured: { data: E4(udp4(40000, 7, text('xy'))), caplen: 14 + 20 + 8 },
  tcpRequest: { data: E4(tcp4(40001, 7, text('tcp echo data'))) },
  tcpResponse: { data: E4(tcp4(7, 40002, text('tcp echo data'))) },
  tcpBoth7: { data: E4(tcp4(7, 7, text('tcp both'))) },
  tcpEmpty: { data: E4(tcp4(40003, 7, new Uint8Array(0), 0x010)) },
  tcpCut: { data: E4(tcp4(40004, 7, text(CUT))), caplen: 14 + 20 + 20 + 6 },
  tcpNothingCaptured: { data: E4(tcp4(40005, 7, text('xy'))), caplen: 14 + 20 + 20 },
  icmpQuote: { data: E4(ipv4({ proto: 1, src: B, dst: A }, icmp(3, 3, [0, 0, 0, 0], udp4(40006, 7, text('quoted echo'))))) },
} satisfies Record<string, Frame>;

function run1(f: Frame): Packet {
  return dissect(f.data, 1, f.caplen ?? f.data.length);
}

/** The first node of a field (-1: none). */
function nodeOf(p: Packet, abbrev: string): number {
  const id = fieldByName(abbrev)!.id;
  for (let i = 0; i < p.tree.count; i++) if (p.tree.fid[i] === id) return i;
  return -1;
}

test('UDP: request to port 7, response from it, both ports 7 is a request', () => {
  const req = run1(FRAMES.udpRequest);
  assert.equal(protocols(req), 'eth:ethertype:ip:udp:echo');
  assert.equal(value(req, 'echo.request'), '1');
  assert.equal(value(req, 'echo.response'), '');
  assert.equal(value(req, 'echo.data'), '68656c6c6f206563686f');
  assert.equal(value(req, 'udp.payload'), '68656c6c6f206563686f');
  assert.equal(value(req, 'data.data'), '');
  assert.deepEqual([cols(req).proto, cols(req).info], ['ECHO', 'Request']);
  const resp = run1(FRAMES.udpResponse);
  assert.equal(value(resp, 'echo.request'), '');
  assert.equal(value(resp, 'echo.response'), '1');
  assert.equal(value(resp, 'echo.data'), '68656c6c6f206563686f');
  assert.deepEqual([cols(resp).proto, cols(resp).info], ['ECHO', 'Response']);
  const both = run1(FRAMES.udpBoth7);
  assert.equal(value(both, 'echo.request'), '1');
  assert.equal(cols(both).info, 'Request');
  const six = run1(FRAMES.udp6LowPort); // port 5 has no dissector: the higher port 7 is tried next
  assert.equal(protocols(six), 'eth:ethertype:ipv6:udp:echo');
  assert.equal(value(six, 'echo.data'), '7636');
  assert.equal(cols(six).info, 'Request');
});

test('the booleans are hidden zero-length items at the payload, before echo.data (tshark -T json order)', () => {
  const p = run1(FRAMES.udpRequest);
  const t = p.tree;
  const names: string[] = [];
  let root = -1;
  for (let i = 0; i < t.count; i++) {
    if (t.fid[i]! < 0) continue;
    const abbrev = fieldDef(t.fid[i]!).abbrev;
    if (abbrev === 'echo') root = i;
    if (abbrev.startsWith('echo.')) {
      names.push(abbrev);
      assert.equal(t.parent[i], root);
      assert.equal(t.off[i], 14 + 20 + 8);
    }
  }
  assert.deepEqual(names, ['echo.request', 'echo.data']);
  const req = nodeOf(p, 'echo.request');
  assert.equal(t.len[req], 0);
  assert.ok((t.flags[req]! & HIDDEN) !== 0);
  assert.equal(t.len[nodeOf(p, 'echo.data')], 10);
  assert.equal(t.len[root], 10);
});

test('UDP: an empty payload shows no Echo; a cut payload shows the captured bytes, unmarked', () => {
  const empty = run1(FRAMES.udpEmpty);
  assert.equal(protocols(empty), 'eth:ethertype:ip:udp');
  assert.deepEqual([cols(empty).proto, cols(empty).info], ['UDP', '40000' + ARROW + '7 Len=0']);
  const cut = run1(FRAMES.udpCut);
  assert.equal(protocols(cut), 'eth:ethertype:ip:udp:echo');
  assert.equal(value(cut, 'echo.data'), '61206c6f6e676572');
  assert.deepEqual([cols(cut).proto, cols(cut).info], ['ECHO', 'Request']);
  assert.deepEqual(experts(cut), []);
  // nothing of the payload captured: UDP stops ("UDP truncated"), as tshark does for any port
  const none = run1(FRAMES.udpNothingCaptured);
  assert.equal(protocols(none), 'eth:ethertype:ip:udp');
  assert.equal(value(none, 'udp.payload'), '');
  assert.deepEqual(experts(none), ['_ws.short.expert']);
  assert.deepEqual([cols(none).proto, cols(none).info], ['UDP', '40000' + ARROW + '7 Len=2[Packet size limited during capture]']);
});

test('TCP: segments with data on port 7 are Echo, by destination port; empty and uncaptured payloads are not', () => {
  const req = run1(FRAMES.tcpRequest);
  assert.equal(protocols(req), 'eth:ethertype:ip:tcp:echo');
  assert.equal(value(req, 'echo.request'), '1');
  assert.equal(value(req, 'echo.data'), '746370206563686f2064617461');
  assert.deepEqual([cols(req).proto, cols(req).info], ['ECHO', 'Request']);
  const resp = run1(FRAMES.tcpResponse);
  assert.equal(value(resp, 'echo.response'), '1');
  assert.equal(value(resp, 'echo.request'), '');
  assert.deepEqual([cols(resp).proto, cols(resp).info], ['ECHO', 'Response']);
  assert.equal(value(run1(FRAMES.tcpBoth7), 'echo.request'), '1');
  const empty = run1(FRAMES.tcpEmpty);
  assert.equal(protocols(empty), 'eth:ethertype:ip:tcp');
  assert.deepEqual([cols(empty).proto, cols(empty).info], ['TCP', '40003' + ARROW + '7 [ACK] Seq=1000 Ack=2000 Win=64240 Len=0']);
  const cut = run1(FRAMES.tcpCut);
  assert.equal(protocols(cut), 'eth:ethertype:ip:tcp:echo');
  assert.equal(value(cut, 'echo.data'), '61206c6f6e67');
  assert.equal(cols(cut).info, 'Request');
  assert.deepEqual(experts(cut), []);
  // tshark hands on no payload of which nothing was captured, and marks nothing
  const none = run1(FRAMES.tcpNothingCaptured);
  assert.equal(protocols(none), 'eth:ethertype:ip:tcp');
  assert.equal(value(none, 'tcp.payload'), '');
  assert.deepEqual(experts(none), []);
  assert.deepEqual([cols(none).proto, cols(none).info], ['TCP', '40005' + ARROW + '7 [PSH, ACK] Seq=1000 Ack=2000 Win=64240 Len=2']);
});

test('a datagram quoted in an ICMP error: Echo in the tree, the columns stay ICMP\'s', () => {
  const p = run1(FRAMES.icmpQuote);
  assert.equal(protocols(p), 'eth:ethertype:ip:icmp:ip:udp:echo');
  assert.equal(value(p, 'echo.request'), '1');
  assert.equal(value(p, 'echo.data'), '71756f746564206563686f');
  assert.deepEqual([cols(p).proto, cols(p).info], ['ICMP', 'Destination unreachable (Port unreachable)']);
});

test('TCP inside a UDP tunnel reads the TCP ports, not the outer UDP ones', () => {
  // IPv4/UDP 5437 → (PMIPv6 demultiplexer, first nibble 4) IPv4/TCP 40010 → 7: a request,
  // although the outer UDP destination port (5437) is not 7
  const inner = tcp4(40010, 7, text('tunnelled'));
  const p = dissect(E4(udp4(5437, 5437, inner)));
  assert.equal(protocols(p), 'eth:ethertype:ip:udp:ip:tcp:echo');
  assert.equal(value(p, 'echo.request'), '1');
  assert.equal(cols(p).info, 'Request');
});

test('want masks and columns off: only the wanted echo fields, no column text', () => {
  const pipe = new Pipeline();
  pipe.setWant(wantForFields(['echo.data']));
  pipe.setColumns(false);
  const f = FRAMES.tcpResponse;
  const p = pipe.dissectBytes(f.data, 0, f.data.length, f.data.length, 1, 1, 1700000000, 0);
  assert.equal(value(p, 'echo.data'), '746370206563686f2064617461');
  assert.equal(value(p, 'echo.response'), '');
  assert.equal(p.cols.proto, '');
  assert.equal(p.cols.info.len, 0);
  pipe.setWant(wantForFields(['ip.src']));
  const q = pipe.dissectBytes(f.data, 0, f.data.length, f.data.length, 1, 2, 1700000000, 0);
  assert.equal(value(q, 'echo.data'), '');
  assert.equal(protocols(q), 'eth:ethertype:ip:tcp:echo');
});

const TSHARK = haveTool('tshark');

test('the same frames match tshark 4.0: fields, frame.protocols, Protocol and Info columns', { skip: !TSHARK && 'tshark is not installed' }, () => {
  const path = join(tempDir('gretool-echo-'), 'echo.pcap');
  writePcap(path, 1, Object.values(FRAMES));
  const extra = ['-n', '-o', 'tcp.relative_sequence_numbers:FALSE'];
  const fields = ['frame.protocols', 'echo.request', 'echo.response', 'echo.data', 'udp.payload', 'tcp.payload', 'data.data', 'data.len', 'icmp.type'];
  assert.deepEqual(diffFields(fields, gretoolFields(path, fields), tsharkFields(path, fields, extra)), []);
  const r = run('tshark', ['-r', path, ...TSHARK_PREFS, ...extra, '-T', 'fields', '-E', 'separator=\t', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']);
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
  const { linkType, frames } = readPcapForTest(path);
  const pipe = new Pipeline();
  const diffs: string[] = [];
  frames.forEach((fr, i) => {
    const p = pipe.dissectBytes(fr.data, 0, fr.data.length, fr.origlen, linkType, i + 1, fr.sec, fr.nsec);
    const ours = [p.cols.proto, p.cols.info.toString()];
    for (let k = 0; k < 2; k++) if (ours[k] !== theirs[i]![k]) diffs.push(`#${i + 1} col ${k}: ${JSON.stringify(ours[k])} vs tshark ${JSON.stringify(theirs[i]![k])}`);
  });
  assert.deepEqual(diffs, []);
});
