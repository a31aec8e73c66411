/**
 * Per-Mobility-Header facts shared by the message dissectors, the option dissectors and the
 * packet-scope lint checks. One object, reset at the start of every MH (an MH never nests
 * inside another: its Payload Proto is 59), so nothing is allocated per frame.
 */
export const ctx = {
  /** Frame offset of the MH's first octet. */
  mh: 0,
  /** Frame offset just past the MH as its Header Len declares it. */
  mhEnd: 0,
  /** MH type octet. */
  type: -1,
  /** Reached over UDP (RFC 5844), i.e. no IPv6 header in front. */
  overUdp: false,
  /** Frame offset where the mobility options start (set by the message dissector). */
  optStart: 0,
  /** BU/BA flags as read (-1 when not a BU/BA). */
  flags: -1,
  /** P, T, B flags of a BU/BA. */
  proxy: false,
  tFlag: false,
  bFlag: false,
  /** BA status (-1 for a BU). */
  status: -1,
  /** BU/BA lifetime (4-s units). */
  lifetime: -1,
  /** GRE Key options seen in this message. */
  greCount: 0,
  /** Some GRE Key option with Length 6 (a key present). */
  greWithKey: false,
  /** Tree node of the first GRE Key option (for attaching message-level findings). */
  greNode: -1,
  /** The MH protocol node. */
  root: -1,
  /** Nodes the message-level findings attach to (-1 when absent). */
  flagsNode: -1,
  statusNode: -1,
  lifetimeNode: -1,

  reset(mh: number, overUdp: boolean): void {
    this.mh = mh;
    this.mhEnd = mh;
    this.type = -1;
    this.overUdp = overUdp;
    this.optStart = mh;
    this.flags = -1;
    this.proxy = false;
    this.tFlag = false;
    this.bFlag = false;
    this.status = -1;
    this.lifetime = -1;
    this.greCount = 0;
    this.greWithKey = false;
    this.greNode = -1;
    this.root = -1;
    this.flagsNode = -1;
    this.statusNode = -1;
    this.lifetimeNode = -1;
  },
};
