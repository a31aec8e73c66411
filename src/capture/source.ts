/**
 * Byte sources for the capture readers: a file (read straight into the reader's buffer), a
 * stream (stdin, a pipe), bytes in memory, and gzip decompression over any of them. All are
 * pulled in big chunks: one promise per chunk, never per packet.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { GretoolError } from '../errors.js';

/** A pull source of bytes. */
export interface ByteSource {
  /** Reads up to `length` bytes into `buf` at `offset`. Resolves to the count; 0 at the end. */
  read(buf: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** Opens a file for reading; CAPTURE_OPEN errors for missing files, directories, permissions. */
export async function openFileSource(path: string, display: string): Promise<FileSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw openError(display, err);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new GretoolError('CAPTURE_OPEN', `${display}: is a directory`);
    return new FileSource(fh, st.isFile() ? st.size : -1, display);
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (err instanceof GretoolError) throw err;
    throw openError(display, err);
  }
}

function openError(display: string, err: unknown): GretoolError {
  const e = err as NodeJS.ErrnoException;
  const reason =
    e.code === 'ENOENT'
      ? 'no such file'
      : e.code === 'EACCES' || e.code === 'EPERM'
        ? 'permission denied'
        : e.code === 'EISDIR'
          ? 'is a directory'
          : (e.message ?? String(err));
  return new GretoolError('CAPTURE_OPEN', `${display}: cannot open: ${reason}`, { cause: err });
}

/** A regular file (or anything `open()` can read): reads land directly in the caller's buffer. */
export class FileSource implements ByteSource {
  constructor(
    private readonly fh: FileHandle,
    /** File size in bytes, or -1 when not a regular file. */
    readonly size: number,
    private readonly display: string,
  ) {}

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    try {
      const { bytesRead } = await this.fh.read(buf, offset, length, null);
      return bytesRead;
    } catch (err) {
      throw readError(this.display, err);
    }
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

function readError(display: string, err: unknown): GretoolError {
  if (err instanceof GretoolError) return err;
  const e = err as NodeJS.ErrnoException;
  const code: 'CAPTURE_OPEN' = 'CAPTURE_OPEN';
  if (e.code === 'EISDIR') return new GretoolError(code, `${display}: is a directory`, { cause: err });
  return new GretoolError(code, `${display}: read error: ${e.message ?? String(err)}`, { cause: err });
}

/** Bytes already in memory (tests, generated captures). */
export class MemorySource implements ByteSource {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    const n = Math.min(length, this.bytes.length - this.pos);
    if (n <= 0) return 0;
    buf.set(this.bytes.subarray(this.pos, this.pos + n), offset);
    this.pos += n;
    return n;
  }

  async close(): Promise<void> {}
}

/**
 * A readable stream pulled with `read()` (paused mode, so back-pressure bounds memory). On an
 * error, the data the stream still holds is delivered first, then the error is thrown.
 */
export class StreamSource implements ByteSource {
  private pending: Uint8Array | null = null;
  private pendingPos = 0;
  private ended = false;
  private error: unknown = null;
  private waiter: (() => void) | null = null;
  private readonly wake = (): void => {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  };

  constructor(
    private readonly stream: NodeJS.ReadableStream & { destroy?: (err?: Error) => void },
    display: string,
    private readonly mapError: (err: unknown) => GretoolError = (err) => readError(display, err),
    private readonly destroyOnClose = true,
  ) {
    stream.on('readable', this.wake);
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
    stream.on('error', (err: unknown) => {
      this.error ??= err;
      this.wake();
    });
    // An already-ended stream (e.g. stdin at EOF) may never emit 'end' again.
    const r = stream as { readableEnded?: boolean };
    if (r.readableEnded) this.ended = true;
  }

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    for (;;) {
      let n = 0;
      if (this.pending) n = this.takePending(buf, offset, length);
      while (n < length) {
        const chunk = this.stream.read() as Uint8Array | string | null;
        if (chunk === null) break;
        const c = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
        const take = Math.min(c.length, length - n);
        buf.set(take === c.length ? c : c.subarray(0, take), offset + n);
        n += take;
        if (take < c.length) {
          this.pending = c;
          this.pendingPos = take;
        }
      }
      if (n > 0) return n;
      if (this.error !== null) throw this.mapError(this.error);
      if (this.ended) return 0;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private takePending(buf: Uint8Array, offset: number, length: number): number {
    const p = this.pending!;
    const take = Math.min(p.length - this.pendingPos, length);
    buf.set(p.subarray(this.pendingPos, this.pendingPos + take), offset);
    this.pendingPos += take;
    if (this.pendingPos >= p.length) this.pending = null;
    return take;
  }

  async close(): Promise<void> {
    this.stream.removeListener('readable', this.wake);
    if (this.destroyOnClose && typeof this.stream.destroy === 'function') this.stream.destroy();
    else this.stream.pause();
  }
}

/** Size of the compressed reads fed to gunzip. */
const GZIP_IN_CHUNK = 1 << 20;

/**
 * gzip decompression (node:zlib streaming) over another source. `prefix` holds the bytes
 * already read from `raw` while detecting the format; they are fed first.
 */
export class GunzipSource implements ByteSource {
  private readonly gunzip: Gunzip;
  private readonly out: StreamSource;
  private compressedIn = 0;
  private stopped = false;

  constructor(
    private readonly raw: ByteSource,
    prefix: Uint8Array,
    private readonly display: string,
  ) {
    this.gunzip = createGunzip({ chunkSize: 256 * 1024 });
    this.out = new StreamSource(this.gunzip, display, (err) => this.gzipError(err));
    void this.pump(Buffer.from(prefix));
  }

  private async pump(prefix: Buffer): Promise<void> {
    const g = this.gunzip;
    try {
      this.compressedIn += prefix.length;
      if (prefix.length > 0 && !g.write(prefix)) await this.drained();
      while (!this.stopped) {
        const chunk = Buffer.allocUnsafe(GZIP_IN_CHUNK);
        const n = await this.raw.read(chunk, 0, chunk.length);
        if (n === 0 || this.stopped) break;
        this.compressedIn += n;
        if (!g.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await this.drained();
      }
      if (!this.stopped) g.end();
    } catch (err) {
      if (!this.stopped) g.destroy(err as Error);
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.gunzip.removeListener('drain', done);
        this.gunzip.removeListener('close', done);
        resolve();
      };
      this.gunzip.once('drain', done);
      this.gunzip.once('close', done);
    });
  }

  private gzipError(err: unknown): GretoolError {
    if (err instanceof GretoolError) return err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR') {
      return new GretoolError('CAPTURE_TRUNCATED', `${this.display}: gzip data is cut short (${this.compressedIn} compressed bytes)`, { cause: err });
    }
    return new GretoolError('CAPTURE_CORRUPT', `${this.display}: gzip data is corrupt: ${e.message ?? String(err)}`, { cause: err });
  }

  read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    return this.out.read(buf, offset, length);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.out.close();
    await this.raw.close();
  }
}
