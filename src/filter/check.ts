/**
 * Semantic check of a parsed filter against the field registry: resolves words to fields or
 * literals, converts literals to the type of the other side (as Wireshark does: `1.2.3.4` is an
 * address next to ip.src and an error next to gre.key), checks operator/type compatibility
 * and produces the typed IR. Every error carries the span of the offending text.
 * No field is known by name here: everything comes from the registry's declarations.
 */
import { fieldByName, type FieldDef, type FieldType } from '../engine/fields.js';
import { fail } from './errors.js';
import type { Cls, Dom, FuncName, ITest, IVal, LayerRange, Quant, Rel, SetElem, SliceRange } from './ir.js';
import type { RangePart } from './lexer.js';
import { etherNumber, parseAbsTime, parseBytes, parseEther, parseFloatLiteral, parseInteger, parseIPv4, parseIPv6, parseRelTime } from './literals.js';
import type { Expr, Span, Val } from './parser.js';
import { compilePcre } from './regex.js';

export function clsOf(t: FieldType): Cls {
  switch (t) {
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'uint64':
    case 'int8': case 'int16': case 'int32': case 'framenum':
      return 'int';
    case 'boolean': return 'bool';
    case 'double': return 'float';
    case 'rel_time': return 'reltime';
    case 'abs_time': return 'abstime';
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'ether': return 'ether';
    case 'bytes': return 'bytes';
    case 'string': return 'string';
    case 'protocol': return 'protocol';
    default: return 'none';
  }
}

export function domOf(c: Cls): Dom {
  switch (c) {
    case 'ipv6': return 'ipv6';
    case 'bytes': case 'protocol': return 'bytes';
    case 'string': return 'string';
    default: return 'num';
  }
}

/** Wireshark's names for field types, used in messages. */
const TYPE_NAMES: Record<FieldType, string> = {
  protocol: 'Protocol', none: 'Label',
  uint8: 'Unsigned integer (1 byte)', uint16: 'Unsigned integer (2 bytes)', uint24: 'Unsigned integer (3 bytes)',
  uint32: 'Unsigned integer (4 bytes)', uint64: 'Unsigned integer (8 bytes)',
  int8: 'Signed integer (1 byte)', int16: 'Signed integer (2 bytes)', int32: 'Signed integer (4 bytes)',
  boolean: 'Boolean', ipv4: 'IPv4 address', ipv6: 'IPv6 address', ether: 'Ethernet or other MAC address',
  bytes: 'Byte sequence', string: 'Character string', framenum: 'Frame number',
  double: 'Floating point (double-precision)', abs_time: 'Date and time', rel_time: 'Time offset',
};
const CLS_NAMES: Record<Cls, string> = {
  int: 'Integer', bool: 'Boolean', float: 'Floating point', reltime: 'Time offset', abstime: 'Date and time',
  ipv4: 'IPv4 address', ipv6: 'IPv6 address', ether: 'Ethernet or other MAC address', bytes: 'Byte sequence',
  string: 'Character string', protocol: 'Protocol', none: 'Label',
};

function typeName(v: IVal): string {
  return v.ft ? TYPE_NAMES[v.ft] : CLS_NAMES[v.cls];
}

const INT_RANGE: Partial<Record<FieldType, [number, number]>> = {
  uint8: [0, 255], uint16: [0, 65535], uint24: [0, 16777215], uint32: [0, 4294967295], uint64: [0, 18446744073709551615],
  framenum: [0, 4294967295],
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
};

/** What a literal is converted to: the type of the value on the other side. */
interface Want {
  cls: Cls;
  dom: Dom;
  ft: FieldType | null;
  /** The field whose value names a literal may use. */
  def: FieldDef | null;
}

function wantOf(v: IVal): Want {
  return { cls: v.cls, dom: v.dom, ft: v.ft, def: v.k === 'field' ? v.def : null };
}

const BYTES_WANT: Want = { cls: 'bytes', dom: 'bytes', ft: 'bytes', def: null };
const STRING_WANT: Want = { cls: 'string', dom: 'string', ft: 'string', def: null };

const SLICEABLE = new Set<Cls>(['bytes', 'protocol', 'string', 'ether', 'ipv4', 'ipv6']);
const BYTESLIKE = new Set<Cls>(['bytes', 'protocol', 'ether']);
const SEARCHABLE = new Set<Cls>(['bytes', 'protocol', 'string', 'ether']);
const ARITH = new Set<Cls>(['int', 'float', 'reltime']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

/** A word that reads as a field name rather than a value (has a letter beyond the hex digits). */
function looksLikeField(text: string): boolean {
  return FIELD_NAME.test(text) && /[g-zG-Z_]/.test(text);
}

const utf8 = new TextEncoder();
const utf8dec = new TextDecoder('utf-8', { fatal: true });

function constVal(dom: Dom, cls: Cls, ft: FieldType | null, o: { num?: number; mask?: number; bytes?: Uint8Array; prefix?: number }): IVal {
  return { k: 'const', dom, cls, ft, num: o.num ?? 0, mask: o.mask ?? 0xffffffff, bytes: o.bytes ?? null, prefix: o.prefix ?? 128 };
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8dec.decode(b);
  } catch {
    return latin1(b);
  }
}

/**
 * The value `contains` and `matches` search. For a protocol Wireshark 4.0 searches the
 * protocol's whole tvb (its header and everything after it: `udp contains "x"` finds the
 * payload) while ==, slices and len() use the protocol item's own length. gretool's closest
 * equivalent: from the protocol's offset to the end of the captured frame.
 */
function searched(v: IVal): IVal {
  return v.k === 'field' && v.cls === 'protocol' ? { ...v, toEnd: true } : v;
}

/** Absolute times in the num domain: microseconds since the epoch (see ir.ts). */
export function absTimeNum(sec: number, nsec: number): number {
  return sec * 1e6 + nsec / 1e3;
}

class Checker {
  readonly fields: number[] = [];
  constructor(private readonly src: string) {}

  private err(msg: string, span: Span): never {
    return fail(this.src, msg, span.start, span.end);
  }
  private text(span: Span): string {
    return this.src.slice(span.start, span.end);
  }
  private notField(text: string, span: Span): never {
    return this.err(`"${text}" is not a valid protocol or field`, span);
  }

  // ------------------------------------------------------------------ tests

  test(e: Expr): ITest {
    switch (e.k) {
      case 'and':
      case 'or':
        return { k: e.k, a: this.test(e.a), b: this.test(e.b) };
      case 'not':
        return { k: 'not', a: this.test(e.a) };
      case 'exists':
        return this.existsTest(e.v);
      case 'cmp':
        if (e.op === 'contains') return this.containsTest(e);
        if (e.op === 'matches') return this.matchesTest(e);
        return this.cmpTest(e);
      case 'in':
        return this.inTest(e);
    }
  }

  private existsTest(v: Val): ITest {
    if (v.k === 'word') {
      const def = fieldByName(v.text);
      if (!def) return this.notField(v.text, { start: v.start, end: v.nameEnd });
      return { k: 'exists', v: this.fieldVal(v, def) };
    }
    if (v.k === 'func') return this.err('You cannot test whether a function is present.', { start: v.start, end: v.nameEnd });
    if (v.k === 'arith' || v.k === 'neg') {
      const iv = this.typeVal(v, null);
      if (!iv || iv.k === 'const') {
        const unknown = this.unknownFieldIn(v);
        if (unknown) return this.notField(unknown.text, { start: unknown.start, end: unknown.nameEnd });
        return this.err(`"${this.text(v)}" is a constant, not a test`, v);
      }
      return { k: 'exists', v: iv };
    }
    if (v.k === 'ref') return this.refError(v);
    return this.err(`${this.text(v)} is neither a field nor a protocol name.`, v);
  }

  private leftSide(v: Val, op: string): IVal {
    const iv = this.typeVal(v, null);
    if (iv) return iv;
    const unknown = this.unknownFieldIn(v);
    if (unknown) return this.notField(unknown.text, { start: unknown.start, end: unknown.nameEnd });
    return this.err(`Left side of "${op}" expression must be a field or function, not ${this.text(v)}.`, v);
  }

  private constantArg(v: Val): never {
    const unknown = this.unknownFieldIn(v);
    if (unknown) return this.notField(unknown.text, { start: unknown.start, end: unknown.nameEnd });
    return this.err('Constant expression is invalid', v);
  }

  /** A word in `v` that looks like a field name but is not registered (for a better message). */
  private unknownFieldIn(v: Val): Extract<Val, { k: 'word' }> | null {
    switch (v.k) {
      case 'word':
        return looksLikeField(v.text) && !fieldByName(v.text) ? v : null;
      case 'arith':
        return this.unknownFieldIn(v.a) ?? this.unknownFieldIn(v.b);
      case 'neg':
        return this.unknownFieldIn(v.a);
      case 'func':
        for (const a of v.args) {
          const u = this.unknownFieldIn(a);
          if (u) return u;
        }
        return null;
      default:
        return null;
    }
  }

  private cmpTest(e: Extract<Expr, { k: 'cmp' }>): ITest {
    const opText = this.text(e.opSpan);
    const lhs = this.leftSide(e.lhs, opText);
    if (lhs.cls === 'none') return this.err(`${this.text(e.lhs)} (type=${typeName(lhs)}) cannot participate in comparisons.`, e.lhs);
    const rhs0 = this.typeVal(e.rhs, wantOf(lhs))!;
    const [a, b] = this.unify(lhs, rhs0, e.lhs, e.rhs);
    let rel: Rel;
    let quant: Quant = 'any';
    let neg = false;
    switch (e.op) {
      case 'any_eq': rel = 'eq'; break;
      case 'all_ne': rel = 'eq'; neg = true; break;
      case 'all_eq': rel = 'eq'; quant = 'all'; break;
      case 'any_ne': rel = 'eq'; quant = 'all'; neg = true; break;
      default: rel = e.op as Rel;
    }
    if (e.mod) {
      // "any"/"all" take precedence over the quantifier of the operator
      quant = e.mod;
      if (neg) rel = 'ne';
      neg = false;
    }
    return { k: 'cmp', rel, quant, neg, a, b, dom: a.dom };
  }

  private containsTest(e: Extract<Expr, { k: 'cmp' }>): ITest {
    const lhs = this.leftSide(e.lhs, 'contains');
    if (!SEARCHABLE.has(lhs.cls)) return this.err(`${this.text(e.lhs)} (type=${typeName(lhs)}) cannot participate in contains comparison.`, e.lhs);
    const a = searched(lhs.dom === 'string' ? lhs : this.asBytes(lhs, e.lhs, e.rhs));
    const b0 = this.typeVal(e.rhs, a.dom === 'string' ? STRING_WANT : BYTES_WANT)!;
    let b = b0;
    if (b0.k !== 'const') {
      if (a.dom === 'string' ? b0.dom !== 'string' : !BYTESLIKE.has(b0.cls)) return this.incompatible(e.lhs, e.rhs);
      if (a.dom === 'bytes') b = this.asBytes(b0, e.lhs, e.rhs);
    }
    return { k: 'contains', quant: e.mod ?? 'any', a, b };
  }

  private matchesTest(e: Extract<Expr, { k: 'cmp' }>): ITest {
    const lhs = this.leftSide(e.lhs, 'matches');
    if (!SEARCHABLE.has(lhs.cls)) return this.err(`${this.text(e.lhs)} (type=${typeName(lhs)}) cannot participate in matches comparison.`, e.lhs);
    if (e.rhs.k !== 'string') return this.err('Matches requires a double quoted string on the right side.', e.rhs);
    const a = searched(lhs.dom === 'string' ? lhs : this.asBytes(lhs, e.lhs, e.rhs));
    const isLatin1 = a.dom !== 'string';
    const pattern = isLatin1 ? latin1(e.rhs.bytes) : decodeUtf8(e.rhs.bytes);
    let re: RegExp;
    try {
      re = compilePcre(pattern);
    } catch (err) {
      return this.err(`Regex compilation error: ${(err as Error).message}.`, e.rhs);
    }
    return { k: 'matches', quant: e.mod ?? 'any', a, re, latin1: isLatin1 };
  }

  private inTest(e: Extract<Expr, { k: 'in' }>): ITest {
    const v = e.lhs;
    if (v.k !== 'word' || v.slice) {
      if (v.k === 'word' && !fieldByName(v.text)) return this.notField(v.text, { start: v.start, end: v.nameEnd });
      return this.err('Only a field may be tested for membership in a set.', v);
    }
    const def = fieldByName(v.text);
    if (!def) return this.notField(v.text, { start: v.start, end: v.nameEnd });
    const a = this.fieldVal(v, def);
    if (a.cls === 'none') return this.err(`${v.text} (type=${typeName(a)}) cannot participate in comparisons.`, v);
    const items: SetElem[] = [];
    for (const it of e.items) {
      const lo = this.unify(a, this.typeVal(it.lo, wantOf(a))!, v, it.lo)[1];
      let hi: IVal | null = null;
      if (it.hi) hi = this.unify(a, this.typeVal(it.hi, wantOf(a))!, v, it.hi)[1];
      if ((lo.dom !== a.dom) || (hi && hi.dom !== a.dom)) return this.incompatible(v, it.lo);
      items.push({ lo, hi });
    }
    const t: ITest = { k: 'in', quant: e.mod ?? 'any', a, items, dom: a.dom };
    return e.negate ? { k: 'not', a: t } : t;
  }

  private incompatible(a: Span, b: Span): never {
    return this.err(`${this.text(a)} and ${this.text(b)} are not of compatible types.`, b);
  }

  private refError(v: Span): never {
    return this.err('Field references (${...}) need a selected packet and are not supported by gretool', v);
  }

  /** Makes two typed values comparable: same domain, or an error. */
  private unify(a: IVal, b: IVal, as: Span, bs: Span): [IVal, IVal] {
    if (b.k === 'const' || a.k === 'const') return [a, b];
    if (a.cls === b.cls) return [a, b];
    if (BYTESLIKE.has(a.cls) && BYTESLIKE.has(b.cls)) return [this.asBytes(a, as, bs), this.asBytes(b, as, bs)];
    return this.incompatible(as, bs);
  }

  /** A byte-like value seen as bytes (MAC addresses are numbers unless compared with bytes). */
  private asBytes(v: IVal, as: Span, bs: Span): IVal {
    if (v.dom === 'bytes') return v;
    if (v.k === 'field' && v.cls === 'ether') return { ...v, dom: 'bytes' };
    return this.incompatible(as, bs);
  }

  // ------------------------------------------------------------------ values

  private fieldVal(v: Extract<Val, { k: 'word' }>, def: FieldDef): IVal {
    if (!this.fields.includes(def.id)) this.fields.push(def.id);
    const cls = clsOf(def.type);
    const layers = v.layer ? this.layers(v.layer) : null;
    if (v.slice) {
      if (!SLICEABLE.has(cls)) return this.err(`"${def.abbrev}" is a ${TYPE_NAMES[def.type]} and cannot be sliced into a sequence of bytes.`, { start: v.start, end: v.nameEnd });
      return { k: 'slice', def, layers, ranges: this.slice(v.slice), dom: 'bytes', cls: 'bytes', srcCls: cls, ft: 'bytes' };
    }
    return { k: 'field', def, layers, dom: domOf(cls), cls, ft: def.type };
  }

  private layers(parts: RangePart[]): LayerRange[] {
    return parts.map((p) => {
      const t = p.text.trim();
      let m: RegExpExecArray | null;
      if ((m = /^(\d+)$/.exec(t))) return { lo: +m[1]!, hi: +m[1]! };
      if ((m = /^(\d+)-(\d+)$/.exec(t))) return { lo: +m[1]!, hi: +m[2]! };
      if ((m = /^(\d+):(\d+)$/.exec(t))) return { lo: +m[1]!, hi: +m[1]! + +m[2]! - 1 };
      if ((m = /^(\d+):$/.exec(t))) return { lo: +m[1]!, hi: Infinity };
      return this.err(`"${t}" is not a valid layer range.`, p);
    });
  }

  private slice(parts: RangePart[]): SliceRange[] {
    return parts.map((p): SliceRange => {
      const t = p.text.trim();
      let m: RegExpExecArray | null;
      if ((m = /^(-?\d+):(-?\d+)$/.exec(t))) {
        const n = +m[2]!;
        if (n <= 0) return this.err(`Range ${t} isn't valid because length ${n} isn't positive`, p);
        return { kind: 'len', start: +m[1]!, n };
      }
      if ((m = /^(-?\d+)-(-?\d+)$/.exec(t))) return { kind: 'end', start: +m[1]!, n: +m[2]! };
      if ((m = /^(-?\d+):$/.exec(t))) return { kind: 'toend', start: +m[1]!, n: 0 };
      if ((m = /^:(\d+)$/.exec(t))) {
        const n = +m[1]!;
        if (n <= 0) return this.err(`Range ${t} isn't valid because length ${n} isn't positive`, p);
        return { kind: 'len', start: 0, n };
      }
      if ((m = /^(-?\d+)$/.exec(t))) return { kind: 'len', start: +m[1]!, n: 1 };
      return this.err(`"${t}" is not a valid range.`, p);
    });
  }

  /** Types a value; literals need `want` (the other side's type), else null. */
  typeVal(v: Val, want: Want | null): IVal | null {
    switch (v.k) {
      case 'word': {
        const def = fieldByName(v.text);
        if (def) return this.fieldVal(v, def);
        if (v.layer || v.slice) return this.notField(v.text, { start: v.start, end: v.nameEnd });
        return want ? this.literal(v, want) : null;
      }
      case 'string':
      case 'char':
        return want ? this.literal(v, want) : null;
      case 'ref':
        return this.refError(v);
      case 'func':
        return this.func(v);
      case 'neg': {
        const a = this.typeVal(v.a, want);
        if (!a) return null;
        if (!ARITH.has(a.cls)) return this.err(`${this.text(v.a)} (type=${typeName(a)}) cannot be negated.`, v);
        if (a.k === 'const') return { ...a, num: -a.num };
        return { k: 'neg', a, dom: 'num', cls: a.cls, ft: a.ft, intMath: a.cls === 'int' };
      }
      case 'arith':
        return this.arith(v, want);
    }
  }

  private arith(v: Extract<Val, { k: 'arith' }>, want: Want | null): IVal | null {
    const a0 = this.typeVal(v.a, null);
    const b0 = this.typeVal(v.b, null);
    let a: IVal;
    let b: IVal;
    if (!a0 && !b0) {
      if (!want) return null;
      a = this.typeVal(v.a, want)!;
      b = this.typeVal(v.b, want)!;
    } else if (!a0) {
      b = b0!;
      a = this.typeVal(v.a, v.op === '&' && b.dom === 'bytes' ? BYTES_WANT : wantOf(b))!;
    } else if (!b0) {
      a = a0;
      b = this.typeVal(v.b, v.op === '&' && a.dom === 'bytes' ? BYTES_WANT : wantOf(a))!;
    } else {
      a = a0;
      b = b0;
    }
    if (v.op === '&') {
      if (a.cls === 'int' && b.cls === 'int') return this.fold({ k: 'arith', op: '&', a, b, dom: 'num', cls: 'int', ft: a.ft ?? b.ft, intMath: true });
      if (a.dom === 'bytes' && b.dom === 'bytes') return { k: 'arith', op: '&', a, b, dom: 'bytes', cls: 'bytes', ft: 'bytes', intMath: false };
      return this.err(`${this.text(v.a)} (type=${typeName(a)}) and ${this.text(v.b)} (type=${typeName(b)}) cannot be combined with a bitwise and.`, v.opSpan);
    }
    if (!ARITH.has(a.cls)) return this.err(`${this.text(v.a)} (type=${typeName(a)}) cannot be used in arithmetic.`, v.a);
    if (!ARITH.has(b.cls)) return this.err(`${this.text(v.b)} (type=${typeName(b)}) cannot be used in arithmetic.`, v.b);
    if (a.cls !== b.cls) return this.incompatible(v.a, v.b);
    return this.fold({ k: 'arith', op: v.op, a, b, dom: 'num', cls: a.cls, ft: a.ft ?? b.ft, intMath: a.cls === 'int' });
  }

  /** Folds arithmetic on two constants. */
  private fold(v: IVal): IVal {
    if (v.k !== 'arith' || v.a.k !== 'const' || v.b.k !== 'const' || v.dom !== 'num') return v;
    const r = arithNum(v.op, v.a.num, v.b.num, v.intMath);
    if (Number.isNaN(r)) return v; // e.g. division by zero: left to run time (gives no value)
    return constVal('num', v.cls, v.ft, { num: r });
  }

  private func(v: Extract<Val, { k: 'func' }>): IVal {
    const name = v.name as FuncName;
    const nameSpan = { start: v.start, end: v.nameEnd };
    const oneField = (what: string): IVal => {
      if (v.args.length !== 1) return this.err(`Function ${v.name}() takes exactly one argument`, v);
      const a = v.args[0]!;
      if (a.k === 'word') {
        const def = fieldByName(a.text);
        if (!def) return this.notField(a.text, { start: a.start, end: a.nameEnd });
        if (!a.slice) return this.fieldVal(a, def);
      }
      return this.err(what, a);
    };
    switch (name) {
      case 'len':
      case 'count': {
        const f = oneField(`Only fields can be used as parameter for ${name}()`);
        return { k: 'func', fn: name, args: [f], dom: 'num', cls: 'int', ft: 'uint32' };
      }
      case 'string': {
        const f = oneField('Only fields can be used as parameter for string()');
        if (f.cls === 'string' || f.cls === 'bytes' || f.cls === 'protocol' || f.cls === 'bool' || f.cls === 'none') {
          return this.err(`String conversion for field "${this.text(v.args[0]!)}" is not supported`, v.args[0]!);
        }
        return { k: 'func', fn: 'string', args: [f], dom: 'string', cls: 'string', ft: 'string' };
      }
      case 'upper':
      case 'lower': {
        const f = oneField(`Only string type fields can be used as parameter for ${name}()`);
        if (f.cls !== 'string') return this.err(`Only string type fields can be used as parameter for ${name}()`, v.args[0]!);
        return { k: 'func', fn: name, args: [f], dom: 'string', cls: 'string', ft: 'string' };
      }
      case 'abs': {
        if (v.args.length !== 1) return this.err('Function abs() takes exactly one argument', v);
        const a = this.typeVal(v.args[0]!, null);
        if (!a) return this.constantArg(v.args[0]!);
        if (!ARITH.has(a.cls)) return this.err(`Argument to abs() must be a number, not ${typeName(a)}`, v.args[0]!);
        return { k: 'func', fn: 'abs', args: [a], dom: 'num', cls: a.cls, ft: a.ft };
      }
      case 'max':
      case 'min': {
        if (v.args.length < 1) return this.err(`Function ${name}() requires at least one argument`, v);
        const typed = v.args.map((x) => this.typeVal(x, null));
        const first = typed.find((x) => x !== null);
        if (!first) return this.constantArg(v.args[0]!);
        const args = v.args.map((x, k) => typed[k] ?? this.typeVal(x, wantOf(first))!);
        for (let k = 0; k < args.length; k++) {
          const x = args[k]!;
          if (x.dom !== 'num' || x.cls !== first.cls || (x.ft && first.ft && x.ft !== first.ft)) {
            return this.err(`Arguments to '${name}' must have the same type (expected ${typeName(first)}, got ${typeName(x)})`, v.args[k]!);
          }
        }
        return { k: 'func', fn: name, args, dom: 'num', cls: first.cls, ft: first.ft };
      }
      default:
        return this.err(`Function '${v.name}' does not exist`, nameSpan);
    }
  }

  // ------------------------------------------------------------------ literals

  private literal(v: Val, w: Want): IVal {
    try {
      return this.convert(v, w);
    } catch (e) {
      // `ip.src == eth.scr`: say the field is unknown rather than "not a valid IPv4 address"
      if (v.k === 'word' && v.text.includes('.') && looksLikeField(v.text) && !(w.cls === 'string')) {
        return this.notField(v.text, { start: v.start, end: v.nameEnd });
      }
      throw e;
    }
  }

  private convert(v: Val, w: Want): IVal {
    const isStr = v.k === 'string';
    const isChar = v.k === 'char';
    const text = v.k === 'word' ? v.text : this.text(v);
    const strText = isStr ? decodeUtf8(v.bytes) : '';
    const fromString = (): never => this.err(`${TYPE_NAMES[w.ft ?? 'bytes']} cannot be converted from a string (${this.text(v)}).`, v);
    const k = (o: Parameters<typeof constVal>[3]): IVal => constVal(w.dom, w.cls, w.ft, o);
    switch (w.cls) {
      case 'int': {
        if (isChar) return k({ num: v.value });
        if (isStr) {
          const n = this.valueName(strText, w.def);
          if (n !== null) return k({ num: n });
          if (w.def?.strings) return this.err(`"${strText}" cannot be found among the possible values for ${w.def.abbrev}.`, v);
          return fromString();
        }
        const n = parseInteger(text);
        if (n !== null) {
          const r = w.ft ? INT_RANGE[w.ft] : undefined;
          if (r && n > r[1]) return this.err(`"${text}" too big for this field, maximum ${r[1] === 18446744073709551615 ? '18446744073709551615' : r[1]}.`, v);
          return k({ num: n });
        }
        const named = this.valueName(text, w.def);
        if (named !== null) return k({ num: named });
        if (w.def?.strings) return this.err(`"${text}" cannot be found among the possible values for ${w.def.abbrev}.`, v);
        return this.err(`"${text}" is not a valid number.`, v);
      }
      case 'bool': {
        if (isChar) return k({ num: v.value ? 1 : 0 });
        if (!isStr) {
          if (text === 'True' || text === 'TRUE') return k({ num: 1 });
          if (text === 'False' || text === 'FALSE') return k({ num: 0 });
          const n = parseInteger(text);
          if (n !== null) return k({ num: n ? 1 : 0 });
        }
        return this.err(`"${isStr ? strText : text}" cannot be found among the possible values for ${w.def?.abbrev ?? 'a Boolean'}.`, v);
      }
      case 'float': {
        if (isChar) return k({ num: v.value });
        if (isStr) return fromString();
        const n = parseFloatLiteral(text);
        if (n === null) return this.err(`"${text}" is not a valid number.`, v);
        return k({ num: n });
      }
      case 'reltime': {
        if (isStr) return fromString();
        const n = isChar ? null : parseRelTime(text);
        if (n === null) return this.err(`"${text}" is not a valid time.`, v);
        return k({ num: n });
      }
      case 'abstime': {
        if (isStr) {
          const t = parseAbsTime(strText);
          if (!t) return this.err(`"${strText}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04T12:34:56"`, v);
          return k({ num: absTimeNum(t[0], t[1]) });
        }
        // gretool extension: seconds since the epoch (frame.time_epoch is an absolute time here)
        const m = isChar ? null : /^([0-9]+)(?:\.([0-9]{1,9}))?$/.exec(text);
        if (!m) return this.err(`"${text}" is not a valid absolute time.`, v);
        return k({ num: absTimeNum(Number(m[1]), Number((m[2] ?? '').padEnd(9, '0'))) });
      }
      case 'ipv4': {
        if (isStr) return this.err(`IPv4 address cannot be converted from a string (${this.text(v)}).`, v);
        const slash = text.indexOf('/');
        const addr = isChar ? null : parseIPv4(slash >= 0 ? text.slice(0, slash) : text);
        if (addr === null) return this.err(`"${slash >= 0 ? text.slice(0, slash) : text}" is not a valid hostname or IPv4 address.`, v);
        if (slash < 0) return k({ num: addr });
        const bitsText = text.slice(slash + 1);
        if (!/^[0-9]+$/.test(bitsText)) return this.err(`"${text}" is not a valid hostname or IPv4 address.`, v);
        const bits = Number(bitsText);
        if (bits > 32) return this.err(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`, v);
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        return k({ num: (addr & mask) >>> 0, mask });
      }
      case 'ipv6': {
        if (isStr) return this.err(`IPv6 address cannot be converted from a string (${this.text(v)}).`, v);
        const slash = text.indexOf('/');
        const addr = isChar ? null : parseIPv6(slash >= 0 ? text.slice(0, slash) : text);
        if (!addr) return this.err(`"${slash >= 0 ? text.slice(0, slash) : text}" is not a valid hostname or IPv6 address.`, v);
        let prefix = 128;
        if (slash >= 0) {
          const bitsText = text.slice(slash + 1);
          if (!/^[0-9]+$/.test(bitsText)) return this.err(`"${text}" is not a valid hostname or IPv6 address.`, v);
          prefix = Number(bitsText);
          if (prefix > 128) return this.err(`Prefix in a IPv6 address should be <= 128, not ${prefix}`, v);
        }
        return k({ bytes: addr, prefix });
      }
      case 'ether': {
        if (isStr) return this.err(`Ethernet or other MAC address cannot be converted from a string (${this.text(v)}).`, v);
        const b = isChar ? null : parseEther(text);
        if (b === 'short') return this.err(`"${text}" contains too few bytes to be a valid Ethernet address.`, v);
        if (b === 'long') return this.err(`"${text}" contains too many bytes to be a valid Ethernet address.`, v);
        if (!b) return this.err(`"${text}" is not a valid Ethernet address.`, v);
        return w.dom === 'bytes' ? k({ bytes: b }) : k({ num: etherNumber(b) });
      }
      case 'bytes':
      case 'protocol': {
        if (isStr) return k({ bytes: v.bytes });
        if (isChar) return k({ bytes: Uint8Array.of(v.value) });
        let b = parseBytes(text);
        if (!b && /^0[xX][0-9a-fA-F]{1,2}$/.test(text)) b = Uint8Array.of(parseInt(text.slice(2), 16));
        if (!b) return this.err(`"${text}" is not a valid byte string.`, v);
        return k({ bytes: b });
      }
      case 'string': {
        if (isStr) return k({ bytes: v.bytes });
        if (isChar) return k({ bytes: Uint8Array.of(v.value) });
        return k({ bytes: utf8.encode(text) }); // unquoted (deprecated in Wireshark, still accepted)
      }
      case 'none':
        return this.err(`${this.text(v)} cannot be compared with a label`, v);
    }
  }

  /** Value by its name in the field's value strings (case-insensitive), or null. */
  private valueName(name: string, def: FieldDef | null): number | null {
    if (!def?.strings) return null;
    const lower = name.toLowerCase();
    for (const key of Object.keys(def.strings)) {
      if (def.strings[Number(key)]!.toLowerCase() === lower) return Number(key);
    }
    return null;
  }
}

/** Arithmetic on numbers; NaN for an undefined result (division by zero). */
export function arithNum(op: '+' | '-' | '*' | '/' | '%' | '&', a: number, b: number, intMath: boolean): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) return 0 / 0;
      return intMath ? Math.trunc(a / b) : a / b;
    case '%':
      if (b === 0) return 0 / 0;
      return intMath ? a % b : a % b;
    case '&':
      if (a >= 0 && b >= 0 && a <= 0xffffffff && b <= 0xffffffff) return (a & b) >>> 0;
      return and64(a, b);
  }
}

function and64(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0 / 0;
  const ua = BigInt.asUintN(64, BigInt(Math.trunc(a)));
  const ub = BigInt.asUintN(64, BigInt(Math.trunc(b)));
  return Number(ua & ub);
}

/** Checks a parsed filter against the registry. */
export function checkFilter(src: string, e: Expr | null): { test: ITest; fields: number[] } {
  const c = new Checker(src);
  if (!e) return { test: { k: 'true' }, fields: [] };
  const test = c.test(e);
  return { test, fields: c.fields };
}
