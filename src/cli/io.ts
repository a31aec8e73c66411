/**
 * Standard output handling: big writes, and a closed stdout (`gretool … | head`) ends the run
 * quietly. Diagnostics go to stderr only.
 */
export class StdoutClosed extends Error {
  constructor() {
    super('stdout closed');
    this.name = 'StdoutClosed';
  }
}

let closed = false;
let guarded = false;

export function installStdoutGuard(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      // Nothing more can be written; leave quietly with success.
      process.exit(0);
    }
    process.stderr.write(`gretool: cannot write output: ${err.message}\n`);
    process.exit(4);
  });
}

export function stdoutClosed(): boolean {
  return closed;
}

/**
 * Buffered writer over a stream (stdout by default). Text and bytes are accumulated and
 * flushed in large chunks; `drain()` awaits back-pressure when the stream asks for it.
 */
export class OutputSink {
  private chunks: (string | Uint8Array)[] = [];
  private size = 0;
  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly highWater = 1 << 16,
  ) {}

  write(s: string | Uint8Array): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= this.highWater) this.flush();
  }

  flush(): boolean {
    if (this.chunks.length === 0) return true;
    let ok = true;
    if (this.chunks.every((c) => typeof c === 'string')) {
      ok = this.stream.write((this.chunks as string[]).join(''));
    } else {
      for (const c of this.chunks) ok = this.stream.write(c) && ok;
    }
    this.chunks = [];
    this.size = 0;
    return ok;
  }

  /** Flushes and waits until the stream can take more. */
  async drain(): Promise<void> {
    if (this.flush()) return;
    await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }
}
