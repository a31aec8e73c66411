/**
 * The frame pipeline: a capture record in, a dissected Packet out (the same Packet object,
 * reused). Link layers are found in the "link.type" table; the frame protocol is dissector
 * "frame" in the "frame" table, registered by src/dissectors/frame.
 */
import type { PacketRecord } from '../capture/types.js';
import { table } from './dispatch.js';
import { Packet } from './packet.js';

/** Hooks run after every frame is dissected (the session correlator's generated fields). */
export type PostDissector = (p: Packet) => void;

export interface PipelineOptions {
  debug?: boolean;
}

export class Pipeline {
  readonly packet = new Packet();
  private readonly post: PostDissector[] = [];
  private started = false;

  constructor(opts: PipelineOptions = {}) {
    this.packet.debug = opts.debug ?? false;
  }

  addPostDissector(fn: PostDissector): void {
    this.post.push(fn);
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
    p.reset();
    p.data = data;
    p.base = offset;
    p.caplen = caplen;
    p.origlen = origlen < caplen ? caplen : origlen;
    p.linkType = linkType;
    p.number = frameNumber;
    p.tsSec = tsSec;
    p.tsNsec = tsNsec;
    p.interfaceId = interfaceId;
    p.comments = comments;
    if (!this.started) {
      this.started = true;
      p.firstSec = p.prevSec = tsSec;
      p.firstNsec = p.prevNsec = tsNsec;
    }
    const frame = table('frame', 1).get(0);
    if (!frame) throw new Error('no frame dissector registered (import src/dissectors/index.js)');
    p.call(frame, 0, p.origlen, -1);
    for (let i = 0; i < this.post.length; i++) this.post[i]!(p);
    p.prevSec = tsSec;
    p.prevNsec = tsNsec;
    return p;
  }
}
