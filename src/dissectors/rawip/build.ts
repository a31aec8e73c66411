/**
 * Raw IP "builder" (LINKTYPE_RAW): no link header at all; the frame starts with the IPv4 or
 * IPv6 header. A zero-length layer that only names the link type.
 */
import { LINKTYPE_RAW } from '../../capture/linktypes.js';
import type { Layer } from '../../generate/layer.js';

export { LINKTYPE_RAW };

export function rawip(): Layer {
  return { kind: 'rawip', headerLen: () => 0, encode() {} };
}
