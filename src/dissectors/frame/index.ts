/**
 * The "frame" protocol: capture metadata of every frame (number, lengths, times, link type,
 * protocol stack), then the link layer from the "link.type" table.
 */
import { defineFields, fieldDef } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import type { Packet } from '../../engine/packet.js';
import { GENERATED } from '../../engine/packet.js';
import { keyedLine, labelText, numKey, stackKey } from '../../engine/label.js';
import { TextBuf } from '../../engine/textbuf.js';

/** Wireshark's encapsulation names (wtap_encap), by WTAP_ENCAP number. */
const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 7: 'Raw IP', 15: 'NULL/Loopback', 25: 'Linux cooked-mode capture v1', 129: 'Raw IPv4', 130: 'Raw IPv6', 210: 'Linux cooked-mode capture v2',
};

/** "Frame Length: 182 bytes (1456 bits)" (frame.len and frame.cap_len, as tshark shows them). */
function lengthLine(p: Packet, node: number, out: TextBuf): void {
  const v = p.tree.num[node]!;
  out.str(p.tree.fid[node] === F.len ? 'Frame Length: ' : 'Capture Length: ').dec(v).str(v === 1 ? ' byte (' : ' bytes (').dec(v * 8).str(' bits)');
}

/** "Interface id: 0 (eth0)" */
function interfaceLine(p: Packet, node: number, out: TextBuf): void {
  const id = p.tree.num[node]!;
  out.str('Interface id: ').dec(id).str(' (').str(p.interfaces?.[id]?.name ?? 'unknown').byte(41);
}

/** frame.protocols: the protocol stack. */
function protocolsText(p: Packet): string {
  let s = '';
  for (let i = 0; i < p.nprotos; i++) s += (i ? ':' : '') + fieldDef(p.protos[i]!).abbrev;
  return s;
}

const F = defineFields({
  frame: { abbrev: 'frame', name: 'Frame', type: 'protocol', label: frameLabel, compute: labelText(frameLabel) },
  interface_id: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint32', label: interfaceLine },
  interface_name: { abbrev: 'frame.interface_name', name: 'Interface name', type: 'string', description: 'The friendly name for this interface' },
  encap_type: { abbrev: 'frame.encap_type', name: 'Encapsulation type', type: 'int16', strings: ENCAP_NAMES, description: 'Wireshark encapsulation number (WTAP_ENCAP) of the link type' },
  link_type: { abbrev: 'gretool.link_type', name: 'Link type (pcap LINKTYPE_*)', type: 'uint16', wireshark: false },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'abs_time' },
  offset_shift: { abbrev: 'frame.offset_shift', name: 'Time shift for this packet', type: 'rel_time', description: 'Time shift applied to this packet' },
  time_epoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'abs_time', description: 'Seconds since the epoch' },
  time_delta: { abbrev: 'frame.time_delta', name: 'Time delta from previous captured frame', type: 'rel_time' },
  time_delta_displayed: { abbrev: 'frame.time_delta_displayed', name: 'Time delta from previous displayed frame', type: 'rel_time' },
  time_relative: { abbrev: 'frame.time_relative', name: 'Time since reference or first frame', type: 'rel_time' },
  number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint32' },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint32', unit: ' bytes', label: keyedLine(lengthLine, numKey) },
  cap_len: { abbrev: 'frame.cap_len', name: 'Capture Length', type: 'uint32', unit: ' bytes', label: keyedLine(lengthLine, numKey) },
  marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: 'boolean', tf: ['True', 'False'], description: 'Frame is marked in the GUI' },
  ignored: { abbrev: 'frame.ignored', name: 'Frame is ignored', type: 'boolean', tf: ['True', 'False'], description: 'Frame is ignored by the dissectors' },
  protocols: {
    abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string',
    compute: keyedLine(protocolsText, stackKey),
  },
  comment: { abbrev: 'frame.comment', name: 'Comment', type: 'string' },
});
export const FRAME_FIELDS = F;

/** Wireshark's WTAP_ENCAP numbers for the pcap link types we dissect (frame.encap_type). */
/**
 * "Frame 3: 182 bytes on wire (1456 bits), 182 bytes captured (1456 bits)", and for pcapng
 * " on interface eth0, id 0" ("unknown" for an interface without a name), as tshark 4.0.
 */
function frameLabel(p: Packet, _node: number, b: TextBuf): void {
  b.lit(FRAME_).dec(p.number);
  // the rest, from ": ", depends on the lengths and the interface only: kept from the last frame
  const name = p.interfaces !== null ? (p.interfaces[p.interfaceId]?.name ?? 'unknown') : null;
  if (p.origlen !== tail.origlen || p.caplen !== tail.caplen || name !== tail.name || p.interfaceId !== tail.id) {
    const t = tail.text.clear().str(': ');
    bytesBits(t, p.origlen).str(' on wire (');
    t.dec(p.origlen * 8).str(' bits), ');
    bytesBits(t, p.caplen).str(' captured (');
    t.dec(p.caplen * 8).str(' bits)');
    if (name !== null) t.str(' on interface ').str(name).str(', id ').dec(p.interfaceId);
    tail.origlen = p.origlen;
    tail.caplen = p.caplen;
    tail.name = name;
    tail.id = p.interfaceId;
    tail.bytes = t.buf.slice(0, t.len);
  }
  b.lit(tail.bytes);
}

const FRAME_ = TextBuf.encode('Frame ');
/** The end of the last Frame label and what it was made from. */
const tail = { origlen: -1, caplen: -1, name: null as string | null, id: -1, text: new TextBuf(128), bytes: new Uint8Array(0) };

function bytesBits(b: TextBuf, n: number): TextBuf {
  return b.dec(n).str(n === 1 ? ' byte' : ' bytes');
}

const WTAP_ENCAP: Record<number, number> = { 0: 15, 1: 1, 101: 7, 113: 25, 228: 129, 229: 130, 276: 210, 12: 7 };

function nsDiff(aSec: number, aNs: number, bSec: number, bNs: number): number {
  return (aSec - bSec) * 1e9 + (aNs - bNs);
}

const linkTable = table('link.type', 65536);
const dataTable = table('data', 1);

export const frameDissector: Dissector = {
  proto: F.frame,
  name: 'frame',
  dissect(p: Packet, _off: number, _end: number, _parent: number): void {
    const root = p.add(F.frame, 0, p.caplen, -1);
    if (p.wantsFields(F.frame)) {
      // in tshark's order; the capture's own facts as plain items, what Wireshark works out generated
      if (p.interfaces !== null) {
        const iface = p.addNum(F.interface_id, -1, 0, root, p.interfaceId);
        p.addStr(F.interface_name, -1, 0, iface, p.interfaces[p.interfaceId]?.name ?? 'unknown');
      }
      p.addNum(F.encap_type, -1, 0, root, WTAP_ENCAP[p.linkType] ?? -1);
      p.addGen(F.link_type, root, p.linkType);
      p.addNum(F.time, -1, 0, root, 0);
      p.addGen(F.offset_shift, root, 0);
      p.addNum(F.time_epoch, -1, 0, root, 0);
      p.addGen(F.time_delta, root, p.deltaNs);
      p.addGen(F.time_delta_displayed, root, p.dispKnown ? nsDiff(p.tsSec, p.tsNsec, p.dispSec, p.dispNsec) : 0);
      p.addGen(F.time_relative, root, nsDiff(p.tsSec, p.tsNsec, p.firstSec, p.firstNsec));
      p.addNum(F.number, -1, 0, root, p.number);
      p.addNum(F.len, -1, 0, root, p.origlen);
      p.addNum(F.cap_len, -1, 0, root, p.caplen);
      p.addGen(F.marked, root, 0);
      p.addGen(F.ignored, root, 0);
      if (p.comments) for (const c of p.comments) p.addStr(F.comment, -1, 0, root, c, GENERATED);
      p.add(F.protocols, -1, 0, root, GENERATED);
    }
    const link = linkTable.get(p.linkType);
    if (link) p.call(link, 0, p.origlen, -1);
    else {
      const data = dataTable.get(0);
      if (data) p.call(data, 0, p.origlen, -1);
    }
  },
};

table('frame', 1).add(0, frameDissector);
