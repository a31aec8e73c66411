/**
 * Writing reports in pieces, so that memory does not grow with the number of findings or
 * bindings.
 *
 * The report formats produce their text as a generator of string pieces (the linter's
 * `lintTextChunks`, `lintJsonChunks`, `lintJunitChunks`, `lintSarifChunks`; the session
 * correlator's `sessionsJsonChunks`, `sessionsTextLines`); `writeChunks` batches the pieces into
 * writes of about 64 KiB and waits when the stream asks for it (back-pressure). Only the
 * findings or bindings themselves stay in memory, never the whole report as one object tree or
 * one string.
 *
 * `jsonChunks` is JSON.stringify(value, null, 2), byte for byte, in pieces: a `LazyArray` in the
 * value is serialised element by element (each element is mapped, stringified and dropped), so
 * an array of a million results never exists as objects or as one string. test/lint/stream.test.ts
 * compares it with JSON.stringify.
 */

import type { Writable } from 'node:stream';

/**
 * An array serialised by `jsonChunks` one element at a time: `map` applied to each item. The
 * mapped elements are plain data (no LazyArray inside them).
 */
export class LazyArray<T = unknown> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => unknown,
  ) {}
}

const INDENT = '  ';

function containsLazy(v: unknown): boolean {
  if (v instanceof LazyArray) return true;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.some(containsLazy);
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const k of Object.keys(v)) if (containsLazy((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** The value inside `depth` one-element arrays (JSON.stringify then indents it `depth` deep). */
function nest(v: unknown, depth: number): unknown {
  let x: unknown = v;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

/** How many characters the arrays of nest(v, depth) put before and after the value. */
const frame: { head: number; tail: number }[] = [];
function frameOf(depth: number): { head: number; tail: number } {
  let f = frame[depth];
  if (f === undefined) {
    const s = JSON.stringify(nest(0, depth), null, INDENT);
    const at = s.indexOf('0');
    frame[depth] = f = { head: at, tail: s.length - at - 1 };
  }
  return f;
}

/**
 * A value without LazyArray, indented for `depth`, as JSON.stringify(v, null, 2) nested there:
 * stringified inside `depth` one-element arrays (so that JSON.stringify indents it natively),
 * and the arrays' brackets cut off.
 */
function plain(v: unknown, depth: number): string | undefined {
  if (depth === 0 || typeof v !== 'object' || v === null) return JSON.stringify(v, null, INDENT);
  const f = frameOf(depth);
  const s = JSON.stringify(nest(v, depth), null, INDENT);
  return s.slice(f.head, s.length - f.tail);
}

function* value(v: unknown, depth: number): Generator<string> {
  if (v instanceof LazyArray) {
    yield* lazy(v, depth);
    return;
  }
  if (!containsLazy(v)) {
    yield plain(v, depth) ?? 'null';
    return;
  }
  const inner = '\n' + INDENT.repeat(depth + 1);
  const outer = '\n' + INDENT.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? inner : ',' + inner;
      yield* value(v[i], depth + 1);
    }
    yield outer + ']';
    return;
  }
  const o = v as Record<string, unknown>;
  let n = 0;
  for (const k of Object.keys(o)) {
    const x = o[k];
    // skipped by JSON.stringify in objects
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    yield (n++ === 0 ? '{' : ',') + inner + JSON.stringify(k) + ': ';
    yield* value(x, depth + 1);
  }
  yield n === 0 ? '{}' : outer + '}';
}

function* lazy(a: LazyArray, depth: number): Generator<string> {
  const { items, map } = a;
  if (items.length === 0) {
    yield '[]';
    return;
  }
  const inner = '\n' + INDENT.repeat(depth + 1);
  for (let i = 0; i < items.length; i++) {
    // undefined, a function or a symbol is null in an array
    yield (i === 0 ? '[' : ',') + inner + (plain(map(items[i]), depth + 1) ?? 'null');
  }
  yield '\n' + INDENT.repeat(depth) + ']';
}

/**
 * JSON.stringify(v, null, 2) in pieces, with every LazyArray in `v` serialised element by
 * element (plain data only: objects, arrays, strings, numbers, booleans, null; as with
 * JSON.stringify, undefined members are left out).
 */
export function jsonChunks(v: unknown): Generator<string> {
  return value(v, 0);
}

/** Waits for 'drain'; rejects on 'error', resolves on 'close' (nothing more can be written). */
function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      out.removeListener('error', fail);
      resolve();
    };
    const fail = (e: unknown): void => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      out.removeListener('error', fail);
      reject(e);
    };
    out.once('drain', done);
    out.once('close', done);
    out.once('error', fail);
  });
}

/**
 * Writes the pieces to a stream in writes of about `highWater` characters, waiting for 'drain'
 * whenever the stream's buffer is full. Resolves when everything is handed to the stream (not
 * necessarily flushed: end a file stream and wait for 'close' after it); rejects with the
 * stream's error, and stops early when the stream is destroyed (e.g. a file that could not be
 * opened), so that the rest of the report is not produced for nothing.
 */
export async function writeChunks(chunks: Iterable<string>, out: Writable, highWater = 1 << 16): Promise<void> {
  let buf: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const ok = out.write(buf.length === 1 ? buf[0]! : buf.join(''));
    buf = [];
    size = 0;
    if (!ok && !out.destroyed) await drained(out);
    if (out.destroyed) throw out.errored ?? new Error('the output stream was closed');
  };
  for (const c of chunks) {
    buf.push(c);
    size += c.length;
    if (size >= highWater) await flush();
  }
  if (size > 0) await flush();
}
