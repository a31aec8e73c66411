/**
 * The pcapng reader: sections (either byte order), interfaces with per-interface link type,
 * snaplen and timestamp resolution, enhanced / simple / obsolete packet blocks, comments.
 * Other block types are skipped.
 */
import { GretoolError } from '../errors.js';
import { isKnownLinkType, linkTypeName } from './linktypes.js';
import { ChunkReader, MAX_BLOCK, MAX_CAPLEN, u16, u32 } from './reader-base.js';
import type { ByteSource } from './source.js';
import { TimestampConverter } from './time.js';
import type { CaptureInfo, InterfaceInfo, PacketRecord } from './types.js';

/** Block types. */
export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_OPB = 2;
export const BT_SPB = 3;
export const BT_NRB = 4;
export const BT_ISB = 5;
export const BT_EPB = 6;
const KNOWN_SKIPPED: ReadonlyMap<number, string> = new Map([
  [BT_NRB, 'Name Resolution'],
  [BT_ISB, 'Interface Statistics'],
  [9, 'systemd Journal Export'],
  [0x0a, 'Decryption Secrets'],
  [0x0bad, 'Custom'],
  [0x40000bad, 'Custom'],
  [0x80000001, 'Apple Process Information'],
]);
const BLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [BT_SHB, 'Section Header'],
  [BT_IDB, 'Interface Description'],
  [BT_OPB, 'Packet'],
  [BT_SPB, 'Simple Packet'],
  [BT_EPB, 'Enhanced Packet'],
  ...KNOWN_SKIPPED,
]);

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const BOM = 0x1a2b3c4d;

const utf8 = new TextDecoder('utf-8');

function blockName(type: number): string {
  return BLOCK_NAMES.get(type) ?? `unknown (type 0x${type.toString(16).padStart(8, '0')})`;
}

function decodeString(b: Uint8Array, start: number, len: number): string {
  let n = len;
  while (n > 0 && b[start + n - 1] === 0) n--; // some writers add a terminating NUL
  return utf8.decode(b.subarray(start, start + n));
}

export class PcapngReader extends ChunkReader {
  readonly info: CaptureInfo;
  /** Byte order of the current section. */
  private le = true;
  /** Global index of the current section's interface 0, and its interface count. */
  private sectionBase = 0;
  private sectionIfCount = 0;
  // Per global interface id, flat arrays for the hot path.
  private readonly ifLink: number[] = [];
  private readonly ifSnap: number[] = [];
  private readonly ifConv: TimestampConverter[] = [];
  private readonly warnedUnknown = new Set<number>();

  constructor(src: ByteSource, buf: Uint8Array, end: number, display: string, chunkSize: number, gzip: boolean) {
    super(src, buf, end, display, chunkSize);
    this.info = {
      format: 'pcapng',
      byteOrder: 'little-endian',
      version: '',
      gzip,
      nanosecond: false,
      interfaces: [],
      comments: [],
      sections: 0,
    };
  }

  /**
   * Reads the first section header (and any blocks up to the first packet that are already
   * buffered), so `info` is filled before the first `next()`.
   */
  async init(): Promise<void> {
    if (!(await this.ensure(12))) {
      throw new GretoolError('CAPTURE_TRUNCATED', `${this.display}: file ends inside the pcapng section header (${this.end - this.pos} bytes)`);
    }
    const order = this.byteOrderAt(this.pos + 8);
    if (order === null) {
      throw new GretoolError('CAPTURE_FORMAT', `${this.display}: not a pcapng file (bad byte-order magic in the section header)`);
    }
    const len = u32(this.buf, this.pos + 4, order);
    if (len < 28 || len > MAX_BLOCK || len % 4 !== 0) {
      throw new GretoolError('CAPTURE_CORRUPT', `${this.display}: pcapng section header at byte offset 0 has an impossible length ${len}`);
    }
    if (!(await this.ensure(len))) {
      throw new GretoolError('CAPTURE_TRUNCATED', `${this.display}: file ends inside the pcapng section header (${this.end - this.pos} of ${len} bytes)`);
    }
    this.info.byteOrder = order ? 'little-endian' : 'big-endian';
    this.info.version = `${u16(this.buf, this.pos + 12, order)}.${u16(this.buf, this.pos + 14, order)}`;
    // Process the header and whatever else precedes the first packet.
    this.prime();
    if (this.failure) {
      const f = this.failure;
      throw f;
    }
  }

  /** Processes buffered non-packet blocks up to the first packet block. */
  private prime(): void {
    for (;;) {
      const p = this.pos;
      if (this.end - p < 12) return;
      const b = this.buf;
      let le = this.le;
      const type = u32(b, p, le);
      if (type === BT_SHB) {
        const o = this.byteOrderAt(p + 8);
        if (o === null) return;
        le = o;
      }
      if (type === BT_EPB || type === BT_SPB || type === BT_OPB) return;
      const len = u32(b, p + 4, le);
      if (this.end - p < len || !this.checkBlock(type, len, p, le)) return;
      if (!this.meta(type, p, len)) return;
      this.pos = p + len;
    }
  }

  /** 1 = little-endian, 0 = big-endian, null = not a byte-order magic. Returns a boolean-ish. */
  private byteOrderAt(p: number): boolean | null {
    const v = u32(this.buf, p, true);
    if (v === BOM) return true;
    if (u32(this.buf, p, false) === BOM) return false;
    return null;
  }

  /** Validates a block's lengths (the whole block is buffered). Fails the reader if wrong. */
  private checkBlock(type: number, len: number, p: number, le: boolean): boolean {
    const trailing = u32(this.buf, p + len - 4, le);
    if (trailing !== len) {
      this.fail(
        new GretoolError(
          'CAPTURE_CORRUPT',
          `${this.display}: ${blockName(type)} block at byte offset ${this.base + p}${this.frameNote(type)}: trailing length ${trailing} disagrees with the leading length ${len}`,
        ),
      );
      return false;
    }
    return true;
  }

  private frameNote(type: number): string {
    return type === BT_EPB || type === BT_SPB || type === BT_OPB ? ` (frame ${this.frames + 1})` : '';
  }

  next(): PacketRecord | null {
    for (;;) {
      const p = this.pos;
      const avail = this.end - p;
      if (avail < 12) {
        this.need = 12;
        return null;
      }
      const b = this.buf;
      let le = this.le;
      const type = u32(b, p, le);
      if (type === BT_SHB) {
        const o = this.byteOrderAt(p + 8);
        if (o === null) {
          return this.fail(new GretoolError('CAPTURE_CORRUPT', `${this.display}: section header at byte offset ${this.base + p} has a bad byte-order magic`));
        }
        le = o;
      }
      const len = u32(b, p + 4, le);
      if (len < 12 || len > MAX_BLOCK || (len & 3) !== 0) {
        return this.fail(
          new GretoolError(
            'CAPTURE_CORRUPT',
            `${this.display}: ${blockName(type)} block at byte offset ${this.base + p}${this.frameNote(type)}: impossible block length ${len}`,
          ),
        );
      }
      if (avail < len) {
        this.need = len;
        return null;
      }
      if (u32(b, p + len - 4, le) !== len) {
        this.checkBlock(type, len, p, le);
        return null;
      }
      if (type === BT_EPB) {
        if (len < 32) return this.tooShort(type, p, len);
        return this.packet(p, len, u32(b, p + 8, le));
      }
      if (type === BT_SPB) {
        if (len < 16) return this.tooShort(type, p, len);
        return this.simplePacket(p, len);
      }
      if (type === BT_OPB) {
        if (len < 32) return this.tooShort(type, p, len);
        return this.packet(p, len, u16(b, p + 8, le));
      }
      if (!this.meta(type, p, len)) return null;
      this.pos = p + len;
    }
  }

  private tooShort(type: number, p: number, len: number): null {
    return this.fail(
      new GretoolError('CAPTURE_CORRUPT', `${this.display}: ${blockName(type)} block at byte offset ${this.base + p}${this.frameNote(type)}: block length ${len} is too short`),
    );
  }

  /**
   * An enhanced or obsolete packet block (same layout after the interface id): timestamp at
   * p + 12, lengths at p + 20, data at p + 28. Fields are read here, not passed in, so no
   * 32-bit value is boxed in a call.
   */
  private packet(p: number, len: number, ifid: number): PacketRecord | null {
    const b = this.buf;
    const le = this.le;
    const caplen = u32(b, p + 20, le);
    const origlen = u32(b, p + 24, le);
    const dataOff = 28;
    if (caplen > MAX_CAPLEN) {
      return this.fail(
        new GretoolError(
          'CAPTURE_CORRUPT',
          `${this.display}: frame ${this.frames + 1} at byte offset ${this.base + p}: captured length ${caplen} is impossible (more than ${MAX_CAPLEN})`,
        ),
      );
    }
    const padded = (caplen + 3) & ~3;
    if (dataOff + padded + 4 > len) {
      return this.fail(
        new GretoolError(
          'CAPTURE_CORRUPT',
          `${this.display}: frame ${this.frames + 1} at byte offset ${this.base + p}: captured length ${caplen} does not fit in the ${len}-byte block`,
        ),
      );
    }
    if (ifid >= this.sectionIfCount) return this.noInterface(p, ifid);
    const g = this.sectionBase + ifid;
    const conv = this.ifConv[g]!;
    conv.convertAt(b, p + 12, le);
    const r = this.rec;
    const frame = ++this.frames;
    r.frameNumber = frame;
    r.fileOffset = this.base + p;
    r.data = this.buf;
    r.offset = p + dataOff;
    r.caplen = caplen;
    r.origlen = origlen;
    r.tsSec = conv.sec;
    r.tsNsec = conv.nsec;
    r.interfaceId = g;
    r.linkType = this.ifLink[g]!;
    r.hasTimestamp = true;
    const optStart = p + dataOff + padded;
    r.comments = optStart < p + len - 4 ? this.packetComments(optStart, p + len - 4) : undefined;
    this.pos = p + len;
    const snap = this.ifSnap[g]!;
    if (caplen > origlen || (caplen > snap && snap !== 0)) this.odd(r, snap);
    return r;
  }

  private simplePacket(p: number, len: number): PacketRecord | null {
    if (this.sectionIfCount === 0) return this.noInterface(p, 0);
    const g = this.sectionBase;
    const b = this.buf;
    const origlen = u32(b, p + 8, this.le);
    const snap = this.ifSnap[g]!;
    let caplen = Math.min(origlen, len - 16);
    if (snap !== 0 && snap < caplen) caplen = snap;
    if (caplen > MAX_CAPLEN) {
      return this.fail(
        new GretoolError(
          'CAPTURE_CORRUPT',
          `${this.display}: frame ${this.frames + 1} at byte offset ${this.base + p}: captured length ${caplen} is impossible (more than ${MAX_CAPLEN})`,
        ),
      );
    }
    const r = this.rec;
    r.frameNumber = ++this.frames;
    r.fileOffset = this.base + p;
    r.data = b;
    r.offset = p + 12;
    r.caplen = caplen;
    r.origlen = origlen;
    r.tsSec = 0;
    r.tsNsec = 0;
    r.interfaceId = g;
    r.linkType = this.ifLink[g]!;
    r.hasTimestamp = false;
    r.comments = undefined;
    this.pos = p + len;
    return r;
  }

  private noInterface(p: number, ifid: number): null {
    return this.fail(
      new GretoolError(
        'CAPTURE_CORRUPT',
        `${this.display}: frame ${this.frames + 1} at byte offset ${this.base + p}: interface ${ifid} is not described in its section (${this.sectionIfCount} interfaces)`,
      ),
    );
  }

  private odd(r: PacketRecord, snap: number): void {
    const f = r.frameNumber;
    if (r.caplen > r.origlen) {
      this.warn('caplen > origlen', `frame ${f}: captured length ${r.caplen} exceeds the original length ${r.origlen}`, f);
    }
    if (r.caplen > snap && snap !== 0) {
      this.warn('caplen > snaplen', `frame ${f}: captured length ${r.caplen} exceeds the interface snapshot length ${snap}`, f);
    }
  }

  /** opt_comment values among a packet block's options, or undefined (no allocation then). */
  private packetComments(start: number, end: number): string[] | undefined {
    const b = this.buf;
    const le = this.le;
    let out: string[] | undefined;
    let o = start;
    while (o + 4 <= end) {
      const code = u16(b, o, le);
      const vl = u16(b, o + 2, le);
      if (code === OPT_ENDOFOPT) break;
      if (o + 4 + vl > end) {
        this.warn('options', `frame ${this.frames}: options overrun their block at byte offset ${this.base + o}`, this.frames);
        break;
      }
      if (code === OPT_COMMENT) (out ??= []).push(decodeString(b, o + 4, vl));
      o += 4 + ((vl + 3) & ~3);
    }
    return out;
  }

  /**
   * Walks an option list in buf[start, end). Malformed lists end the walk with a warning; the
   * block itself stays readable.
   */
  private options(start: number, end: number, each: (code: number, valueStart: number, valueLen: number) => void): void {
    const b = this.buf;
    const le = this.le;
    let o = start;
    while (o + 4 <= end) {
      const code = u16(b, o, le);
      const vl = u16(b, o + 2, le);
      if (code === OPT_ENDOFOPT) return;
      const next = o + 4 + ((vl + 3) & ~3);
      if (o + 4 + vl > end) {
        this.warn('options', `options overrun their block at byte offset ${this.base + o}`, undefined);
        return;
      }
      each(code, o + 4, vl);
      o = next;
    }
  }

  /** A non-packet block (whole and length-checked). False if the reader failed. */
  private meta(type: number, p: number, len: number): boolean {
    if (type === BT_SHB) return this.sectionHeader(p, len);
    if (type === BT_IDB) return this.interfaceDescription(p, len);
    if (!KNOWN_SKIPPED.has(type) && !this.warnedUnknown.has(type)) {
      this.warnedUnknown.add(type);
      this.warn('block type', `skipped block(s) of unknown type 0x${type.toString(16).padStart(8, '0')} (first at byte offset ${this.base + p})`);
    }
    return true;
  }

  private sectionHeader(p: number, len: number): boolean {
    const le = this.byteOrderAt(p + 8)!;
    const b = this.buf;
    if (len < 28) {
      this.fail(new GretoolError('CAPTURE_CORRUPT', `${this.display}: section header at byte offset ${this.base + p}: block length ${len} is too short`));
      return false;
    }
    const major = u16(b, p + 12, le);
    const minor = u16(b, p + 14, le);
    if (major !== 1) {
      this.fail(new GretoolError('CAPTURE_FORMAT', `${this.display}: unsupported pcapng version ${major}.${minor} (section at byte offset ${this.base + p})`));
      return false;
    }
    this.le = le;
    this.info.sections++;
    this.sectionBase = this.info.interfaces.length;
    this.sectionIfCount = 0;
    const first = this.info.sections === 1;
    this.options(p + 24, p + len - 4, (code, vs, vl) => {
      if (code === OPT_COMMENT) this.info.comments.push(decodeString(b, vs, vl));
      else if (first && code === 2) this.info.hardware = decodeString(b, vs, vl);
      else if (first && code === 3) this.info.os = decodeString(b, vs, vl);
      else if (first && code === 4) this.info.application = decodeString(b, vs, vl);
    });
    return true;
  }

  private interfaceDescription(p: number, len: number): boolean {
    const b = this.buf;
    const le = this.le;
    if (len < 20) {
      this.fail(new GretoolError('CAPTURE_CORRUPT', `${this.display}: interface description at byte offset ${this.base + p}: block length ${len} is too short`));
      return false;
    }
    const linkType = u16(b, p + 8, le);
    const snaplen = u32(b, p + 12, le);
    let tsresol = 6;
    let tsoffset = 0;
    const iface: InterfaceInfo = {
      id: this.info.interfaces.length,
      linkType,
      snaplen,
      tsResolution: '',
      tsUnitsPerSecond: 0,
      comments: [],
    };
    this.options(p + 16, p + len - 4, (code, vs, vl) => {
      if (code === OPT_COMMENT) iface.comments.push(decodeString(b, vs, vl));
      else if (code === 2) iface.name = decodeString(b, vs, vl);
      else if (code === 3) iface.description = decodeString(b, vs, vl);
      else if (code === 9 && vl >= 1) tsresol = b[vs]!;
      else if (code === 14 && vl >= 8) {
        const hi = u32(b, vs + (le ? 4 : 0), le) | 0; // signed
        const lo = u32(b, vs + (le ? 0 : 4), le);
        tsoffset = hi * 4294967296 + lo;
      }
    });
    const conv = new TimestampConverter(tsresol, tsoffset);
    iface.tsResolution = conv.label;
    iface.tsUnitsPerSecond = conv.unitsPerSecond;
    if (conv.unitsPerSecond > 1e6) this.info.nanosecond = true;
    if (!isKnownLinkType(linkType)) this.warn('link type', `interface ${iface.id}: unknown ${linkTypeName(linkType)}`);
    this.info.interfaces.push(iface);
    this.ifLink.push(linkType);
    this.ifSnap.push(snaplen);
    this.ifConv.push(conv);
    this.sectionIfCount++;
    return true;
  }

  protected truncatedError(remain?: number): GretoolError {
    const left = remain ?? this.end - this.pos;
    const at = this.base + this.pos;
    if (left < 8) {
      return new GretoolError(
        'CAPTURE_TRUNCATED',
        `${this.display}: file is cut short in a block header at byte offset ${at} after frame ${this.frames} (${left} of 8 bytes)`,
      );
    }
    let le = this.le;
    const type = u32(this.buf, this.pos, le);
    if (type === BT_SHB && this.end - this.pos >= 12) le = this.byteOrderAt(this.pos + 8) ?? le;
    const need = `the block needs ${u32(this.buf, this.pos + 4, le)} bytes, ${left} remain`;
    if (type === BT_EPB || type === BT_SPB || type === BT_OPB) {
      return new GretoolError(
        'CAPTURE_TRUNCATED',
        `${this.display}: file is cut short in frame ${this.frames + 1} at byte offset ${at} (${blockName(type)} block: ${need})`,
      );
    }
    return new GretoolError(
      'CAPTURE_TRUNCATED',
      `${this.display}: file is cut short in the ${blockName(type)} block at byte offset ${at} after frame ${this.frames} (${need})`,
    );
  }
}
