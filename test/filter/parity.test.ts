/**
 * Filter parity with tshark 4.0: every filter in the table selects exactly the frames tshark
 * selects over the hand-built capture (test/filter/capture.ts), and every filter tshark
 * rejects, gretool rejects too (with a FILTER error). A filter naming a field that no gretool
 * dissector registers yet is skipped with the field's name (reported, not hidden).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { GretoolError } from '../../src/errors.js';
import { FilterError } from '../../src/filter/index.js';
import { haveTool, tempDir } from '../helpers/cli.js';
import { filterFrames, writeFilterCapture } from './capture.js';
import { dissectionAgreement, gretoolSelect, tsharkSelectAll, type GretoolAnswer, type TsharkAnswer } from './oracle.js';
import { fieldDef } from '../../src/engine/fields.js';

/** The parity table, by theme. */
export const PARITY_FILTERS: Record<string, string[]> = {
  presence: [
    'gre', 'gre.key', 'mipv6', 'ip', 'ipv6', 'udp', 'eth', 'frame', 'data', 'vlan', 'tcp', 'icmp', 'icmpv6',
    '!gre', 'not mipv6', 'gre.flags.key', 'gre.sequence_number', 'gre.checksum', 'mip6.gre_key', '_ws.short',
    '_ws.malformed', 'data.data', 'mip6.mnid.identifier', '',
  ],
  flags: [
    'gre.flags.key == 1', 'gre.flags.key == True', 'gre.flags.key == TRUE', 'gre.flags.key == 0', 'gre.flags.key == FALSE',
    'gre.flags.key == 2', 'gre.flags.key > 0', '!gre.flags.key', 'gre.flags.sequence_number == 1', 'gre.flags.checksum',
    'gre.flags.checksum == 1', 'mip6.bu.t_flag == 1', 'mip6.bu.t_flag == 0', 'mip6.bu.f_flag == 1', 'mip6.bu.a_flag',
    'mip6.ba.t_flag == 0', 'mip6.ba.p_flag == 1', 'gre.flags.key == true', 'gre.flags.key == "Set"',
  ],
  keys: [
    'gre.key == 0x1001', 'gre.key == 4097', 'gre.key == 010001', 'gre.key == 0b1000000000001', 'gre.key != 0x1001',
    'gre.key ~= 0x1001', 'gre.key > 0x1001', 'gre.key >= 0x1001', 'gre.key < 0x1002', 'gre.key le 0x1001', 'gre.key eq 0x1001',
    'gre.key ne 0x1001', 'gre.key gt 0x1001 and gre.key lt 0xffffffff', 'gre.key == 0xffffffff', 'gre.key == 0',
    'gre.key == 0x100000000', 'gre.key == 1.2.3.4', 'gre.key == "0x1001"', 'gre.key == 09', 'gre.key == -1',
    'mip6.gre_key == 0xa001', 'mip6.gre_key == 45057', 'mip6.gre_key == 49374', 'mip6.gre_key > 45000', 'gre.key == mip6.gre_key',
    'gre.key == 0x1001 && gre.key != 0x1002', "gre.key == 'A'",
  ],
  statuses: [
    'mip6.ba.status == 0', 'mip6.ba.status == 163', 'mip6.ba.status != 0', 'mip6.ba.status > 2', 'mip6.ba.status in {2, 3}',
    'mip6.ba.status == "Binding Update accepted"', 'mip6.ba.status == "binding update ACCEPTED"',
    'mip6.ba.status == GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED', 'mip6.ba.status == "GRE_KEY_OPTION_REQUIRED"',
    'mip6.ba.status in {"Binding Update accepted", 163}', 'mip6.ba.status == "nonsense"', 'mip6.ba.status == 256',
    'mip6.mhtype == 5', 'mip6.mhtype == 6', 'mip6.mhtype == "Binding Update"', 'mip6.mhtype == "Binding Acknowledgement"',
  ],
  ipv4: [
    'ip.src == 192.0.2.1', 'ip.src == 10.0.0.7', 'ip.dst == 10.0.0.7', 'ip.addr == 10.0.0.7', 'ip.src != 10.0.0.7',
    'ip.src ~= 10.0.0.7', 'ip.src === 192.0.2.1', 'ip.src !== 192.0.2.1', 'all ip.src == 192.0.2.1', 'any ip.src != 192.0.2.1',
    'all ip.src != 10.0.0.7', 'ip.src == 10.0.0.0/8', 'ip.addr == 10.0.0.0/8', 'ip.src != 10.0.0.0/8', 'ip.src == 172.16.0.0/12',
    'ip.dst == 0.0.0.0/0', 'ip.src > 192.0.2.1', 'ip.src < 10.0.0.8', 'ip.src >= 10.0.0.0/8', 'ip.src#1 == 192.0.2.1',
    'ip.src#2 == 10.0.0.7', 'ip.src#[1-2] == 10.0.0.7', 'ip.addr#2 == 203.0.113.9', 'ip#2', 'ip.src#3', 'count(ip.src) == 2',
    'count(ip.addr) == 4', 'ip.src == ip.dst', 'ip.src#2 != ip.src#1', 'ip.src == 10.0.0.7/33', 'ip.src == "10.0.0.7"',
    'ip.src == 10.0.0.256', 'ip.src == 010.0.0.7', 'ip.src[0] == 0a', 'ip.src[0:2] == c0:00', 'ip.proto == 47', 'ip.ttl == 300',
  ],
  ipv6: [
    'ipv6.src == 2001:db8:1::1', 'ipv6.addr == 2001:db8:2::1', 'ipv6.src == 2001:db8::/32', 'ipv6.src == 2001:db8:100::/48',
    'ipv6.dst == 2001:db8:ff::1', 'ipv6.src != 2001:db8:1::1', 'ipv6.src > 2001:db8:1::1', 'ipv6.src <= 2001:db8:2::/48',
    'ipv6.addr == 2001:0db8:0000:0000:0000:0000:0000:0001/127', 'ipv6.src == 2001:db8::/129', 'ipv6.src == 10.0.0.1',
    'ipv6.src[0:2] == 20:01', 'ipv6.src#2 == 2001:db8:100::7', 'ipv6.src in {2001:db8:1::1, 2001:db8:2::/48}',
  ],
  ether: [
    'eth.src == 02:00:00:00:00:01', 'eth.src == 02-00-00-00-00-01', 'eth.src == 0200.0000.0001', 'eth.src == 02.00.00.00.00.01',
    'eth.src == 020000000001', 'eth.dst == ff:ff:ff:ff:ff:ff', 'eth.addr == 00:1b:21:aa:bb:cc', 'eth.src != 02:00:00:00:00:01',
    'eth.src > 02:00:00:00:00:01', 'eth.src[0:3] == 02:00:00', 'eth.src[0:3] == 00:1b:21', 'eth.src[-1] == 01', 'eth.src[5] == 2',
    'eth.src[1-2] == 00:00', 'eth.src[:2] == 02:00', 'eth.src[3:] == 00:00:01', 'eth.src[0:1,5] == 02:01', 'eth.src[0:1, 4-5] == 02:00:02',
    'eth.src[4:4] != 00:00', 'eth.src[4:4] == 00:01', 'eth.src[-7:2] != 00', 'eth.src[4:4]', 'eth.src[0:2]', 'eth.src == 02:00:00:00:00',
    'eth.src == 02:00:00:00:00:01:02', 'eth.src == "02:00:00:00:00:01"', 'eth.addr[0] & 0x0f == 2', 'eth.src[0] & 0x02',
    'frame[0:2] == 02:00', 'frame[12:2] == 08:00', 'frame[12:2] == 86:dd', 'frame[6:6] == eth.src', 'eth.dst == frame[0:6]',
    'eth.src contains 00:01', 'eth.src in {02:00:00:00:00:01, 00:1b:21:aa:bb:cc}', 'eth.src[0:3] === 02:00:00',
  ],
  protocols: [
    'udp contains "answer"', 'ip contains "answer"', 'eth contains "answer"', 'gre contains "answer"', 'ip matches "answer"',
    'gre matches "(?s)answer"', 'udp[0:8] == udp', 'len(udp) == 8', 'len(ip) == 20', 'eth == frame[0:14]', 'eth[13]', 'eth[14]',
    'gre[0:2] == 20:00', 'mipv6 contains "mn1"', 'ip#2 contains "query"', 'vlan contains "tagged"', 'frame[-1:] == 79', 'udp > 00',
  ],
  sets: [
    'gre.key in {0x1001, 0x1002}', 'gre.key in {0x1000..0x1fff}', 'gre.key in {0x1000 .. 0x1fff, 0xffffffff}',
    'gre.key not in {0x1001}', '!(gre.key in {0x1001})', 'udp.dstport in {47000..47010, 5436}', 'ip.src in {10.0.0.0/8, 172.16.0.0/12}',
    'ip.addr in {10.0.0.5 .. 10.0.0.9}', 'frame.number in {1..3, 7}', 'mip6.mnid.identifier in {"mn1@example.org", "x"}',
    'mip6.mnid.identifier in {"a".."n"}', 'udp.srcport in {udp.dstport}', 'all ip.src in {192.0.2.0/24}', 'gre.key in {0x1001 0x1002}',
    'gre.key in {}', 'gre.key in {1..}', 'eth.src[0:1] in {02}', 'gre.key in {0x1002..0x1001}',
  ],
  logic: [
    'gre.key == 0x1001 && ip.src == 10.0.0.7', 'gre.key == 0x1001 and ip.src == 192.0.2.2', 'gre.key == 0x1001 || mip6.gre_key == 0xa001',
    'gre or mipv6 and ipv6', '(gre or mipv6) and ipv6', 'ipv6 and mipv6 or gre', 'not gre and ip', '!(gre || mipv6)', 'not not gre',
    '!!gre', 'gre.key == 0x1001 and not ip.src == 192.0.2.2', 'ip.src == 10.0.0.7 or ip.dst == 10.0.0.7 and udp', 'gre && !ip.src == 10.0.0.7',
    'gre&&ip', 'gre||ipv6', 'not ip.dst eq 203.0.113.9', '(((gre)))', 'gre ^^ ip', 'gre xor ip', 'gre AND ip',
  ],
  strings: [
    'frame contains "hello"', 'data.data contains "query"', 'data contains 71:75:65', 'udp contains "answer"', 'frame contains 68:65:6c:6c:6f',
    'mip6.mnid.identifier contains "mn1"', 'mip6.mnid.identifier contains mn1', 'frame matches "MN[12]@"', 'frame matches "(?-i)MN[12]@"',
    'mip6.mnid.identifier matches "^mn[12]@"', 'mip6.mnid.identifier matches "(?-i)^mn[12]@"', 'mip6.mnid.identifier ~ "example\\\\.org$"',
    'frame matches "\\x02\\x00\\x00\\x00\\x00\\x01"', 'data.data matches "^q.*-(one|two)$"', 'data.data matches r"^q\\w+-t"',
    'frame matches "[[:digit:]]@"', 'frame matches "\\\\d@"', 'mip6.mnid.identifier == "mn1@example.org"', 'mip6.mnid.identifier > "mn1"',
    'mip6.mnid.identifier < mn2', 'mip6.mnid.identifier != "mn1@example.org"', 'mip6.mnid.identifier[0:3] == "mn1"',
    'mip6.mnid.identifier[0:3] == 6d:6e:31', 'upper(mip6.mnid.identifier) == "MN2@EXAMPLE.ORG"', 'lower(mip6.mnid.identifier) contains "mn2"',
    'len(mip6.mnid.identifier) == 15', 'frame.protocols contains "gre"', 'frame.protocols == "eth:ethertype:ip:tcp"',
    'frame contains "\\x71\\165ery"', 'frame contains "\\u0071uery"', 'frame contains 0x71', 'data.data[0] == "q"',
    'ip.src contains 0a', 'gre.key matches "1"', 'mip6.mnid.identifier matches mn1', 'frame matches "["', 'frame contains "\\q"',
    'frame matches "\\d"', 'frame contains "unterminated', 'data.data matches "(?i:Q)uery"', 'frame contains "\\u00e9"',
  ],
  arithmetic: [
    'udp.dstport >= udp.srcport + 1', 'udp.srcport == udp.dstport', 'udp.srcport / 2 == 20000', 'frame.len - 10 > 90',
    'frame.len -10 > 90', '{frame.len + 1} * 2 > 200', 'frame.len + 1 * 2 > 200', 'gre.key & 0xf000 == 0x1000', 'gre.key & 1',
    'gre.key bitwise_and 0x2000', 'max(udp.srcport, udp.dstport) == 47010', 'min(udp.srcport, udp.dstport) < 5000',
    'abs(udp.srcport - udp.dstport) == 7010', 'len(eth.src) == 6', 'len(gre.key) == 4', 'string(frame.number) matches "^1[0-9]$"',
    'string(gre.key) == "4097"', 'string(ip.src) == "10.0.0.7"', 'string(eth.src) == "02:00:00:00:00:01"', 'count(gre.key) == 1',
    'udp.srcport / 0 != 0', 'udp.srcport / 0 == 0', 'udp.srcport % 1000 == 0', '-udp.srcport == -40000', 'udp.srcport + 1',
    'udp.srcport - udp.srcport', 'frame.len-10 > 90', 'len(gre.key)', 'foo(gre.key)', 'upper(gre.key) == "A"', 'string(gre.flags.key) == "1"',
    'min(udp.srcport, ip.ttl) == 1', 'udp.srcport + "a" == 1',
  ],
  frame: [
    'frame.len > 90', 'frame.cap_len < frame.len', 'frame.number == 5', 'frame.number >= 15', 'frame.time_delta > 1',
    'frame.time_relative >= 10', 'frame.time_relative == 3.003', 'frame.time_relative < 2.5', 'frame.time >= "2023-11-14 22:13:25"',
    'frame.time < "Nov 14, 2023 22:13:23 UTC"', 'frame.time == "2023-11-14T22:13:24.004Z"', 'frame.time_epoch > 1700000010',
    'frame.time_delta > 1e-3', 'frame.time_delta == "1"', 'frame.len == 1.5', "frame.len > 'a'", "frame.len > '\\x41'",
  ],
  syntax: [
    'gre.key ==', '(gre', 'gre)', 'gre.key = 1', 'gre && && ip', 'gre.kee == 1', 'gre.kee', 'mip6', 'eth.src[0:0] == 02',
    'eth.src[0:', 'gre.key[0:2] == 10:01', '1 == 1', '10.0.0.7 == ip.src', 'ip.src# 2 == 10.0.0.7', '"abc"', 'gre.key == 1 2',
    '== 1', 'gre.key == 0x1001 == 1', 'eth.src[a:b] == 1', 'gre.key#', 'ip.src == ${ip.src}', 'gre | ip', 'gre.key in 1',
    'all', 'gre.key == (1)', 'gre.key @ 1', "gre.key == ''", 'ip.src == 10.0.0.7 ip',
  ],
};

/** gretool answers that knowingly differ from tshark 4.0, with the reason. */
const KNOWN_DIFFERENT: Record<string, string> = {
  'ip.src == ${ip.src}': 'tshark accepts field references and matches nothing without a selected packet; gretool rejects them',
};

const FIELD_MISSING = /^"([^"]+)" is not a valid protocol or field$/;

let pcap = '';
let frameNotes: string[] = [];
const all = Object.values(PARITY_FILTERS).flat();
let ours: Map<string, GretoolAnswer>;
let agreement: Map<number, boolean[]>;
let tshark: Map<string, TsharkAnswer>;
const skipped: string[] = [];
const partial: string[] = [];

describe('filter parity with tshark 4.0', { skip: !haveTool('tshark') && 'tshark not installed' }, () => {
  before(async () => {
    pcap = writeFilterCapture(join(tempDir('gretool-filter-'), 'filter.pcap'));
    tshark = await tsharkSelectAll(pcap, all);
    frameNotes = filterFrames().map((f) => f.note);
    const answers = gretoolSelect(pcap, all);
    ours = new Map(all.map((f, k) => [f, answers[k]!]));
    agreement = dissectionAgreement(pcap, answers.flatMap((a) => (a.ok ? a.fields : [])));
  });
  after(() => {
    if (skipped.length) console.log(`# filter parity: ${skipped.length} skipped; fields not registered or never dissected like tshark: ${[...new Set(skipped)].join(', ')}`);
    if (partial.length) console.log(`# filter parity: compared on the frames where dissection agrees with tshark: ${[...new Set(partial)].join(', ')}`);
  });

  for (const [theme, filters] of Object.entries(PARITY_FILTERS)) {
    describe(theme, () => {
      for (const f of filters) {
        test(JSON.stringify(f), (t) => {
          if (KNOWN_DIFFERENT[f]) return t.skip(KNOWN_DIFFERENT[f]);
          const theirs = tshark.get(f)!;
          const mine = ours.get(f)!;
          if (!mine.ok) {
            const e = mine.error;
            assert.ok(e instanceof GretoolError && e.code === 'FILTER', `not a FILTER error: ${e}`);
            const missing = e instanceof FilterError ? FIELD_MISSING.exec(e.reason) : null;
            if (theirs.ok) {
              if (missing) {
                skipped.push(missing[1]!);
                return t.skip(`field ${missing[1]} is not registered by any gretool dissector yet`);
              }
              assert.fail(`gretool rejects a filter tshark accepts:\n${e.message}\n(tshark selects ${theirs.frames.join(' ') || 'nothing'})`);
            }
            return; // both reject
          }
          if (!theirs.ok) assert.fail(`gretool accepts a filter tshark rejects (${theirs.error}); gretool selects ${mine.frames.join(' ') || 'nothing'}`);
          // compare on the frames where gretool dissects the referenced fields as tshark does
          const ok = frameNotes.map((_, i) => mine.fields.every((id) => agreement.get(id)![i]));
          const differ = mine.fields.filter((id) => agreement.get(id)!.some((a) => !a)).map((id) => fieldDef(id).abbrev);
          if (!ok.some(Boolean)) {
            skipped.push(...differ);
            return t.skip(`dissection of ${differ.join(', ')} differs from tshark on every frame`);
          }
          if (differ.length) {
            partial.push(...differ);
            t.diagnostic(`frames ${ok.flatMap((a, i) => (a ? [] : [i + 1])).join(' ')} left out: dissection of ${differ.join(', ')} differs from tshark`);
          }
          const name = (n: number): string => `${n} (${frameNotes[n - 1]})`;
          const keep = (n: number): boolean => ok[n - 1]!;
          assert.deepEqual(mine.frames.filter(keep).map(name), theirs.frames.filter(keep).map(name));
        });
      }
    });
  }
});
