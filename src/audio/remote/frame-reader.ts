import { HEADER_BYTES, MAX_PAYLOAD, ProtocolError, type Frame } from './protocol.js';

/**
 * Cuts a byte stream into frames. An oversized length is refused as soon as its header arrives, before any of
 * the payload is stored; each payload is copied once into a buffer of its final size.
 */
export class FrameReader {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFilled = 0;
  private payload: Buffer | undefined;
  private payloadFilled = 0;

  /** Returns the frames completed by `chunk`; throws ProtocolError when a frame is too long. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.payload) {
        const n = chunk.copy(this.header, this.headerFilled, at, at + HEADER_BYTES - this.headerFilled);
        this.headerFilled += n;
        at += n;
        if (this.headerFilled < HEADER_BYTES) break;
        const length = this.header.readUInt32BE(1);
        if (length > MAX_PAYLOAD) throw new ProtocolError(`frame of ${length} bytes is over ${MAX_PAYLOAD}`);
        this.payload = Buffer.alloc(length);
        this.payloadFilled = 0;
      }
      const n = chunk.copy(this.payload, this.payloadFilled, at);
      this.payloadFilled += n;
      at += n;
      if (this.payloadFilled === this.payload.length) {
        frames.push({ type: this.header.readUInt8(0), payload: this.payload });
        this.payload = undefined;
        this.headerFilled = 0;
      }
    }
    return frames;
  }
}
