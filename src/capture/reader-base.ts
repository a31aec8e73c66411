/**
 * The chunked reader shared by the pcap and pcapng readers: one big buffer filled by whole
 * chunks, records parsed in place, the unfinished tail carried to the front of the buffer on
 * the next fill. Subclasses implement `next()` over `buf[pos, end)`.
 */
import { GretoolError } from '../errors.js';
import type { ByteSource } from './source.js';
import type { CaptureInfo, CaptureReader, CaptureWarning, PacketRecord } from './types.js';

/** Largest captured length accepted for one packet (256 KiB). */
export const MAX_CAPLEN = 256 * 1024;
/** Largest pcapng block accepted (16 MiB, as Wireshark). */
export const MAX_BLOCK = 16 * 1024 * 1024;
/** Default read size. */
export const DEFAULT_CHUNK = 4 * 1024 * 1024;
/**
 * Room kept in front of each read-ahead chunk for the unfinished record of the previous chunk
 * (the largest pcap record fits; a longer pcapng block is joined by copying instead).
 */
const HEADROOM = MAX_CAPLEN + 64;
/** Warnings of one kind listed individually before they are only counted. */
const WARNINGS_PER_KIND = 10;

/** Reads a little- or big-endian unsigned 32-bit integer. */
export function u32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0
    : ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

/** Reads an unsigned 16-bit integer. */
export function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
}

export abstract class ChunkReader implements CaptureReader {
  abstract readonly info: CaptureInfo;
  readonly warnings: CaptureWarning[] = [];
  /** Number of records delivered so far. */
  frames = 0;
  protected pos: number;
  protected end: number;
  /** Stream offset of buf[0]. */
  protected base = 0;
  /** Bytes from `pos` the next record needs (set when `next()` returns null for lack of data). */
  protected need = 0;
  protected failure: GretoolError | null = null;
  protected eof = false;
  protected readonly rec: PacketRecord;
  private readonly warnCounts = new Map<string, number>();
  /**
   * Read-ahead: while the records of one chunk are dissected, the next chunk is read into the
   * spare buffer behind HEADROOM bytes, where the unfinished tail of the current chunk is then
   * copied. Records stay valid until the next fill(), as before: the buffer they view becomes
   * the spare only then.
   */
  private ahead: { buf: Uint8Array; read: Promise<number> } | null = null;
  private spare: Uint8Array | null = null;

  constructor(
    protected readonly src: ByteSource,
    protected buf: Uint8Array,
    end: number,
    /** The name used in messages ("capture.pcap", "(stdin)"). */
    readonly display: string,
    protected readonly chunkSize: number,
  ) {
    this.pos = 0;
    this.end = end;
    this.rec = {
      frameNumber: 0,
      fileOffset: 0,
      data: buf,
      offset: 0,
      caplen: 0,
      origlen: 0,
      tsSec: 0,
      tsNsec: 0,
      interfaceId: 0,
      linkType: 0,
      comments: undefined,
      hasTimestamp: true,
    };
  }

  abstract next(): PacketRecord | null;

  /**
   * The error for input that ends inside a record (its start is buffered at `buf[pos, end)`);
   * `remain` is how many bytes the input has from there (default: all that is buffered).
   */
  protected abstract truncatedError(remain?: number): GretoolError;

  async fill(): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.eof) return this.finish();
    const tail = this.end - this.pos;
    const size = this.info.fileSize;
    if (tail > 0 && this.need > tail && size !== undefined && this.base + this.pos + this.need > size) {
      // a record that cannot fit in what is left of the file: no point reading on
      await this.settleAhead();
      this.failure = this.truncatedError(size - this.base - this.pos);
      throw this.failure;
    }
    if (this.ahead !== null) return this.takeAhead(tail);
    const more = await this.fillDirect(tail);
    if (more) this.readAhead();
    return more;
  }

  /** A fill with no read-ahead pending (openCapture starts one): one read into the current buffer, after its unfinished tail. */
  private async fillDirect(tail: number): Promise<boolean> {
    const want = Math.max(this.need, tail) + Math.min(this.chunkSize, 64 * 1024);
    let buf = this.buf;
    if (want > buf.length) {
      // A record larger than the buffer (bounded by MAX_BLOCK): grow once.
      const bigger = new Uint8Array(Math.max(want, this.chunkSize));
      bigger.set(buf.subarray(this.pos, this.end));
      this.buf = buf = bigger;
    } else if (tail > 0 && this.pos > 0) {
      buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = tail;
    this.need = 0;
    let n: number;
    try {
      n = await this.src.read(buf, tail, buf.length - tail);
    } catch (err) {
      throw this.readFailed(err);
    }
    if (n === 0) {
      this.eof = true;
      return this.finish();
    }
    this.end = tail + n;
    return true;
  }

  private readFailed(err: unknown): GretoolError {
    this.failure = err instanceof GretoolError ? err : new GretoolError('CAPTURE_OPEN', `${this.display}: read error: ${String(err)}`);
    return this.failure;
  }

  /**
   * Starts reading the next chunk into the spare buffer, behind the headroom (openCapture calls
   * it once the header is read, then each fill; nothing else may read the source meanwhile).
   */
  readAhead(): void {
    if (this.ahead !== null || this.eof || this.failure) return;
    let buf = this.spare;
    this.spare = null;
    if (buf === null || buf.length < HEADROOM + this.chunkSize) buf = new Uint8Array(HEADROOM + this.chunkSize);
    const read = this.src.read(buf, HEADROOM, this.chunkSize);
    read.catch(() => undefined); // observed by takeAhead()/settleAhead(); never unhandled
    this.ahead = { buf, read };
  }

  /** Waits for a pending read-ahead, ignoring its outcome (before failing or closing). */
  private async settleAhead(): Promise<void> {
    const a = this.ahead;
    this.ahead = null;
    if (a !== null) await a.read.catch(() => 0);
  }

  /** A fill served by the read-ahead: the tail moves in front of the new bytes. */
  private async takeAhead(tail: number): Promise<boolean> {
    const a = this.ahead!;
    this.ahead = null;
    let n: number;
    try {
      n = await a.read;
    } catch (err) {
      throw this.readFailed(err);
    }
    if (n === 0) {
      this.eof = true;
      return this.finish();
    }
    const old = this.buf;
    if (tail <= HEADROOM) {
      const start = HEADROOM - tail;
      if (tail > 0) a.buf.set(old.subarray(this.pos, this.end), start);
      this.base += this.pos - start;
      this.buf = a.buf;
      this.pos = start;
      this.end = HEADROOM + n;
      this.spare = old;
    } else {
      // an unfinished pcapng block longer than the headroom: join it and the new bytes
      const joined = new Uint8Array(Math.max(tail + n, this.chunkSize));
      joined.set(old.subarray(this.pos, this.end));
      joined.set(a.buf.subarray(HEADROOM, HEADROOM + n), tail);
      this.base += this.pos;
      this.buf = joined;
      this.pos = 0;
      this.end = tail + n;
      this.spare = a.buf;
    }
    this.need = 0;
    this.readAhead();
    return true;
  }

  /** Clean end of input, or the truncation error when a partial record is left. */
  private finish(): boolean {
    this.summarizeWarnings();
    if (this.failure) throw this.failure;
    if (this.end > this.pos) {
      this.failure = this.truncatedError();
      throw this.failure;
    }
    return false;
  }

  /**
   * Reads until at least `n` bytes are buffered from `pos` (used while parsing headers).
   * Resolves to false if the input ends first.
   */
  protected async ensure(n: number): Promise<boolean> {
    while (this.end - this.pos < n) {
      if (this.eof) return false;
      this.need = n;
      const tail = this.end - this.pos;
      const buf = this.buf.length >= n + 16 ? this.buf : new Uint8Array(Math.max(n + 16, this.chunkSize));
      if (buf !== this.buf) buf.set(this.buf.subarray(this.pos, this.end));
      else if (this.pos > 0) buf.copyWithin(0, this.pos, this.end);
      this.buf = buf;
      this.base += this.pos;
      this.pos = 0;
      this.end = tail;
      const got = await this.src.read(buf, tail, buf.length - tail);
      if (got === 0) this.eof = true;
      this.end = tail + got;
    }
    this.need = 0;
    return true;
  }

  async close(): Promise<void> {
    await this.settleAhead();
    await this.src.close();
  }

  /** Stops delivery: `next()` returns null and the next `fill()` rejects with `err`. */
  protected fail(err: GretoolError): null {
    this.failure = err;
    this.end = this.pos;
    return null;
  }

  /** Records a warning; after WARNINGS_PER_KIND of one kind, further ones are only counted. */
  protected warn(kind: string, message: string, frame?: number): void {
    const n = (this.warnCounts.get(kind) ?? 0) + 1;
    this.warnCounts.set(kind, n);
    if (n <= WARNINGS_PER_KIND) this.warnings.push(frame === undefined ? { message } : { message, frame });
  }

  private summarizeWarnings(): void {
    for (const [kind, n] of this.warnCounts) {
      if (n > WARNINGS_PER_KIND) {
        this.warnings.push({ message: `${n - WARNINGS_PER_KIND} more warnings of the kind "${kind}" not listed` });
        this.warnCounts.set(kind, WARNINGS_PER_KIND);
      }
    }
  }

  /** Stream offset of the next unread byte. */
  protected get offset(): number {
    return this.base + this.pos;
  }
}
