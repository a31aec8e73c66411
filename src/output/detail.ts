/**
 * The full protocol tree of a frame (`-V`), laid out as tshark: one line per visible node,
 * four spaces of indentation per level, expert items inline under the item they are about
 * ("[Expert Info (Error/Checksum): …]" with message, severity, group and, for lint rules, the
 * rule id), hidden items left out. Children links are built only for frames printed in detail.
 */
import { HIDDEN, type Packet } from '../engine/packet.js';
import { fieldByName } from '../engine/fields.js';
import { EXPERT } from '../engine/builtin.js';
import { expertDef, formatExpert, type ExpertGroup, type ExpertSeverity } from '../engine/expert.js';
import type { TextBuf } from '../engine/textbuf.js';
import { flushLines, queueLines, writeNodeLine } from './format.js';
import { TreeIndex } from './treeindex.js';
import { writeHexDump } from './hexdump.js';
import type { SummaryColors } from './summary.js';
import { putSpaces } from './buf.js';

export const SEVERITY_NAME: Record<ExpertSeverity, string> = { chat: 'Chat', note: 'Note', warning: 'Warning', error: 'Error' };
export const GROUP_NAME: Record<ExpertGroup, string> = {
  malformed: 'Malformed',
  checksum: 'Checksum',
  protocol: 'Protocol',
  sequence: 'Sequence',
  undecoded: 'Undecoded',
  reassemble: 'Reassemble',
  comment: 'Comment',
  debug: 'Debug',
};

/** The message of expert item `i` of the frame. */
export function expertMessage(p: Packet, i: number): string {
  return formatExpert(expertDef(p.experts.id[i]!), p.experts.args[2 * i], p.experts.args[2 * i + 1]);
}

/** True for expert items the tree shows (the snaplen item is already the node's own label). */
export function expertShown(p: Packet, i: number): boolean {
  return p.experts.id[i] !== EXPERT.short;
}

export interface DetailOptions {
  /** Print a hex dump under the "data" protocol, as tshark -V does when -x is not given. */
  hexForData?: boolean;
  /** Colour expert lines by severity (terminal output only). */
  colors?: SummaryColors | null;
}

export class DetailWriter {
  readonly index = new TreeIndex();
  private readonly dataFid: number;

  constructor(private readonly opts: DetailOptions = {}) {
    this.dataFid = fieldByName('data')?.id ?? -2;
  }

  private depth = new Int32Array(256);
  private stack = new Int32Array(256);

  /** Appends the tree of `p` (no trailing blank line). */
  write(out: TextBuf, p: Packet): void {
    if (p.experts.count === 0 && this.linear(out, p)) return;
    const ix = this.index.build(p);
    for (let n = ix.firstRoot; n >= 0; n = ix.nextSibling[n]!) this.node(out, p, n, 0);
    for (let e = ix.frameExpFirst; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) this.expert(out, p, e, 0);
  }

  /**
   * The common case without building child lists: when the table is in pre-order (every node's
   * parent is on the path to the node before it), printing in table order is the tree walk.
   * Returns false (having written nothing) when the table is not in pre-order.
   */
  private linear(out: TextBuf, p: Packet): boolean {
    const t = p.tree;
    const n = t.count;
    if (n > this.depth.length) {
      this.depth = new Int32Array(Math.max(n, this.depth.length * 2));
      this.stack = new Int32Array(this.depth.length);
    }
    const depth = this.depth;
    const stack = this.stack;
    const dataFid = this.dataFid;
    const hexForData = this.opts.hexForData === true;
    // one pass: lines are written as the walk goes, and taken back if the table turns out not
    // to be in pre-order; cached lines are queued and copied a run at a time (queueLines)
    const start = out.len;
    queueLines(out);
    try {
      return this.walk(out, p, t, n, start, depth, stack, dataFid, hexForData);
    } finally {
      queueLines(null);
    }
  }

  private walk(out: TextBuf, p: Packet, t: Packet['tree'], n: number, start: number, depth: Int32Array, stack: Int32Array, dataFid: number, hexForData: boolean): boolean {
    let sp = 0;
    for (let i = 0; i < n; i++) {
      const par = t.parent[i]!;
      if (par < 0) sp = 0;
      else {
        while (sp > 0 && stack[sp - 1] !== par) sp--;
        if (sp === 0) {
          out.len = start;
          return false;
        }
      }
      stack[sp++] = i;
      // a hidden node hides its subtree: mark with a negative depth
      if ((t.flags[i]! & HIDDEN) !== 0 || (par >= 0 && depth[par]! < 0)) {
        depth[i] = -1;
        continue;
      }
      depth[i] = sp - 1;
      writeNodeLine(out, p, i, sp - 1);
      if (hexForData && t.fid[i] === dataFid) {
        flushLines(out);
        this.dataHex(out, p, i);
      }
    }
    flushLines(out);
    return true;
  }

  private dataHex(out: TextBuf, p: Packet, n: number): void {
    const off = p.tree.off[n]!;
    const len = Math.min(p.tree.len[n]!, p.caplen - off);
    if (off >= 0 && len > 0) {
      out.byte(10);
      writeHexDump(out, p.data, p.base + off, len);
    }
  }

  private node(out: TextBuf, p: Packet, n: number, level: number): void {
    const t = p.tree;
    if (t.flags[n]! & HIDDEN) return;
    writeNodeLine(out, p, n, level);
    const ix = this.index;
    if (this.opts.hexForData && t.fid[n] === this.dataFid) this.dataHex(out, p, n);
    for (let e = ix.expFirst[n]!; e >= 0; e = ix.expNext[e]!) if (expertShown(p, e)) this.expert(out, p, e, level + 1);
    for (let c = ix.firstChild[n]!; c >= 0; c = ix.nextSibling[c]!) this.node(out, p, c, level + 1);
  }

  private expert(out: TextBuf, p: Packet, i: number, level: number): void {
    const def = expertDef(p.experts.id[i]!);
    const msg = expertMessage(p, i);
    indent(out, level);
    const c = this.opts.colors ? (def.severity === 'error' ? this.opts.colors.error : def.severity === 'warning' ? this.opts.colors.warning : null) : null;
    out.str(`${c ? c[0] : ''}[Expert Info (${SEVERITY_NAME[def.severity]}/${GROUP_NAME[def.group]}): ${msg}]${c ? c[1] : ''}\n`);
    indent(out, level + 1);
    out.str(`[${msg}]\n`);
    indent(out, level + 1);
    out.str(`[Severity level: ${SEVERITY_NAME[def.severity]}]\n`);
    indent(out, level + 1);
    out.str(`[Group: ${GROUP_NAME[def.group]}]\n`);
    if (def.rule) {
      indent(out, level + 1);
      out.str(`[Rule: ${def.rule}]\n`);
    }
  }
}

function indent(out: TextBuf, level: number): void {
  putSpaces(out, level * 4);
}
