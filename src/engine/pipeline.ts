/**
 * The frame pipeline: a capture record in, a dissected Packet out (the same Packet object,
 * reused). Link layers are found in the "link.type" table; the frame protocol is dissector
 * "frame" in the "frame" table, registered by src/dissectors/frame.
 *
 * What a run materialises is set once: `setWant(mask)` (fields, see wantMask / wantForFields in
 * fields.ts; null = the whole tree) and `setColumns(on)` (the summary columns). A run that
 * decides per frame that it needs more (a filter matched and the frame is now printed in full)
 * calls `redissect()` for the current frame with a wider configuration.
 */
import type { PacketRecord } from '../capture/types.js';
import { table, type Dissector } from './dispatch.js';
import { Packet } from './packet.js';

/** Hooks run after every frame is dissected (the session correlator's generated fields). */
export type PostDissector = (p: Packet) => void;

/**
 * Fills the summary columns of the frames it knows straight from their bytes, without the
 * dissectors (src/output/fastsummary.ts). `fill` gets the Packet with the frame's facts set
 * (bytes, lengths, link type, number, times) and nothing dissected; it returns true when the
 * columns hold exactly what the dissectors would have put there, false to leave the frame to
 * the dissectors (what it wrote to the columns is then discarded).
 */
export interface ColumnsFastPath {
  fill(p: Packet): boolean;
}

export interface PipelineOptions {
  debug?: boolean;
  /** Fields to materialise (Packet.want); default null, the whole tree. */
  want?: Uint8Array | null;
  /** Build the summary columns (default true). */
  columns?: boolean;
}

const frameTable = table('frame', 1);

export class Pipeline {
  readonly packet = new Packet();
  private readonly post: PostDissector[] = [];
  private started = false;
  private frame: Dissector | undefined = undefined;
  private want: Uint8Array | null;
  private columns: boolean;
  // the current frame, for redissect()
  private curData: Uint8Array = new Uint8Array(0);
  private curOffset = 0;
  private curCaplen = 0;
  private curOrig = 0;
  private curLink = 0;
  private curNumber = 0;
  private curSec = 0;
  private curNsec = 0;
  private curIface = 0;
  private curComments: string[] | undefined = undefined;
  private prevSec = 0;
  private prevNsec = 0;
  private fast: ColumnsFastPath | null = null;

  constructor(opts: PipelineOptions = {}) {
    this.packet.debug = opts.debug ?? false;
    this.want = opts.want ?? null;
    this.columns = opts.columns ?? true;
  }

  addPostDissector(fn: PostDissector): void {
    if (this.fast !== null) throw new Error('a columns fast path and post-dissectors do not go together');
    this.post.push(fn);
  }

  /**
   * Lets `fast` fill the columns of the frames it knows, from the next frame on (null: every
   * frame through the dissectors). Such a frame has its columns and nothing else (no fields, no
   * expert items): only for runs that print the summary line alone, without colours, filter or
   * post-dissectors. `redissect()` still runs the dissectors.
   */
  setColumnsFastPath(fast: ColumnsFastPath | null): void {
    if (fast !== null && this.post.length > 0) throw new Error('a columns fast path and post-dissectors do not go together');
    this.fast = fast;
  }

  /** Fields to materialise from the next frame on (null: all). */
  setWant(want: Uint8Array | null): void {
    this.want = want;
  }
  /** Whether the summary columns are built from the next frame on. */
  setColumns(on: boolean): void {
    this.columns = on;
  }
  get wantMask(): Uint8Array | null {
    return this.want;
  }
  get columnsOn(): boolean {
    return this.columns;
  }

  /** Dissects one record into this pipeline's Packet and returns it. */
  dissect(rec: PacketRecord): Packet {
    return this.dissectBytes(rec.data, rec.offset, rec.caplen, rec.origlen, rec.linkType, rec.frameNumber, rec.tsSec, rec.tsNsec, rec.interfaceId, rec.comments);
  }

  dissectBytes(
    data: Uint8Array,
    offset: number,
    caplen: number,
    origlen: number,
    linkType: number,
    frameNumber: number,
    tsSec: number,
    tsNsec: number,
    interfaceId = 0,
    comments?: string[],
  ): Packet {
    const p = this.packet;
    if (!this.started) {
      this.started = true;
      p.firstSec = p.prevSec = tsSec;
      p.firstNsec = p.prevNsec = tsNsec;
    }
    this.curData = data;
    this.curOffset = offset;
    this.curCaplen = caplen;
    this.curOrig = origlen;
    this.curLink = linkType;
    this.curNumber = frameNumber;
    this.curSec = tsSec;
    this.curNsec = tsNsec;
    this.curIface = interfaceId;
    this.curComments = comments;
    this.prevSec = p.prevSec;
    this.prevNsec = p.prevNsec;
    if (this.fast !== null && this.columns && this.fastFill(p)) return p;
    this.run(this.want, this.columns, true);
    return p;
  }

  /**
   * The columns fast path on the current frame: the Packet gets the frame's facts and empty
   * columns, field table and expert items (all a filled frame has; the per-frame state that
   * dissectors use is reset by run() when the fast path declines).
   */
  private fastFill(p: Packet): boolean {
    p.tree.reset();
    p.experts.reset();
    p.cols.reset();
    p.netVersion = p.netSrc = p.netDst = 0;
    this.load(p, this.want, true);
    if (!this.fast!.fill(p)) return false;
    p.prevSec = this.curSec;
    p.prevNsec = this.curNsec;
    return true;
  }

  /** The current frame's facts into the Packet, and what it materialises. */
  private load(p: Packet, want: Uint8Array | null, columns: boolean): void {
    p.want = want;
    p.colsOn = columns;
    p.data = this.curData;
    p.base = this.curOffset;
    const caplen = this.curCaplen;
    p.caplen = caplen;
    p.origlen = this.curOrig < caplen ? caplen : this.curOrig;
    p.linkType = this.curLink;
    p.number = this.curNumber;
    const tsSec = this.curSec;
    const tsNsec = this.curNsec;
    p.tsSec = tsSec;
    p.tsNsec = tsNsec;
    p.interfaceId = this.curIface;
    p.comments = this.curComments;
    p.deltaNs = (tsSec - p.prevSec) * 1e9 + (tsNsec - p.prevNsec);
  }

  /**
   * Sets the time references for the next frame: the capture's first frame (relative times)
   * and the frame before it (frame.time_delta), for a run that starts mid-capture.
   */
  setTimeBase(firstSec: number, firstNsec: number, prevSec: number, prevNsec: number): void {
    const p = this.packet;
    this.started = true;
    p.firstSec = firstSec;
    p.firstNsec = firstNsec;
    p.prevSec = prevSec;
    p.prevNsec = prevNsec;
  }

  /**
   * Passes over a record without dissecting it (a display filter's prefilter ruled it out): the
   * time references move on as if it had been dissected, so frame.time_delta of the next
   * dissected frame is still measured from the frame just before it in the capture.
   */
  skip(rec: PacketRecord): void {
    const p = this.packet;
    if (!this.started) {
      this.started = true;
      p.firstSec = rec.tsSec;
      p.firstNsec = rec.tsNsec;
    }
    p.prevSec = rec.tsSec;
    p.prevNsec = rec.tsNsec;
  }

  /**
   * Dissects the current frame again (the bytes handed to the last dissect call must still be
   * valid), materialising `want` (null: everything) and the columns when `columns`. Time
   * references see it as the same frame. Post-dissectors are not run again (they may keep
   * state, like the session correlator): a run with post-dissectors materialises what it needs
   * in the first pass instead.
   */
  redissect(want: Uint8Array | null = null, columns = true): Packet {
    const p = this.packet;
    p.prevSec = this.prevSec;
    p.prevNsec = this.prevNsec;
    this.run(want, columns, false);
    return p;
  }

  /** True when post-dissectors are installed (see redissect). */
  get hasPostDissectors(): boolean {
    return this.post.length > 0;
  }

  private run(want: Uint8Array | null, columns: boolean, post = true): void {
    const p = this.packet;
    p.reset();
    this.load(p, want, columns);
    let frame = this.frame;
    if (frame === undefined) {
      frame = this.frame = frameTable.get(0);
      if (frame === undefined) throw new Error('no frame dissector registered (import src/dissectors/index.js)');
    }
    p.call(frame, 0, p.origlen, -1);
    if (post) {
      const hooks = this.post;
      for (let i = 0; i < hooks.length; i++) hooks[i]!(p);
    }
    p.prevSec = this.curSec;
    p.prevNsec = this.curNsec;
  }
}
