/**
 * The capture layer's public contract. Readers deliver records without copying: a record's
 * `data` is a view of the reader's current chunk and is valid only until the next `fill()`.
 */

export type CaptureFormat = 'pcap' | 'pcapng';
export type ByteOrder = 'big-endian' | 'little-endian';

export interface InterfaceInfo {
  /** Index within the file (pcapng: IDB order within its section, global over sections). */
  id: number;
  linkType: number;
  snaplen: number;
  /** Timestamp resolution as a human string: "microseconds", "nanoseconds", "10^-3 s", "2^-20 s". */
  tsResolution: string;
  /** Units per second of the timestamp (1e6 for microseconds, 1e9 for nanoseconds, 2^k for binary). */
  tsUnitsPerSecond: number;
  name?: string;
  description?: string;
  comments: string[];
}

export interface CaptureWarning {
  message: string;
  /** Frame number (1-based) the warning is about, if any. */
  frame?: number;
}

export interface PacketRecord {
  /** 1-based frame number across the whole file. */
  frameNumber: number;
  /** Byte offset of the record (pcap record header / pcapng block) in the decompressed stream. */
  fileOffset: number;
  /** Buffer holding the packet bytes at [offset, offset + caplen). Shared; do not keep. */
  data: Uint8Array;
  offset: number;
  caplen: number;
  /** Original (on-the-wire) length. */
  origlen: number;
  /** Timestamp: whole seconds since the epoch and nanoseconds within the second. */
  tsSec: number;
  tsNsec: number;
  interfaceId: number;
  linkType: number;
  /** pcapng opt_comment values of this packet, if any (otherwise undefined; no allocation). */
  comments: string[] | undefined;
  /**
   * False only for records that carry no timestamp (pcapng simple packet blocks; tsSec and
   * tsNsec are then 0). gretool's readers always set it.
   */
  hasTimestamp?: boolean;
}

export interface CaptureInfo {
  format: CaptureFormat;
  byteOrder: ByteOrder;
  /** pcap: "2.4"; pcapng: section header version "1.0". */
  version: string;
  gzip: boolean;
  /**
   * pcap: the file header's timestamp precision. pcapng: true when some interface is finer than
   * microseconds (each interface has its own resolution).
   */
  nanosecond: boolean;
  /**
   * pcap: the one interface. pcapng: every interface description read so far (all blocks
   * before the first packet are read by openCapture; later ones are appended as they come).
   */
  interfaces: InterfaceInfo[];
  /** Section-header comments (pcapng), in order. */
  comments: string[];
  sections: number;
  /** pcap: the file header's snapshot length (pcapng: per interface). */
  snaplen?: number;
  /** pcapng: shb_hardware, shb_os and shb_userappl of the first section that has them. */
  hardware?: string;
  os?: string;
  application?: string;
  /** Size of the file in bytes when it is a regular, uncompressed file. */
  fileSize?: number;
}

export interface CaptureReader {
  readonly info: CaptureInfo;
  readonly warnings: CaptureWarning[];
  /**
   * Next record from the buffered data, or null when the buffer is exhausted (call `fill()`).
   * The returned object is reused by the next call.
   */
  next(): PacketRecord | null;
  /**
   * Reads the next chunk. Resolves to false at the clean end of input. Rejects with a
   * GretoolError (CAPTURE_TRUNCATED / CAPTURE_CORRUPT) only after every complete record before
   * the problem was delivered by `next()`.
   */
  fill(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Readers that deliver a slice of a capture (the batches of a worker thread, src/output/
   * parallel.ts) say, after each fill(), where the records now buffered sit in the capture's
   * time, so relative times and deltas are those of the whole capture.
   */
  sliceStart?(): SliceStart | null;
}

/** The time references of a slice of a capture. */
export interface SliceStart {
  /** The capture's first record. */
  firstSec: number;
  firstNsec: number;
  /** The record before the slice (the first record itself for the slice that starts the capture). */
  prevSec: number;
  prevNsec: number;
  /** False for the slice that starts the capture. */
  hasPrev: boolean;
}

export interface WriterInterface {
  linkType: number;
  snaplen?: number;
  name?: string;
}

export interface CaptureWriterOptions {
  format: CaptureFormat;
  /** pcap: nanosecond magic; pcapng: if_tsresol = 9. Default false (microseconds). */
  nanosecond?: boolean;
  interfaces: WriterInterface[];
  /** pcapng section comment. */
  comment?: string;
}

export interface CaptureWriter {
  /**
   * Appends one packet. `interfaceId` indexes the interfaces given at creation (pcap: must be 0).
   * `comment` becomes an opt_comment in pcapng (pcap cannot store it: dropped).
   * Returns false when the destination asks to wait: await `drain()` before writing much more.
   */
  write(
    data: Uint8Array,
    offset: number,
    caplen: number,
    origlen: number,
    tsSec: number,
    tsNsec: number,
    interfaceId?: number,
    comment?: string,
  ): boolean;
  /** Flushes the buffered records and waits until the destination can take more. */
  drain(): Promise<void>;
  /** Records written so far. */
  readonly records: number;
  /** Flushes and closes the destination (stdout is flushed, not closed). */
  close(): Promise<void>;
}
