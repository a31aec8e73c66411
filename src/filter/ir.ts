/**
 * The checked, typed form of a filter that the compiler turns into closures. Every value has
 * an evaluation domain, fixed before the first frame:
 *   num    integers, booleans (0/1), floats, relative times (ns), absolute times (µs since the
 *          epoch), IPv4 addresses (uint32) and MAC addresses (48-bit): compared as numbers
 *   ipv6   16 bytes compared byte-wise (with a prefix length for CIDR literals)
 *   bytes  byte sequences: bytes fields, protocols, slices, MACs compared with bytes
 *   string UTF-8 bytes of string fields (compared byte-wise, like strcmp)
 */
import type { FieldDef, FieldType } from '../engine/fields.js';

export type Dom = 'num' | 'ipv6' | 'bytes' | 'string';

/** Value class: what a value is, independent of how it is compared. */
export type Cls =
  | 'int' | 'bool' | 'float' | 'reltime' | 'abstime'
  | 'ipv4' | 'ipv6' | 'ether'
  | 'bytes' | 'string' | 'protocol' | 'none';

export type Rel = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type Quant = 'any' | 'all';

/** A layer selection (#n or #[a-b]): inclusive ranges of 1-based protocol layer numbers. */
export interface LayerRange {
  lo: number;
  hi: number;
}

/** One part of a slice: [start:len] ('len'), [start-end] ('end', inclusive), [start:] ('toend'). */
export interface SliceRange {
  kind: 'len' | 'end' | 'toend';
  start: number;
  /** Length ('len') or inclusive end offset ('end'); unused for 'toend'. */
  n: number;
}

export type FuncName = 'len' | 'count' | 'string' | 'upper' | 'lower' | 'max' | 'min' | 'abs';

export type IVal =
  /** toEnd: a protocol's bytes run to the end of the frame (what contains/matches search). */
  | { k: 'field'; def: FieldDef; layers: LayerRange[] | null; dom: Dom; cls: Cls; ft: FieldType; toEnd?: boolean }
  | { k: 'slice'; def: FieldDef; layers: LayerRange[] | null; ranges: SliceRange[]; dom: 'bytes'; cls: 'bytes'; srcCls: Cls; ft: FieldType }
  | {
      k: 'const';
      dom: Dom;
      cls: Cls;
      ft: FieldType | null;
      /** num domain value. */
      num: number;
      /** num domain: mask applied to the other side first (IPv4 CIDR); 0xffffffff = none. */
      mask: number;
      /** ipv6/bytes/string domains. */
      bytes: Uint8Array | null;
      /** ipv6 prefix length in bits (128 = whole address). */
      prefix: number;
    }
  | { k: 'func'; fn: FuncName; args: IVal[]; dom: Dom; cls: Cls; ft: FieldType | null }
  | { k: 'arith'; op: '+' | '-' | '*' | '/' | '%' | '&'; a: IVal; b: IVal; dom: Dom; cls: Cls; ft: FieldType | null; intMath: boolean }
  | { k: 'neg'; a: IVal; dom: Dom; cls: Cls; ft: FieldType | null; intMath: boolean };

export interface SetElem {
  lo: IVal;
  hi: IVal | null;
}

export type ITest =
  | { k: 'true' }
  | { k: 'and' | 'or'; a: ITest; b: ITest }
  | { k: 'not'; a: ITest }
  /** Field/protocol present; slice non-empty; arithmetic result non-zero. */
  | { k: 'exists'; v: IVal }
  /**
   * quant 'any': some pair satisfies rel; 'all': there are pairs and all satisfy rel.
   * neg: both sides present and the quantified result is false (Wireshark's != and !==).
   */
  | { k: 'cmp'; rel: Rel; quant: Quant; neg: boolean; a: IVal; b: IVal; dom: Dom }
  | { k: 'contains'; quant: Quant; a: IVal; b: IVal }
  | { k: 'matches'; quant: Quant; a: IVal; re: RegExp; latin1: boolean }
  | { k: 'in'; quant: Quant; a: IVal; items: SetElem[]; dom: Dom };
