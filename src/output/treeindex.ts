/**
 * First-child / next-sibling links over a frame's flat field table, and the expert items of each
 * node, in reused typed arrays (no allocation per frame). Used by the tree printers (-V, json,
 * ek) and the library's `frame.tree()`. Children keep their insertion order.
 */
import type { Packet } from '../engine/packet.js';

export class TreeIndex {
  firstChild = new Int32Array(256);
  lastChild = new Int32Array(256);
  nextSibling = new Int32Array(256);
  /** First root node (parent -1), -1 if none; roots are linked by nextSibling. */
  firstRoot = -1;
  /** Expert items by node: first item index, next item index (-1 ends). */
  expFirst = new Int32Array(256);
  expNext = new Int32Array(16);
  private expLast = new Int32Array(256);
  /** Expert items attached to the frame (node -1 or an unknown node). */
  frameExpFirst = -1;
  count = 0;

  build(p: Packet): this {
    const t = p.tree;
    const n = t.count;
    if (n > this.firstChild.length) {
      const cap = Math.max(n, this.firstChild.length * 2);
      this.firstChild = new Int32Array(cap);
      this.lastChild = new Int32Array(cap);
      this.nextSibling = new Int32Array(cap);
      this.expFirst = new Int32Array(cap);
      this.expLast = new Int32Array(cap);
    }
    const fc = this.firstChild;
    const lc = this.lastChild;
    const ns = this.nextSibling;
    fc.fill(-1, 0, n);
    lc.fill(-1, 0, n);
    ns.fill(-1, 0, n);
    this.expFirst.fill(-1, 0, n);
    let lastRoot = -1;
    this.firstRoot = -1;
    for (let i = 0; i < n; i++) {
      const par = t.parent[i]!;
      if (par < 0 || par >= n || par === i) {
        if (lastRoot < 0) this.firstRoot = i;
        else ns[lastRoot] = i;
        lastRoot = i;
      } else {
        if (lc[par]! < 0) fc[par] = i;
        else ns[lc[par]!] = i;
        lc[par] = i;
      }
    }
    // experts, in insertion order per node
    const ex = p.experts;
    if (ex.count > this.expNext.length) this.expNext = new Int32Array(Math.max(ex.count, this.expNext.length * 2));
    const en = this.expNext;
    this.frameExpFirst = -1;
    let frameLast = -1;
    const el = this.expLast;
    for (let i = 0; i < ex.count; i++) {
      en[i] = -1;
      const node = ex.node[i]!;
      if (node < 0 || node >= n) {
        if (frameLast < 0) this.frameExpFirst = i;
        else en[frameLast] = i;
        frameLast = i;
        continue;
      }
      if (this.expFirst[node]! < 0) this.expFirst[node] = i;
      else en[el[node]!] = i;
      el[node] = i;
    }
    this.count = n;
    return this;
  }
}
