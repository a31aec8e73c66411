/**
 * Display-filter parser (recursive descent), after Wireshark 4.0's grammar.lemon.
 *
 * Precedence, lowest first: `or`/`||`, `and`/`&&`, `not`/`!` (right-associative), then one
 * relation: [any|all] value [op value | in {set} | not in {set}], or a parenthesised
 * expression. Values: `&` (bitwise and), then `+ -`, then `* / %`, then unary minus, then a
 * primary: word (field or literal, with optional `#layer` and `[slice]`), "string", 'c',
 * function(args), { value } (grouping), ${field}. Comparisons do not chain.
 * The parser knows nothing of the field registry: words are resolved by the checker.
 */
import { fail } from './errors.js';
import { tokenize, type CmpOp, type RangePart, type Token, type TokKind } from './lexer.js';

export interface Span {
  start: number;
  end: number;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

export type Val =
  | ({ k: 'word'; text: string; layer: RangePart[] | null; layerSpan: Span | null; slice: RangePart[] | null; sliceSpan: Span | null; nameEnd: number } & Span)
  | ({ k: 'string'; bytes: Uint8Array; raw: boolean; text: string } & Span)
  | ({ k: 'char'; value: number; text: string } & Span)
  | ({ k: 'func'; name: string; nameEnd: number; args: Val[] } & Span)
  | ({ k: 'arith'; op: ArithOp; a: Val; b: Val; opSpan: Span } & Span)
  | ({ k: 'neg'; a: Val } & Span)
  | ({ k: 'ref'; name: string } & Span);

export interface SetItem {
  lo: Val;
  hi: Val | null;
}

export type Modifier = 'any' | 'all' | null;

export type Expr =
  | ({ k: 'and' | 'or'; a: Expr; b: Expr } & Span)
  | ({ k: 'not'; a: Expr } & Span)
  | ({ k: 'cmp'; op: CmpOp; opSpan: Span; mod: Modifier; lhs: Val; rhs: Val } & Span)
  | ({ k: 'in'; negate: boolean; mod: Modifier; lhs: Val; items: SetItem[]; opSpan: Span } & Span)
  | ({ k: 'exists'; mod: Modifier; v: Val } & Span);

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.toks[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private unexpected(t: Token): never {
    if (t.kind === 'eof') return fail(this.src, 'Unexpected end of filter expression.', t.start, t.start + 1);
    return fail(this.src, `"${t.text}" was unexpected in this context.`, t.start, t.end);
  }
  private expect(kind: TokKind): Token {
    const t = this.next();
    if (t.kind !== kind) this.unexpected(t);
    return t;
  }

  parseFilter(): Expr | null {
    if (this.peek().kind === 'eof') return null;
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t);
    return e;
  }

  private parseOr(): Expr {
    let a = this.parseAnd();
    while (this.peek().kind === 'or') {
      this.next();
      const b = this.parseAnd();
      a = { k: 'or', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private parseAnd(): Expr {
    let a = this.parseNot();
    while (this.peek().kind === 'and') {
      this.next();
      const b = this.parseNot();
      a = { k: 'and', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private parseNot(): Expr {
    const t = this.peek();
    if (t.kind === 'not') {
      this.next();
      const a = this.parseNot();
      return { k: 'not', a, start: t.start, end: a.end };
    }
    return this.parseRelation();
  }

  private parseRelation(): Expr {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const e = this.parseOr();
      this.expect('rparen');
      return e;
    }
    let mod: Modifier = null;
    if (t.kind === 'any' || t.kind === 'all') {
      this.next();
      mod = t.kind;
    }
    const lhs = this.parseValue();
    const start = mod ? t.start : lhs.start;
    const o = this.peek();
    if (o.kind === 'cmp') {
      this.next();
      const rhs = this.parseValue();
      return { k: 'cmp', op: o.op!, opSpan: { start: o.start, end: o.end }, mod, lhs, rhs, start, end: rhs.end };
    }
    if (o.kind === 'in' || (o.kind === 'not' && this.peek(1).kind === 'in')) {
      const negate = o.kind === 'not';
      this.next();
      const inTok = negate ? this.next() : o;
      const { items, end } = this.parseSet();
      return { k: 'in', negate, mod, lhs, items, opSpan: { start: o.start, end: inTok.end }, start, end };
    }
    return { k: 'exists', mod, v: lhs, start, end: lhs.end };
  }

  private parseSet(): { items: SetItem[]; end: number } {
    this.expect('lbrace');
    const items: SetItem[] = [];
    for (;;) {
      const lo = this.parseValue();
      let hi: Val | null = null;
      if (this.peek().kind === 'dotdot') {
        this.next();
        hi = this.parseValue();
      }
      items.push({ lo, hi });
      const t = this.next();
      if (t.kind === 'rbrace') return { items, end: t.end };
      if (t.kind !== 'comma') this.unexpected(t);
    }
  }

  /** value := bitand */
  parseValue(): Val {
    let a = this.parseAdditive();
    while (this.peek().kind === 'bitand') {
      const o = this.next();
      const b = this.parseAdditive();
      a = { k: 'arith', op: '&', a, b, opSpan: { start: o.start, end: o.end }, start: a.start, end: b.end };
    }
    return a;
  }

  private parseAdditive(): Val {
    let a = this.parseMultiplicative();
    for (;;) {
      const o = this.peek();
      if (o.kind !== 'plus' && o.kind !== 'minus') return a;
      this.next();
      const b = this.parseMultiplicative();
      a = { k: 'arith', op: o.kind === 'plus' ? '+' : '-', a, b, opSpan: { start: o.start, end: o.end }, start: a.start, end: b.end };
    }
  }

  private parseMultiplicative(): Val {
    let a = this.parseUnary();
    for (;;) {
      const o = this.peek();
      if (o.kind !== 'star' && o.kind !== 'slash' && o.kind !== 'percent') return a;
      this.next();
      const b = this.parseUnary();
      const op: ArithOp = o.kind === 'star' ? '*' : o.kind === 'slash' ? '/' : '%';
      a = { k: 'arith', op, a, b, opSpan: { start: o.start, end: o.end }, start: a.start, end: b.end };
    }
  }

  private parseUnary(): Val {
    const t = this.peek();
    if (t.kind === 'minus') {
      this.next();
      const a = this.parseUnary();
      return { k: 'neg', a, start: t.start, end: a.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Val {
    const t = this.next();
    switch (t.kind) {
      case 'word': {
        if (this.peek().kind === 'lparen') return this.parseCall(t);
        let layer: RangePart[] | null = null;
        let layerSpan: Span | null = null;
        let slice: RangePart[] | null = null;
        let sliceSpan: Span | null = null;
        let end = t.end;
        if (this.peek().kind === 'layer') {
          const l = this.next();
          layer = l.ranges!;
          layerSpan = { start: l.start, end: l.end };
          end = l.end;
        }
        if (this.peek().kind === 'slice') {
          const s = this.next();
          slice = s.ranges!;
          sliceSpan = { start: s.start, end: s.end };
          end = s.end;
        }
        return { k: 'word', text: t.text, layer, layerSpan, slice, sliceSpan, nameEnd: t.end, start: t.start, end };
      }
      case 'string':
        return { k: 'string', bytes: t.bytes!, raw: t.raw!, text: t.text, start: t.start, end: t.end };
      case 'char':
        return { k: 'char', value: t.value!, text: t.text, start: t.start, end: t.end };
      case 'lbrace': {
        const v = this.parseValue();
        this.expect('rbrace');
        return v;
      }
      case 'dollar': {
        this.expect('lbrace');
        const w = this.expect('word');
        const r = this.expect('rbrace');
        return { k: 'ref', name: w.text, start: t.start, end: r.end };
      }
      default:
        return this.unexpected(t);
    }
  }

  private parseCall(name: Token): Val {
    this.expect('lparen');
    const args: Val[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        args.push(this.parseValue());
        const t = this.next();
        if (t.kind === 'rparen') return { k: 'func', name: name.text, nameEnd: name.end, args, start: name.start, end: t.end };
        if (t.kind !== 'comma') this.unexpected(t);
      }
    }
    const r = this.next();
    return { k: 'func', name: name.text, nameEnd: name.end, args, start: name.start, end: r.end };
  }
}

/** Parses a filter into an expression tree; null for an empty filter (which matches everything). */
export function parseFilter(src: string): Expr | null {
  return new Parser(src, tokenize(src)).parseFilter();
}
