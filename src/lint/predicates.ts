/**
 * Small shared facts about PBU/PBA events and bindings, used by several pair/session rules
 * (one definition, so two rules that depend on the same condition cannot drift apart).
 */
import { BA_STATUS_REJECT_MIN } from '../dissectors/mip6/layout.js';
import type { BindingView, HistoryEntry, PairOutcome, SignallingEvent } from '../sessions/types.js';

/** RFC 5845 §6.4 status codes. */
export const S_NOT_REQUIRED = 2; // GRE_KEY_OPTION_NOT_REQUIRED
export const S_NO_TLV = 3; // GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED
export const S_REQUIRED = 163; // GRE_KEY_OPTION_REQUIRED

/** The message carries at least one GRE Key option (any Length). */
export function hasGreOpt(ev: SignallingEvent): boolean {
  return ev.greKeyCount > 0 || ev.greKeyLen >= 0;
}

/** The message carries a GRE key (option Length 6). */
export function hasKey(ev: SignallingEvent): boolean {
  return ev.greKey !== null;
}

/** A successful (accepting) PBA status: < 128 (RFC 6275 §6.1.8). */
export function accepted(status: number): boolean {
  return status >= 0 && status < BA_STATUS_REJECT_MIN;
}

/**
 * RFC 5845 §4.2 (N18): the PBU had the GRE Key option and the PBA accepted it with a status
 * other than 2 but without the option: the MAG must consider that the LMA does not support
 * RFC 5845. A de-registration's acknowledgement is no evidence (no key is owed there).
 */
export function lmaLacksSupport(o: PairOutcome): boolean {
  return o.kind !== 'deregistration' && hasGreOpt(o.pbu) && accepted(o.pba.status) && o.pba.status !== S_NOT_REQUIRED && !hasGreOpt(o.pba);
}

/** 32-bit key as 0x-prefixed hex (the form `gre.key` prints) with the decimal value. */
export function keyText(k: number | null | undefined): string {
  if (k === null || k === undefined) return '(none)';
  return `0x${(k >>> 0).toString(16).padStart(8, '0')} (${k >>> 0})`;
}

/** The last history entry that granted the binding its current state (a successful pair), or undefined. */
export function lastGrant(b: BindingView): HistoryEntry | undefined {
  const h = b.history;
  for (let i = h.length - 1; i >= 0; i--) {
    const e = h[i]!;
    if (e.kind === 'initial' || e.kind === 'lifetime-extension' || e.kind === 'handoff') return e;
  }
  return undefined;
}

/** "frame N" of the last grant, for messages ("granted in frame 12"). */
export function grantFrame(b: BindingView): number | null {
  return lastGrant(b)?.frame ?? null;
}

/** Frames of a pair: PBU then PBA. */
export function pairFrames(o: PairOutcome): number[] {
  return [o.pbu.frame, o.pba.frame];
}

/** FNV-1a over the outer address bytes of a data frame, order-independent (for per-tunnel maps). */
export function tunnelHash(data: Uint8Array, a: number, b: number, len: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h1 = Math.imul(h1 ^ data[a + i]!, 0x01000193);
    h2 = Math.imul(h2 ^ data[b + i]!, 0x01000193);
  }
  return ((h1 ^ h2) >>> 0) + (len === 16 ? 0x100000000 : 0);
}

/** Directed version of tunnelHash (source then destination). */
export function directedHash(data: Uint8Array, src: number, dst: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ data[src + i]!, 0x01000193);
  for (let i = 0; i < len; i++) h = Math.imul(h ^ data[dst + i]!, 0x01000193);
  return (h >>> 0) + (len === 16 ? 0x100000000 : 0);
}

/**
 * A small number (0..126) per binding id, -1 when none was set: binding ids are dense (1, 2, …),
 * so a byte array is the per-session state of rules that note something on every pair, without
 * a hash map entry per session.
 */
export class PerBinding {
  private a = new Int8Array(256).fill(-1);

  get(id: number): number {
    return id < this.a.length ? this.a[id]! : -1;
  }

  set(id: number, v: number): void {
    if (id >= this.a.length) {
      const n = new Int8Array(Math.max(id + 1, this.a.length * 2)).fill(-1);
      n.set(this.a);
      this.a = n;
    }
    this.a[id] = v;
  }
}
