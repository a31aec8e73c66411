/**
 * Compiles the typed IR into a tree of closures, specialised once by type and operator.
 *
 * Per frame nothing is allocated (except by `matches`, upper()/lower()/string() and computed
 * string fields, which need JavaScript strings). Two evaluation paths:
 *  - fast: a plain field (no layer) against constants (`gre.key == 0x1001`, `ip.src == 10.0.0.0/8`,
 *    `gre.key in {1, 10..20}`, presence): one pass over the field table for that field id,
 *    comparing each occurrence as it is found;
 *  - general: every value fills a preallocated register (numbers, or byte views into the
 *    frame / a reused arena) and the test runs over the pairs, with Wireshark 4.0's any/all
 *    semantics.
 */
import { typeWidth, type FieldDef } from '../engine/fields.js';
import type { Packet } from '../engine/packet.js';
import { fieldText } from '../output/format.js';
import { arithNum } from './check.js';
import type { Cls, Dom, ITest, IVal, LayerRange, Quant, Rel, SliceRange } from './ir.js';
import { Arena, V, isPlainUint, layerOf, numReader, readEther, readIPv4, readPlainUint, viewNode, viewString, type NumReader } from './read.js';

export type Test = (p: Packet) => boolean;

const EMPTY = new Uint8Array(0);
const FULL = 0xffffffff;

/** A register: the values of one operand in the current frame. */
class Vals {
  n = 0;
  num = new Float64Array(4);
  b: Uint8Array[] = [EMPTY, EMPTY, EMPTY, EMPTY];
  o = new Int32Array(4);
  l = new Int32Array(4);
  readonly arena = new Arena();

  reset(): void {
    this.n = 0;
    this.arena.used = 0;
  }
  private grow(): void {
    const cap = this.num.length * 2;
    const num = new Float64Array(cap);
    num.set(this.num);
    this.num = num;
    const o = new Int32Array(cap);
    o.set(this.o);
    this.o = o;
    const l = new Int32Array(cap);
    l.set(this.l);
    this.l = l;
    while (this.b.length < cap) this.b.push(EMPTY);
  }
  pushNum(v: number): void {
    if (this.n === this.num.length) this.grow();
    this.num[this.n++] = v;
  }
  pushView(b: Uint8Array, o: number, l: number): void {
    if (this.n === this.num.length) this.grow();
    const k = this.n++;
    this.b[k] = b;
    this.o[k] = o;
    this.l[k] = l;
  }
  /** Pushes the current view V. */
  pushV(): void {
    this.pushView(V.b, V.o, V.l);
  }
}

/** An operand: `run` fills `vals` and returns false when the operand is absent. */
interface Ev {
  vals: Vals;
  run: (p: Packet) => boolean;
}

// ------------------------------------------------------------------ comparisons

function memcmp(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  const n = al < bl ? al : bl;
  for (let k = 0; k < n; k++) {
    const d = a[ao + k]! - b[bo + k]!;
    if (d !== 0) return d;
  }
  return al - bl;
}

/** Compares the first `prefix` bits of a 16-byte address with `c`. */
function cmpPrefix(a: Uint8Array, ao: number, al: number, c: Uint8Array, prefix: number): number {
  if (al !== 16) return memcmp(a, ao, al, c, 0, c.length);
  const full = prefix >> 3;
  for (let k = 0; k < full; k++) {
    const d = a[ao + k]! - c[k]!;
    if (d !== 0) return d;
  }
  const rem = prefix & 7;
  if (rem) {
    const m = (0xff << (8 - rem)) & 0xff;
    return (a[ao + full]! & m) - (c[full]! & m);
  }
  return 0;
}

function indexOfBytes(h: Uint8Array, ho: number, hl: number, n: Uint8Array, no: number, nl: number): boolean {
  if (nl === 0) return true;
  const first = n[no]!;
  outer: for (let i = ho, last = ho + hl - nl; i <= last; i++) {
    if (h[i] !== first) continue;
    for (let k = 1; k < nl; k++) if (h[i + k] !== n[no + k]) continue outer;
    return true;
  }
  return false;
}

function relHolds(rel: Rel, c: number): boolean {
  switch (rel) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
  }
}

function numCmp(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : 0 / 0;
}

/** Ordering of value i of X against value j of Y in a domain (NaN: incomparable). */
function cmpAt(dom: Dom, X: Vals, i: number, Y: Vals, j: number, mask: number, prefix: number): number {
  if (dom === 'num') {
    const x = X.num[i]!;
    return numCmp(mask !== FULL ? (x & mask) >>> 0 : x, Y.num[j]!);
  }
  if (dom === 'ipv6' && prefix < 128) return cmpPrefix(X.b[i]!, X.o[i]!, X.l[i]!, Y.b[j]!.subarray(Y.o[j]!, Y.o[j]! + Y.l[j]!), prefix);
  return memcmp(X.b[i]!, X.o[i]!, X.l[i]!, Y.b[j]!, Y.o[j]!, Y.l[j]!);
}

/** A predicate on a number, specialised by relation (and IPv4 mask). */
function numPred(rel: Rel, c: number, mask: number): (x: number) => boolean {
  if (mask !== FULL) {
    const inner = numPred(rel, c, FULL);
    return (x) => inner((x & mask) >>> 0);
  }
  switch (rel) {
    case 'eq': return (x) => x === c;
    case 'ne': return (x) => x !== c;
    case 'lt': return (x) => x < c;
    case 'le': return (x) => x <= c;
    case 'gt': return (x) => x > c;
    case 'ge': return (x) => x >= c;
  }
}

const REL_CODE: Record<Rel, number> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

function relNum(r: number, x: number, c: number): boolean {
  switch (r) {
    case 0: return x === c;
    case 1: return x !== c;
    case 2: return x < c;
    case 3: return x <= c;
    case 4: return x > c;
    default: return x >= c;
  }
}

/**
 * Reads occurrence i of a field and compares it with a constant in one function: the common
 * readers are direct calls that inline, so the value never leaves a register (no boxing).
 */
function fastNumPred(def: FieldDef, cls: Cls, rel: Rel, c: number, mask: number): NodePred {
  const r = REL_CODE[rel];
  if (cls === 'ipv4') {
    if (mask !== FULL) return (p, i) => relNum(r, (readIPv4(p, i) & mask) >>> 0, c);
    return (p, i) => relNum(r, readIPv4(p, i), c);
  }
  if (cls === 'ether') return (p, i) => relNum(r, readEther(p, i), c);
  if (isPlainUint(def)) return (p, i) => relNum(r, readPlainUint(p, i), c);
  const rd = numReader(def, cls);
  const pred = numPred(rel, c, mask);
  return (p, i) => pred(rd(p, i));
}

// ------------------------------------------------------------------ quantified scans

/** Predicate on one occurrence (node index) of a field. */
type NodePred = (p: Packet, i: number) => boolean;

/**
 * One pass over the field table for `fid`, applying `pred` to each occurrence as found:
 *   any      some occurrence satisfies pred
 *   none     the field is present and no occurrence satisfies pred   (!=)
 *   all      the field is present and every occurrence satisfies pred (===, all)
 *   notall   some occurrence fails pred                               (!==)
 */
function scan(fid: number, mode: 'any' | 'none' | 'all' | 'notall', pred: NodePred): Test {
  switch (mode) {
    case 'any':
      return (p) => {
        const t = p.tree;
        const f = t.fid;
        for (let i = 0, n = t.count; i < n; i++) if (f[i] === fid && pred(p, i)) return true;
        return false;
      };
    case 'none':
      return (p) => {
        const t = p.tree;
        const f = t.fid;
        let seen = false;
        for (let i = 0, n = t.count; i < n; i++) {
          if (f[i] !== fid) continue;
          if (pred(p, i)) return false;
          seen = true;
        }
        return seen;
      };
    case 'all':
      return (p) => {
        const t = p.tree;
        const f = t.fid;
        let seen = false;
        for (let i = 0, n = t.count; i < n; i++) {
          if (f[i] !== fid) continue;
          if (!pred(p, i)) return false;
          seen = true;
        }
        return seen;
      };
    case 'notall':
      return (p) => {
        const t = p.tree;
        const f = t.fid;
        for (let i = 0, n = t.count; i < n; i++) if (f[i] === fid && !pred(p, i)) return true;
        return false;
      };
  }
}

function scanMode(quant: Quant, neg: boolean): 'any' | 'none' | 'all' | 'notall' {
  if (quant === 'any') return neg ? 'none' : 'any';
  return neg ? 'notall' : 'all';
}

// ------------------------------------------------------------------ values

function inLayers(layer: number, ls: LayerRange[]): boolean {
  for (let k = 0; k < ls.length; k++) if (layer >= ls[k]!.lo && layer <= ls[k]!.hi) return true;
  return false;
}

/** Iterates the occurrences of a field (with its layer selection); returns false if none. */
function forEachNode(iv: Extract<IVal, { k: 'field' | 'slice' }>, fn: (p: Packet, i: number) => void): (p: Packet) => boolean {
  const fid = iv.def.id;
  const layers = iv.layers;
  if (!layers) {
    return (p) => {
      const t = p.tree;
      const f = t.fid;
      let found = false;
      for (let i = 0, n = t.count; i < n; i++) {
        if (f[i] !== fid) continue;
        found = true;
        fn(p, i);
      }
      return found;
    };
  }
  return (p) => {
    const t = p.tree;
    const f = t.fid;
    let found = false;
    for (let i = 0, n = t.count; i < n; i++) {
      if (f[i] !== fid || !inLayers(layerOf(p, i), layers)) continue;
      found = true;
      fn(p, i);
    }
    return found;
  };
}

let SS = 0;
let SE = 0;
/** Bounds of one slice part in a value of length L into SS/SE; false if out of range. */
function sliceBounds(r: SliceRange, L: number): boolean {
  const s = r.start < 0 ? L + r.start : r.start;
  let e: number;
  if (r.kind === 'len') e = s + r.n;
  else if (r.kind === 'end') e = (r.n < 0 ? L + r.n : r.n) + 1;
  else e = L;
  if (s < 0 || e > L || s >= e) return false;
  SS = s;
  SE = e;
  return true;
}

function compileVal(iv: IVal): Ev {
  const vals = new Vals();
  switch (iv.k) {
    case 'const': {
      if (iv.dom === 'num') vals.pushNum(iv.num);
      else vals.pushView(iv.bytes!, 0, iv.bytes!.length);
      return { vals, run: () => true };
    }
    case 'field': {
      const def = iv.def;
      const cls = iv.cls;
      if (iv.dom === 'num') {
        const rd = numReader(def, cls);
        const each = forEachNode(iv, (p, i) => vals.pushNum(rd(p, i)));
        return { vals, run: (p) => (vals.reset(), each(p)) };
      }
      const arena = vals.arena;
      if (iv.toEnd) {
        const each = forEachNode(iv, (p, i) => {
          const off = p.tree.off[i]!;
          if (off < 0 || off >= p.caplen) vals.pushView(EMPTY, 0, 0);
          else vals.pushView(p.data, p.base + off, p.caplen - off);
        });
        return { vals, run: (p) => (vals.reset(), each(p)) };
      }
      const each = forEachNode(iv, (p, i) => {
        viewNode(p, i, def, cls, arena);
        vals.pushV();
      });
      return { vals, run: (p) => (vals.reset(), each(p)) };
    }
    case 'slice': {
      const def = iv.def;
      const cls = iv.srcCls;
      const ranges = iv.ranges;
      const arena = vals.arena;
      const single = ranges.length === 1 ? ranges[0]! : null;
      const each = forEachNode(iv, (p, i) => {
        viewNode(p, i, def, cls, arena);
        const b = V.b;
        const o = V.o;
        const L = V.l;
        if (single) {
          if (sliceBounds(single, L)) vals.pushView(b, o + SS, SE - SS);
          return;
        }
        let total = 0;
        for (let k = 0; k < ranges.length; k++) {
          if (!sliceBounds(ranges[k]!, L)) return;
          total += SE - SS;
        }
        const at = arena.alloc(total);
        const dst = arena.buf;
        let w = at;
        for (let k = 0; k < ranges.length; k++) {
          sliceBounds(ranges[k]!, L);
          dst.set(b.subarray(o + SS, o + SE), w);
          w += SE - SS;
        }
        vals.pushView(dst, at, total);
      });
      return { vals, run: (p) => (vals.reset(), each(p)) };
    }
    case 'func':
      return compileFunc(iv, vals);
    case 'neg': {
      const A = compileVal(iv.a);
      return {
        vals,
        run: (p) => {
          vals.reset();
          if (!A.run(p)) return false;
          for (let i = 0; i < A.vals.n; i++) vals.pushNum(-A.vals.num[i]!);
          return true;
        },
      };
    }
    case 'arith': {
      const A = compileVal(iv.a);
      const B = compileVal(iv.b);
      const op = iv.op;
      const intMath = iv.intMath;
      if (iv.dom === 'bytes') {
        // bitwise and of byte strings: as long as the shorter operand
        return {
          vals,
          run: (p) => {
            vals.reset();
            if (!A.run(p) || !B.run(p)) return false;
            const X = A.vals;
            const Y = B.vals;
            for (let i = 0; i < X.n; i++) {
              for (let j = 0; j < Y.n; j++) {
                const len = Math.min(X.l[i]!, Y.l[j]!);
                const at = vals.arena.alloc(len);
                const d = vals.arena.buf;
                const xb = X.b[i]!, xo = X.o[i]!, yb = Y.b[j]!, yo = Y.o[j]!;
                for (let k = 0; k < len; k++) d[at + k] = xb[xo + k]! & yb[yo + k]!;
                vals.pushView(d, at, len);
              }
            }
            return true;
          },
        };
      }
      return {
        vals,
        run: (p) => {
          vals.reset();
          if (!A.run(p) || !B.run(p)) return false;
          const X = A.vals;
          const Y = B.vals;
          for (let i = 0; i < X.n; i++) {
            for (let j = 0; j < Y.n; j++) {
              const r = arithNum(op, X.num[i]!, Y.num[j]!, intMath);
              if (r === r) vals.pushNum(r); // NaN (division by zero): no value
            }
          }
          return true;
        },
      };
    }
  }
}

const utf8 = new TextDecoder();

function compileFunc(iv: Extract<IVal, { k: 'func' }>, vals: Vals): Ev {
  switch (iv.fn) {
    case 'len': {
      const f = iv.args[0] as Extract<IVal, { k: 'field' }>;
      const def = f.def;
      const cls = f.cls;
      const width = typeWidth(def.type);
      const arena = vals.arena;
      const each = forEachNode(f, (p, i) => {
        if (cls === 'string') {
          viewNode(p, i, def, cls, arena);
          vals.pushNum(V.l);
        } else {
          const l = p.tree.len[i]!;
          vals.pushNum(l > 0 ? l : width);
        }
      });
      return { vals, run: (p) => (vals.reset(), each(p)) };
    }
    case 'count': {
      const f = iv.args[0] as Extract<IVal, { k: 'field' }>;
      let c = 0;
      const each = forEachNode(f, () => {
        c++;
      });
      return {
        vals,
        run: (p) => {
          vals.reset();
          c = 0;
          if (!each(p)) return false;
          vals.pushNum(c);
          return true;
        },
      };
    }
    case 'string': {
      const f = iv.args[0] as Extract<IVal, { k: 'field' }>;
      const rd: NumReader | null = f.cls === 'int' || f.cls === 'float' ? numReader(f.def, f.cls) : null;
      const arena = vals.arena;
      const each = forEachNode(f, (p, i) => {
        viewString(rd ? String(rd(p, i)) : fieldText(p, i), arena);
        vals.pushV();
      });
      return { vals, run: (p) => (vals.reset(), each(p)) };
    }
    case 'upper':
    case 'lower': {
      const A = compileVal(iv.args[0]!);
      const up = iv.fn === 'upper';
      return {
        vals,
        run: (p) => {
          vals.reset();
          if (!A.run(p)) return false;
          const X = A.vals;
          for (let i = 0; i < X.n; i++) {
            const s = utf8.decode(X.b[i]!.subarray(X.o[i]!, X.o[i]! + X.l[i]!));
            viewString(up ? s.toUpperCase() : s.toLowerCase(), vals.arena);
            vals.pushV();
          }
          return true;
        },
      };
    }
    case 'abs': {
      const A = compileVal(iv.args[0]!);
      return {
        vals,
        run: (p) => {
          vals.reset();
          if (!A.run(p)) return false;
          for (let i = 0; i < A.vals.n; i++) vals.pushNum(Math.abs(A.vals.num[i]!));
          return true;
        },
      };
    }
    case 'max':
    case 'min': {
      const args = iv.args.map(compileVal);
      const isMax = iv.fn === 'max';
      return {
        vals,
        run: (p) => {
          vals.reset();
          let have = false;
          let best = 0;
          for (let k = 0; k < args.length; k++) {
            const A = args[k]!;
            if (!A.run(p)) continue;
            for (let i = 0; i < A.vals.n; i++) {
              const x = A.vals.num[i]!;
              if (!have || (isMax ? x > best : x < best)) best = x;
              have = true;
            }
          }
          if (!have) return false;
          vals.pushNum(best);
          return true;
        },
      };
    }
  }
}

// ------------------------------------------------------------------ tests

export function compileTest(t: ITest): Test {
  switch (t.k) {
    case 'true':
      return () => true;
    case 'and': {
      const a = compileTest(t.a);
      const b = compileTest(t.b);
      return (p) => a(p) && b(p);
    }
    case 'or': {
      const a = compileTest(t.a);
      const b = compileTest(t.b);
      return (p) => a(p) || b(p);
    }
    case 'not': {
      const a = compileTest(t.a);
      return (p) => !a(p);
    }
    case 'exists':
      return compileExists(t.v);
    case 'cmp':
      return compileCmp(t);
    case 'contains':
      return compileContains(t);
    case 'matches':
      return compileMatches(t);
    case 'in':
      return compileIn(t);
  }
}

function compileExists(v: IVal): Test {
  if (v.k === 'field' && !v.layers) {
    const fid = v.def.id;
    return (p) => {
      const t = p.tree;
      const f = t.fid;
      for (let i = 0, n = t.count; i < n; i++) if (f[i] === fid) return true;
      return false;
    };
  }
  const E = compileVal(v);
  const X = E.vals;
  if (v.k === 'field' || v.k === 'slice') return (p) => E.run(p) && X.n > 0;
  if (v.dom === 'num') {
    return (p) => {
      if (!E.run(p)) return false;
      for (let i = 0; i < X.n; i++) if (X.num[i] !== 0 && X.num[i] === X.num[i]) return true;
      return false;
    };
  }
  return (p) => {
    if (!E.run(p)) return false;
    for (let i = 0; i < X.n; i++) {
      const b = X.b[i]!;
      for (let k = X.o[i]!, e = k + X.l[i]!; k < e; k++) if (b[k] !== 0) return true;
    }
    return false;
  };
}

function compileCmp(t: Extract<ITest, { k: 'cmp' }>): Test {
  const { a, b, rel, quant, neg } = t;
  if (a.k === 'field' && !a.layers && b.k === 'const') {
    // fast path: one pass over the table for the field, comparing each occurrence as found
    const def = a.def;
    const cls = a.cls;
    const mode = scanMode(quant, neg);
    if (t.dom === 'num') {
      return scan(def.id, mode, fastNumPred(def, cls, rel, b.num, b.mask));
    }
    const c = b.bytes!;
    const arena = new Arena();
    if (t.dom === 'ipv6' && b.prefix < 128) {
      const prefix = b.prefix;
      return scan(def.id, mode, (p, i) => {
        arena.used = 0;
        viewNode(p, i, def, cls, arena);
        return relHolds(rel, cmpPrefix(V.b, V.o, V.l, c, prefix));
      });
    }
    if (rel === 'eq') {
      const cl = c.length;
      return scan(def.id, mode, (p, i) => {
        arena.used = 0;
        viewNode(p, i, def, cls, arena);
        return V.l === cl && memcmp(V.b, V.o, V.l, c, 0, cl) === 0;
      });
    }
    return scan(def.id, mode, (p, i) => {
      arena.used = 0;
      viewNode(p, i, def, cls, arena);
      return relHolds(rel, memcmp(V.b, V.o, V.l, c, 0, c.length));
    });
  }
  const A = compileVal(a);
  const B = compileVal(b);
  const X = A.vals;
  const Y = B.vals;
  const dom = t.dom;
  const mask = b.k === 'const' ? b.mask : FULL;
  const prefix = b.k === 'const' ? b.prefix : 128;
  return (p) => {
    if (!A.run(p) || !B.run(p)) return false;
    let r: boolean;
    if (quant === 'any') {
      r = false;
      outer: for (let i = 0; i < X.n; i++) {
        for (let j = 0; j < Y.n; j++) {
          if (relHolds(rel, cmpAt(dom, X, i, Y, j, mask, prefix))) {
            r = true;
            break outer;
          }
        }
      }
    } else {
      r = X.n > 0 && Y.n > 0;
      outer: for (let i = 0; i < X.n; i++) {
        for (let j = 0; j < Y.n; j++) {
          if (!relHolds(rel, cmpAt(dom, X, i, Y, j, mask, prefix))) {
            r = false;
            break outer;
          }
        }
      }
    }
    return neg ? !r : r;
  };
}

function compileContains(t: Extract<ITest, { k: 'contains' }>): Test {
  const A = compileVal(t.a);
  const B = compileVal(t.b);
  const X = A.vals;
  const Y = B.vals;
  const any = t.quant === 'any';
  return (p) => {
    if (!A.run(p) || !B.run(p)) return false;
    let seen = false;
    for (let i = 0; i < X.n; i++) {
      for (let j = 0; j < Y.n; j++) {
        const hit = indexOfBytes(X.b[i]!, X.o[i]!, X.l[i]!, Y.b[j]!, Y.o[j]!, Y.l[j]!);
        if (any && hit) return true;
        if (!any && !hit) return false;
        seen = true;
      }
    }
    return any ? false : seen;
  };
}

function compileMatches(t: Extract<ITest, { k: 'matches' }>): Test {
  const A = compileVal(t.a);
  const X = A.vals;
  const re = t.re;
  const latin1 = t.latin1;
  const any = t.quant === 'any';
  return (p) => {
    if (!A.run(p)) return false;
    for (let i = 0; i < X.n; i++) {
      const b = X.b[i]!;
      const s = latin1 ? Buffer.from(b.buffer, b.byteOffset + X.o[i]!, X.l[i]!).toString('latin1') : utf8.decode(b.subarray(X.o[i]!, X.o[i]! + X.l[i]!));
      const hit = re.test(s);
      if (any && hit) return true;
      if (!any && !hit) return false;
    }
    return any ? false : X.n > 0;
  };
}

function compileIn(t: Extract<ITest, { k: 'in' }>): Test {
  const a = t.a;
  const mode = t.quant === 'any' ? 'any' : 'all';
  const allConst = t.items.every((it) => it.lo.k === 'const' && (!it.hi || it.hi.k === 'const'));
  if (a.k === 'field' && !a.layers && allConst && t.dom === 'num') {
    const n = t.items.length;
    const lo = new Float64Array(n);
    const hi = new Float64Array(n);
    const masks = new Float64Array(n);
    t.items.forEach((it, k) => {
      const l = it.lo as Extract<IVal, { k: 'const' }>;
      const h = (it.hi ?? it.lo) as Extract<IVal, { k: 'const' }>;
      lo[k] = l.num;
      hi[k] = h.num;
      masks[k] = l.mask;
    });
    const rd = numReader(a.def, a.cls);
    // direct calls to the common readers inline (no boxed value); others go through rd
    const kind = a.cls === 'ipv4' ? 1 : isPlainUint(a.def) ? 2 : 0;
    return scan(a.def.id, mode, (p, i) => {
      const x = kind === 1 ? readIPv4(p, i) : kind === 2 ? readPlainUint(p, i) : rd(p, i);
      for (let k = 0; k < n; k++) {
        const m = masks[k]!;
        const v = m !== FULL ? (x & m) >>> 0 : x;
        if (v >= lo[k]! && v <= hi[k]!) return true;
      }
      return false;
    });
  }
  const A = compileVal(a);
  const X = A.vals;
  const dom = t.dom;
  const items = t.items.map((it) => ({
    lo: compileVal(it.lo),
    hi: it.hi ? compileVal(it.hi) : null,
    mask: it.lo.k === 'const' ? it.lo.mask : FULL,
    prefix: it.lo.k === 'const' ? it.lo.prefix : 128,
  }));
  const member = (p: Packet, i: number): boolean => {
    for (let k = 0; k < items.length; k++) {
      const it = items[k]!;
      if (!it.lo.run(p)) continue;
      const L = it.lo.vals;
      if (!it.hi) {
        for (let j = 0; j < L.n; j++) if (cmpAt(dom, X, i, L, j, it.mask, it.prefix) === 0) return true;
        continue;
      }
      if (!it.hi.run(p)) continue;
      const H = it.hi.vals;
      for (let j = 0; j < L.n; j++) {
        if (!(cmpAt(dom, X, i, L, j, FULL, 128) >= 0)) continue;
        for (let m = 0; m < H.n; m++) if (cmpAt(dom, X, i, H, m, FULL, 128) <= 0) return true;
      }
    }
    return false;
  };
  return (p) => {
    if (!A.run(p)) return false;
    if (mode === 'any') {
      for (let i = 0; i < X.n; i++) if (member(p, i)) return true;
      return false;
    }
    for (let i = 0; i < X.n; i++) if (!member(p, i)) return false;
    return X.n > 0;
  };
}
