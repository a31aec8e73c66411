/**
 * The Info column of a Mobility Header message, in pieces: the dissector (index.ts,
 * messages.ts, options.ts) writes them as it goes, and the summary fast path
 * (output/fastsummary.ts) writes the same pieces for a PBU/PBA it reads straight from the bytes.
 *
 *   [Proxy ]Binding Update seq=7 lifetime=100 (400s) flags=A,P,T MN-ID=ue1@example GRE-key=… (0x…)
 *   [Proxy ]Binding Acknowledgement status=0 (accepted) seq=7 lifetime=100 (400s) flags=P …
 */
import { TextBuf } from '../../engine/textbuf.js';
import { BA_FLAG, BU_FLAG, GRE_KEY_LEN_NO_KEY, GRE_KEY_LEN_WITH_KEY, LIFETIME_UNIT_S } from './layout.js';
import { BA_STATUS_NAMES, BA_STATUS_SHORT, MH_TYPE_NAMES } from './names.js';

const UNKNOWN_MH_NAME: string[] = Array.from({ length: 256 }, (_, t) => `Unknown Mobility Header (${t})`);

const BU_FLAG_LETTERS = 'AHLKMRPFTB';
const BU_FLAG_MASKS = [BU_FLAG.A, BU_FLAG.H, BU_FLAG.L, BU_FLAG.K, BU_FLAG.M, BU_FLAG.R, BU_FLAG.P, BU_FLAG.F, BU_FLAG.T, BU_FLAG.B];
const BA_FLAG_LETTERS = 'KRPTB';
const BA_FLAG_MASKS = [BA_FLAG.K, BA_FLAG.R, BA_FLAG.P, BA_FLAG.T, BA_FLAG.B];

/** The message's name (tshark's), "Proxy " first when the P flag is there to be read. */
export function messageNameInfo(info: TextBuf, type: number, proxy: boolean): void {
  if (proxy) info.str('Proxy ');
  info.str(MH_TYPE_NAMES[type] ?? UNKNOWN_MH_NAME[type]!);
}

/** " seq=7 lifetime=100 (400s)" / " lifetime=0 (dereg)" */
function seqLifetime(info: TextBuf, seq: number, lifetime: number, dereg: boolean): void {
  info.str(' seq=').dec(seq).str(' lifetime=').dec(lifetime);
  if (lifetime === 0 && dereg) info.str(' (dereg)');
  else info.str(' (').dec(lifetime * LIFETIME_UNIT_S).str('s)');
}

/** " flags=A,P,T" for the set flags (nothing when none), as bytes, made once per flags value. */
function flagLetters(info: TextBuf, flags: number, letters: string, masks: readonly number[], cache: (Uint8Array | undefined)[]): void {
  let text = cache[flags];
  if (text === undefined) {
    let s = '';
    for (let i = 0; i < masks.length; i++) if (flags & masks[i]!) s += (s === '' ? ' flags=' : ',') + letters[i]!;
    text = cache[flags] = TextBuf.encode(s);
  }
  info.lit(text);
}
const MN_ID_EQ = TextBuf.encode(' MN-ID=');
const BU_FLAG_TEXT: (Uint8Array | undefined)[] = [];
const BA_FLAG_TEXT: (Uint8Array | undefined)[] = [];

/** A Binding Update's fixed part: sequence number, lifetime, flags (the 16-bit flags word). */
export function bindingUpdateInfo(info: TextBuf, seq: number, flags: number, lifetime: number): void {
  seqLifetime(info, seq, lifetime, true);
  flagLetters(info, flags, BU_FLAG_LETTERS, BU_FLAG_MASKS, BU_FLAG_TEXT);
}

/** A Binding Acknowledgement's fixed part: status, sequence number, lifetime, flags (8 bits). */
export function bindingAckInfo(info: TextBuf, status: number, seq: number, flags: number, lifetime: number): void {
  info.str(' status=').dec(status).str(' (').str(BA_STATUS_SHORT[status] ?? BA_STATUS_NAMES[status] ?? 'unknown').byte(41);
  seqLifetime(info, seq, lifetime, false);
  flagLetters(info, flags, BA_FLAG_LETTERS, BA_FLAG_MASKS, BA_FLAG_TEXT);
}

/** " MN-ID=" and the identifier d[from, to) as printable ASCII ('.' for other octets, at most 64, then "..."). */
export function mnIdInfo(info: TextBuf, d: Uint8Array, from: number, to: number): void {
  const lim = to - from > 64 ? from + 64 : to;
  info.lit(MN_ID_EQ).printable(d, from, lim);
  if (lim < to) info.str('...');
}

/** A GRE Key option of Length `len`: " GRE-key=N (0x…)", " GRE(no key)" or " GRE(bad length N)". */
export function greKeyOptionInfo(info: TextBuf, len: number, key: number): void {
  if (len === GRE_KEY_LEN_WITH_KEY) info.str(' GRE-key=').dec(key).str(' (').hex0x(key, 8).byte(41);
  else if (len === GRE_KEY_LEN_NO_KEY) info.str(' GRE(no key)');
  else info.str(' GRE(bad length ').dec(len).byte(41);
}
