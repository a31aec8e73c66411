/**
 * Echo (RFC 862) on UDP and TCP port 7, as Wireshark 4.0's packet-echo.c shows it: the whole
 * payload as `echo.data`, a hidden zero-length boolean `echo.request` or `echo.response`
 * (request when the destination port is 7, i.e. `pinfo->destport == pinfo->match_uint`; both
 * ports 7 is a request), Protocol column "ECHO" and Info "Request" / "Response" (replacing the
 * transport's Info).
 *
 * Lengths as tshark shows them: the protocol node and echo.data cover the captured bytes (a
 * payload cut by the snap length is shown as far as captured, without a truncation mark);
 * an empty payload shows nothing (UDP and TCP do not hand an empty payload on in tshark, and
 * a payload with no captured byte is stopped by UDP / skipped by TCP before it gets here).
 *
 * The destination port comes from the scratch slots the transport sets right before its
 * payload dispatch (ipv4/inet.ts: SLOT_UDP_DPORT, SLOT_TCP_DPORT), one dissector object per
 * table so each reads the ports of the transport that called it (the innermost one of its
 * kind, e.g. TCP inside a UDP-encapsulated tunnel reads TCP's).
 */
import { defineFields } from '../../engine/fields.js';
import { table, type Dissector } from '../../engine/dispatch.js';
import { HIDDEN, type Columns, type Packet } from '../../engine/packet.js';
import { TextBuf } from '../../engine/textbuf.js';
import { inErrorPacket, SLOT_TCP_DPORT, SLOT_UDP_DPORT } from '../ipv4/inet.js';

export const ECHO_PORT = 7;

export const ECHO_FIELDS = defineFields({
  echo: { abbrev: 'echo', name: 'Echo', short: 'ECHO', type: 'protocol' },
  data: { abbrev: 'echo.data', name: 'Echo data', type: 'bytes' },
  request: { abbrev: 'echo.request', name: 'Echo request', type: 'boolean' },
  response: { abbrev: 'echo.response', name: 'Echo response', type: 'boolean' },
});

const F = ECHO_FIELDS;
const REQUEST = TextBuf.encode('Request');
const RESPONSE = TextBuf.encode('Response');

/** Protocol "ECHO", Info "Request" / "Response" (the dissector and output/fastsummary.ts). */
export function echoColumns(c: Columns, request: boolean): void {
  c.proto = 'ECHO';
  c.info.clear().lit(request ? REQUEST : RESPONSE);
}

/** Dissects [off, end) as Echo; `dportSlot` holds the transport's destination port + 1. */
function dissectEcho(p: Packet, off: number, end: number, parent: number, dportSlot: number): void {
  if (end - off <= 0) return;
  // (slot 0: no transport header set it; Wireshark's destport is then 0 too: a response)
  const request = p.scratch[dportSlot]! - 1 === ECHO_PORT;
  p.pushProto(F.echo);
  if (p.colsOn && !inErrorPacket(p)) echoColumns(p.cols, request);
  const n = p.avail(off, end);
  const root = p.add(F.echo, off, n, parent);
  if (!p.wantsFields(F.echo)) return;
  p.addNum(request ? F.request : F.response, off, 0, root, 1, HIDDEN);
  p.add(F.data, off, n, root);
}

export const echoUdpDissector: Dissector = {
  proto: F.echo,
  name: 'echo',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    dissectEcho(p, off, end, parent, SLOT_UDP_DPORT);
  },
};

export const echoTcpDissector: Dissector = {
  proto: F.echo,
  name: 'echo',
  dissect(p: Packet, off: number, end: number, parent: number): void {
    dissectEcho(p, off, end, parent, SLOT_TCP_DPORT);
  },
};

table('udp.port').add(ECHO_PORT, echoUdpDissector);
table('tcp.port').add(ECHO_PORT, echoTcpDissector);
