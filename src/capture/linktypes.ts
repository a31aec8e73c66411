/**
 * Link-layer header types (the LINKTYPE_* registry shared by pcap and pcapng). One table, read
 * by the capture readers (to warn about unknown types), `gretool info` and the dissectors'
 * "link.type" dispatch.
 */

/** Link types gretool dissects or names most often. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface LinkTypeEntry {
  /** The registry constant without its LINKTYPE_ prefix, e.g. "ETHERNET". */
  constant: string;
  /** A human name, e.g. "Ethernet". */
  name: string;
}

const ENTRIES: [number, string, string][] = [
  [0, 'NULL', 'BSD null/loopback'],
  [1, 'ETHERNET', 'Ethernet'],
  [3, 'AX25', 'AX.25'],
  [6, 'IEEE802_5', 'IEEE 802.5 Token Ring'],
  [7, 'ARCNET_BSD', 'ARCNET (BSD)'],
  [8, 'SLIP', 'SLIP'],
  [9, 'PPP', 'PPP'],
  [10, 'FDDI', 'FDDI'],
  [50, 'PPP_HDLC', 'PPP in HDLC-like framing'],
  [51, 'PPP_ETHER', 'PPPoE'],
  [100, 'ATM_RFC1483', 'RFC 1483 LLC/SNAP-encapsulated ATM'],
  [101, 'RAW', 'Raw IP'],
  [104, 'C_HDLC', 'Cisco HDLC'],
  [105, 'IEEE802_11', 'IEEE 802.11 wireless LAN'],
  [107, 'FRELAY', 'Frame Relay'],
  [108, 'LOOP', 'OpenBSD loopback'],
  [113, 'LINUX_SLL', 'Linux cooked capture v1'],
  [114, 'LTALK', 'Apple LocalTalk'],
  [117, 'PFLOG', 'OpenBSD pflog'],
  [119, 'IEEE802_11_PRISM', 'IEEE 802.11 plus Prism header'],
  [122, 'IP_OVER_FC', 'RFC 2625 IP over Fibre Channel'],
  [123, 'SUNATM', 'SunATM'],
  [127, 'IEEE802_11_RADIOTAP', 'IEEE 802.11 plus radiotap header'],
  [129, 'ARCNET_LINUX', 'ARCNET (Linux)'],
  [138, 'APPLE_IP_OVER_IEEE1394', 'Apple IP over IEEE 1394'],
  [139, 'MTP2_WITH_PHDR', 'SS7 MTP2 with pseudo-header'],
  [140, 'MTP2', 'SS7 MTP2'],
  [141, 'MTP3', 'SS7 MTP3'],
  [142, 'SCCP', 'SS7 SCCP'],
  [143, 'DOCSIS', 'DOCSIS'],
  [144, 'LINUX_IRDA', 'Linux IrDA'],
  [147, 'USER0', 'User 0'],
  [148, 'USER1', 'User 1'],
  [149, 'USER2', 'User 2'],
  [150, 'USER3', 'User 3'],
  [151, 'USER4', 'User 4'],
  [152, 'USER5', 'User 5'],
  [153, 'USER6', 'User 6'],
  [154, 'USER7', 'User 7'],
  [155, 'USER8', 'User 8'],
  [156, 'USER9', 'User 9'],
  [157, 'USER10', 'User 10'],
  [158, 'USER11', 'User 11'],
  [159, 'USER12', 'User 12'],
  [160, 'USER13', 'User 13'],
  [161, 'USER14', 'User 14'],
  [162, 'USER15', 'User 15'],
  [163, 'IEEE802_11_AVS', 'IEEE 802.11 plus AVS header'],
  [166, 'PPP_PPPD', 'PPP with direction (pppd)'],
  [169, 'GPRS_LLC', 'GPRS LLC'],
  [177, 'LINUX_LAPD', 'LAPD with Linux vISDN header'],
  [187, 'BLUETOOTH_HCI_H4', 'Bluetooth HCI UART transport'],
  [189, 'USB_LINUX', 'USB with Linux header'],
  [192, 'PPI', 'Per-Packet Information'],
  [195, 'IEEE802_15_4_WITHFCS', 'IEEE 802.15.4 with FCS'],
  [197, 'ERF', 'Endace ERF'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR', 'Bluetooth HCI UART with direction'],
  [204, 'PPP_WITH_DIR', 'PPP with direction'],
  [220, 'USB_LINUX_MMAPPED', 'USB with Linux mmapped header'],
  [227, 'CAN_SOCKETCAN', 'SocketCAN'],
  [228, 'IPV4', 'Raw IPv4'],
  [229, 'IPV6', 'Raw IPv6'],
  [231, 'DBUS', 'D-Bus'],
  [239, 'NFLOG', 'Linux netfilter log'],
  [240, 'NETANALYZER', 'Hilscher netANALYZER'],
  [242, 'IPOIB', 'IP over InfiniBand'],
  [243, 'MPEG_2_TS', 'MPEG-2 transport stream'],
  [247, 'INFINIBAND', 'InfiniBand'],
  [248, 'SCTP', 'SCTP'],
  [249, 'USBPCAP', 'USBPcap'],
  [251, 'BLUETOOTH_LE_LL', 'Bluetooth LE link layer'],
  [253, 'NETLINK', 'Linux netlink'],
  [254, 'BLUETOOTH_LINUX_MONITOR', 'Bluetooth Linux monitor'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR', 'Bluetooth LE link layer with pseudo-header'],
  [258, 'PKTAP', 'Apple PKTAP'],
  [263, 'WATTSTOPPER_DLM', 'WattStopper DLM'],
  [266, 'USB_DARWIN', 'USB with Darwin header'],
  [271, 'VSOCK', 'Linux vsock'],
  [272, 'NORDIC_BLE', 'Nordic BLE sniffer'],
  [274, 'ETHERNET_MPACKET', 'IEEE 802.3br mPacket'],
  [276, 'LINUX_SLL2', 'Linux cooked capture v2'],
];

/** The link-type table: number → constant and name. */
export const LINK_TYPES: ReadonlyMap<number, LinkTypeEntry> = new Map(
  ENTRIES.map(([n, constant, name]) => [n, { constant, name }]),
);

/** True when the link type is in gretool's table. */
export function isKnownLinkType(linkType: number): boolean {
  return LINK_TYPES.has(linkType);
}

/** A human name for a link type: "Ethernet", or "link type 147" for numbers not in the table. */
export function linkTypeName(linkType: number): string {
  return LINK_TYPES.get(linkType)?.name ?? `link type ${linkType}`;
}
