/**
 * The byte output of the text formats: one big reused buffer (a TextBuf) that the writers fill
 * line by line, flushed in large chunks. Regular files and /dev/null are written synchronously
 * from the reused buffer; streams (pipes, TTYs, sockets) get the filled buffer (ownership passes
 * to the stream) and the sink starts a fresh one. A closed stdout is handled by the CLI's stdout
 * guard (src/cli/io.ts): the run ends quietly.
 */
import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { TextBuf } from '../engine/textbuf.js';
import { OutputError } from '../errors.js';

const CAPACITY = 1 << 20;
/** Written buffers kept for reuse (streams). */
const SPARE_BUFFERS = 4;
/** Flush once this many bytes are buffered. */
const FLUSH_AT = CAPACITY - (64 << 10);

export class ByteSink {
  /** The buffer writers append to. Call `maybeFlush()` after each frame. */
  readonly out = new TextBuf(CAPACITY);
  private needDrain = false;
  /** Buffers a stream has finished writing, for the next flushes. */
  private readonly spare: Uint8Array[] = [];
  private failed: Error | null = null;

  private constructor(
    private readonly fd: number,
    private readonly stream: NodeJS.WritableStream | null,
  ) {
    if (stream) {
      stream.on('error', (err: Error) => {
        this.failed = err;
      });
    }
  }

  /** A sink writing synchronously to a file descriptor (files, /dev/null). */
  static fd(fd: number): ByteSink {
    return new ByteSink(fd, null);
  }

  /** A sink writing to a stream. */
  static stream(stream: NodeJS.WritableStream): ByteSink {
    return new ByteSink(-1, stream);
  }

  /** Standard output: synchronous writes when it is a regular file or /dev/null, else the stream. */
  static stdout(): ByteSink {
    try {
      const st = fstatSync(1);
      if (st.isFile() || (st.isCharacterDevice() && !isatty(1))) return ByteSink.fd(1);
    } catch {
      // fall through to the stream
    }
    return ByteSink.stream(process.stdout);
  }

  maybeFlush(): void {
    if (this.out.len >= FLUSH_AT) this.flush();
  }

  /**
   * True when a stream has more queued than it wants (the last write returned false): the
   * writer should await `drain()` before it makes more text. Always false for files.
   */
  get congested(): boolean {
    return this.needDrain;
  }

  flush(): void {
    const o = this.out;
    if (o.len === 0) return;
    if (this.failed) throw new OutputError(`cannot write output: ${this.failed.message}`, { cause: this.failed });
    if (this.stream) {
      const buf = o.buf;
      // the stream owns the buffer until it has written it (then it is kept for reuse); keep
      // writing into a spare one
      const back = () => {
        if (this.spare.length < SPARE_BUFFERS && buf.length === CAPACITY) this.spare.push(buf);
      };
      if (!this.stream.write(buf.subarray(0, o.len), back)) this.needDrain = true;
      o.buf = this.spare.pop() ?? new Uint8Array(Math.max(CAPACITY, buf.length));
      o.len = 0;
      return;
    }
    this.writeFd(o.buf, o.len);
    o.len = 0;
  }

  private writeFd(buf: Uint8Array, len: number): void {
    let off = 0;
    try {
      while (off < len) off += writeSync(this.fd, buf, off, len - off);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EPIPE') {
        // the reader went away: end quietly, as for a closed stdout
        process.exit(0);
      }
      throw new OutputError(`cannot write output: ${e.message}`, { cause: err });
    }
  }

  /**
   * Writes `bytes` after what is buffered (a block of text made elsewhere, e.g. by a worker
   * thread). The bytes are copied (into the sink's reused buffers for a stream) or written
   * before it returns: the caller may reuse them at once.
   */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.failed) throw new OutputError(`cannot write output: ${this.failed.message}`, { cause: this.failed });
    const o = this.out;
    if (this.stream) {
      for (let i = 0; i < bytes.length; ) {
        if (o.len === o.buf.length) this.flush();
        const n = Math.min(o.buf.length - o.len, bytes.length - i);
        o.buf.set(bytes.subarray(i, i + n), o.len);
        o.len += n;
        i += n;
      }
      this.maybeFlush();
      return;
    }
    if (o.len + bytes.length <= o.buf.length) {
      o.buf.set(bytes, o.len);
      o.len += bytes.length;
      this.maybeFlush();
      return;
    }
    this.flush();
    this.writeFd(bytes, bytes.length);
  }

  /** Flushes and, for streams, waits until the stream can take more. */
  async drain(): Promise<void> {
    this.flush();
    if (this.stream && this.needDrain) {
      this.needDrain = false;
      const s = this.stream;
      await new Promise<void>((resolve) => {
        const done = () => {
          s.removeListener('drain', done);
          s.removeListener('close', done);
          s.removeListener('error', done);
          resolve();
        };
        s.once('drain', done);
        s.once('close', done);
        s.once('error', done);
      });
    }
    if (this.failed) throw new OutputError(`cannot write output: ${this.failed.message}`, { cause: this.failed });
  }
}
