/**
 * The one list of lint rules: the packet-scope table (detected by dissector expert items) and
 * one file per pair/session rule (detected on the session correlator's events), in the order of
 * shared/spec/lint-rules.md. A new rule is one file plus one line here.
 */
import type { Rule, SessionRule } from '../rule.js';
import { PACKET_RULES } from './packet.js';
import S_PBA_GREKEY_LEN_MISMATCH from './S-PBA-GREKEY-LEN-MISMATCH.js';
import S_PBA_S3_NO_GREKEY from './S-PBA-S3-NO-GREKEY.js';
import S_MAG_LMA_NO_SUPPORT from './S-MAG-LMA-NO-SUPPORT.js';
import S_PBA_GREKEY_WITHOUT_PBU_GREKEY from './S-PBA-GREKEY-WITHOUT-PBU-GREKEY.js';
import S_PBA_163_BUT_PBU_HAD_GREKEY from './S-PBA-163-BUT-PBU-HAD-GREKEY.js';
import S_PBA_S2_BUT_PBU_NO_GREKEY from './S-PBA-S2-BUT-PBU-NO-GREKEY.js';
import S_PBA_S3_BUT_PBU_NO_T from './S-PBA-S3-BUT-PBU-NO-T.js';
import S_LMA_T_WITHOUT_PBU_T from './S-LMA-T-WITHOUT-PBU-T.js';
import S_PBA_S0_SHOULD_BE_S3 from './S-PBA-S0-SHOULD-BE-S3.js';
import S_LMA_UL_KEY_CHANGED from './S-LMA-UL-KEY-CHANGED.js';
import S_MAG_REREG_NO_GREKEY from './S-MAG-REREG-NO-GREKEY.js';
import S_MAG_HANDOFF_NO_GREKEY from './S-MAG-HANDOFF-NO-GREKEY.js';
import S_MAG_REREG_DL_KEY_CHANGED from './S-MAG-REREG-DL-KEY-CHANGED.js';
import S_MAG_NO_RETRY_AFTER_163 from './S-MAG-NO-RETRY-AFTER-163.js';
import S_MAG_GREKEY_AFTER_S2 from './S-MAG-GREKEY-AFTER-S2.js';
import S_MAG_GREKEY_AFTER_NO_SUPPORT from './S-MAG-GREKEY-AFTER-NO-SUPPORT.js';
import S_MAG_DEREG_HAS_GREKEY from './S-MAG-DEREG-HAS-GREKEY.js';
import S_MAG_WRONG_UL_KEY from './S-MAG-WRONG-UL-KEY.js';
import S_LMA_MISSING_DL_KEY from './S-LMA-MISSING-DL-KEY.js';
import S_LMA_WRONG_DL_KEY from './S-LMA-WRONG-DL-KEY.js';
import S_MAG_GRE_NOT_USED from './S-MAG-GRE-NOT-USED.js';
import S_LMA_GRE_NOT_USED from './S-LMA-GRE-NOT-USED.js';
import S_GRE_AFTER_S2 from './S-GRE-AFTER-S2.js';
import S_MAG_TLV_NOT_USED from './S-MAG-TLV-NOT-USED.js';
import S_LMA_TLV_NOT_USED from './S-LMA-TLV-NOT-USED.js';
import S_MAG_UDP_AFTER_S3 from './S-MAG-UDP-AFTER-S3.js';
import S_TLV_WITHOUT_NEGOTIATION from './S-TLV-WITHOUT-NEGOTIATION.js';
import S_TLV_CHANGED_ON_REREG from './S-TLV-CHANGED-ON-REREG.js';
import S_DUP_DL_KEY from './S-DUP-DL-KEY.js';
import S_DUP_UL_KEY from './S-DUP-UL-KEY.js';
import S_GRE_DATA_NO_NEGOTIATION from './S-GRE-DATA-NO-NEGOTIATION.js';
import S_PBA_UNMATCHED from './S-PBA-UNMATCHED.js';
import G_SEQ_OUT_OF_ORDER from './G-SEQ-OUT-OF-ORDER.js';

/** Pair- and session-scope rules (lint-rules.md §3, and G-SEQ-OUT-OF-ORDER of §4, which is per key). */
export const SESSION_RULES: readonly SessionRule[] = [
  S_PBA_GREKEY_LEN_MISMATCH,
  S_PBA_S3_NO_GREKEY,
  S_MAG_LMA_NO_SUPPORT,
  S_PBA_GREKEY_WITHOUT_PBU_GREKEY,
  S_PBA_163_BUT_PBU_HAD_GREKEY,
  S_PBA_S2_BUT_PBU_NO_GREKEY,
  S_PBA_S3_BUT_PBU_NO_T,
  S_LMA_T_WITHOUT_PBU_T,
  S_PBA_S0_SHOULD_BE_S3,
  S_LMA_UL_KEY_CHANGED,
  S_MAG_REREG_NO_GREKEY,
  S_MAG_HANDOFF_NO_GREKEY,
  S_MAG_REREG_DL_KEY_CHANGED,
  S_MAG_NO_RETRY_AFTER_163,
  S_MAG_GREKEY_AFTER_S2,
  S_MAG_GREKEY_AFTER_NO_SUPPORT,
  S_MAG_DEREG_HAS_GREKEY,
  S_MAG_WRONG_UL_KEY,
  S_LMA_MISSING_DL_KEY,
  S_LMA_WRONG_DL_KEY,
  S_MAG_GRE_NOT_USED,
  S_LMA_GRE_NOT_USED,
  S_GRE_AFTER_S2,
  S_MAG_TLV_NOT_USED,
  S_LMA_TLV_NOT_USED,
  S_MAG_UDP_AFTER_S3,
  S_TLV_WITHOUT_NEGOTIATION,
  S_TLV_CHANGED_ON_REREG,
  S_DUP_DL_KEY,
  S_DUP_UL_KEY,
  S_GRE_DATA_NO_NEGOTIATION,
  S_PBA_UNMATCHED,
  G_SEQ_OUT_OF_ORDER,
];

/** Every rule, packet-scope first. */
export const RULES: readonly Rule[] = [...PACKET_RULES, ...SESSION_RULES];
