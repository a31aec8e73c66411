/**
 * The classic pcap reader: a 24-byte file header, then 16-byte record headers each followed by
 * the captured bytes. Micro- or nanosecond magic, either byte order.
 */
import { GretoolError } from '../errors.js';
import { isKnownLinkType, linkTypeName } from './linktypes.js';
import { ChunkReader, MAX_CAPLEN, u16, u32 } from './reader-base.js';
import type { ByteSource } from './source.js';
import { viewOf } from './view.js';
import type { CaptureInfo, PacketRecord } from './types.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapReader extends ChunkReader {
  readonly info: CaptureInfo;
  private readonly le: boolean;
  private readonly linkType: number;
  private readonly snaplen: number;
  private readonly fracPerSec: number;
  private readonly fracToNs: number;

  /** `buf[0, end)` holds the start of the (decompressed) input, at least the file header. */
  constructor(src: ByteSource, buf: Uint8Array, end: number, display: string, chunkSize: number, le: boolean, nano: boolean, gzip: boolean) {
    super(src, buf, end, display, chunkSize);
    if (end < FILE_HEADER) {
      throw new GretoolError('CAPTURE_TRUNCATED', `${display}: file ends inside the pcap file header (${end} of ${FILE_HEADER} bytes)`);
    }
    this.le = le;
    const major = u16(buf, 4, le);
    const minor = u16(buf, 6, le);
    if (major !== 2) {
      throw new GretoolError('CAPTURE_FORMAT', `${display}: unsupported pcap version ${major}.${minor} (only 2.x is read)`);
    }
    this.snaplen = u32(buf, 16, le);
    const network = u32(buf, 20, le);
    this.linkType = network & 0xffff;
    this.fracPerSec = nano ? 1e9 : 1e6;
    this.fracToNs = nano ? 1 : 1000;
    this.info = {
      format: 'pcap',
      byteOrder: le ? 'little-endian' : 'big-endian',
      version: `${major}.${minor}`,
      gzip,
      nanosecond: nano,
      interfaces: [
        {
          id: 0,
          linkType: this.linkType,
          snaplen: this.snaplen,
          tsResolution: nano ? 'nanoseconds' : 'microseconds',
          tsUnitsPerSecond: this.fracPerSec,
          comments: [],
        },
      ],
      comments: [],
      sections: 1,
      snaplen: this.snaplen,
    };
    if (minor !== 4) this.warn('version', `pcap version ${major}.${minor} (expected 2.4)`);
    if (!isKnownLinkType(this.linkType)) this.warn('link type', `unknown ${linkTypeName(this.linkType)}`);
    this.pos = FILE_HEADER;
    this.rec.linkType = this.linkType;
    this.rec.interfaceId = 0;
  }

  next(): PacketRecord | null {
    const p = this.pos;
    const avail = this.end - p;
    if (avail < RECORD_HEADER) {
      this.need = RECORD_HEADER;
      return null;
    }
    const b = this.buf;
    const v = viewOf(b); // the header's four 32-bit fields are four reads
    const le = this.le;
    const sec = v.getUint32(p, le);
    const frac = v.getUint32(p + 4, le);
    const caplen = v.getUint32(p + 8, le);
    const origlen = v.getUint32(p + 12, le);
    if (caplen > MAX_CAPLEN) {
      return this.fail(
        new GretoolError(
          'CAPTURE_CORRUPT',
          `${this.display}: frame ${this.frames + 1} at byte offset ${this.base + p}: captured length ${caplen} is impossible (more than ${MAX_CAPLEN})`,
        ),
      );
    }
    const total = RECORD_HEADER + caplen;
    if (avail < total) {
      this.need = total;
      return null;
    }
    const r = this.rec;
    const frame = ++this.frames;
    r.frameNumber = frame;
    r.fileOffset = this.base + p;
    r.data = b;
    r.offset = p + RECORD_HEADER;
    r.caplen = caplen;
    r.origlen = origlen;
    r.tsSec = sec;
    r.tsNsec = frac * this.fracToNs;
    this.pos = p + total;
    if (frac >= this.fracPerSec || caplen > origlen || (caplen > this.snaplen && this.snaplen !== 0)) this.odd(r, frac);
    return r;
  }

  /** Odd but readable records: warn (and normalise an out-of-range fraction). */
  private odd(r: PacketRecord, frac: number): void {
    const f = r.frameNumber;
    if (frac >= this.fracPerSec) {
      const carry = Math.floor(frac / this.fracPerSec);
      r.tsSec += carry;
      r.tsNsec = (frac - carry * this.fracPerSec) * this.fracToNs;
      this.warn('timestamp', `frame ${f}: sub-second timestamp field ${frac} is not below ${this.fracPerSec}`, f);
    }
    if (r.caplen > r.origlen) {
      this.warn('caplen > origlen', `frame ${f}: captured length ${r.caplen} exceeds the original length ${r.origlen}`, f);
    }
    if (r.caplen > this.snaplen && this.snaplen !== 0) {
      this.warn('caplen > snaplen', `frame ${f}: captured length ${r.caplen} exceeds the snapshot length ${this.snaplen}`, f);
    }
  }

  protected truncatedError(remain?: number): GretoolError {
    const left = remain ?? this.end - this.pos;
    const at = this.base + this.pos;
    const frame = this.frames + 1;
    if (left < RECORD_HEADER) {
      return new GretoolError(
        'CAPTURE_TRUNCATED',
        `${this.display}: file is cut short in frame ${frame} at byte offset ${at} (${left} of the ${RECORD_HEADER}-byte record header)`,
      );
    }
    const caplen = u32(this.buf, this.pos + 8, this.le);
    return new GretoolError(
      'CAPTURE_TRUNCATED',
      `${this.display}: file is cut short in frame ${frame} at byte offset ${at} (the record needs ${RECORD_HEADER + caplen} bytes, ${left} remain)`,
    );
  }
}
