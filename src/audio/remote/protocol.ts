/**
 * The hark listening protocol: clips sent over TCP to a `hark listen` that plays them.
 *
 * Every message is one frame: a type byte, the payload length as an unsigned 32-bit big-endian integer, then the
 * payload. Payloads longer than MAX_PAYLOAD are refused.
 *
 *   player -> listener
 *     0x01 HELLO    "hark/1\n" followed by the token (UTF-8, may be empty). Must be the first frame.
 *     0x02 PLAY     sample rate (u32 BE), then mono signed 16-bit little-endian samples. Cuts off what plays.
 *     0x03 STOP     empty
 *   listener -> player
 *     0x81 WELCOME  empty: the hello was accepted
 *     0x82 REFUSED  the reason (UTF-8); the listener closes the connection after it
 *
 * Anything else (an unknown type, a bad payload, a frame before HELLO) makes the listener drop the connection.
 */

export const MAX_PAYLOAD = 10 * 1024 * 1024;
export const HEADER_BYTES = 5;
const HELLO_PREFIX = 'hark/1\n';
const MAX_SAMPLE_RATE = 384000;

export const FrameType = {
  hello: 0x01,
  play: 0x02,
  stop: 0x03,
  welcome: 0x81,
  refused: 0x82,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: number;
  payload: Buffer;
}

/** What a player sends to a listener. */
export type ListenerMessage =
  | { type: 'hello'; token: string }
  | { type: 'play'; sampleRate: number; pcm: Int16Array }
  | { type: 'stop' };

/** What a listener answers a player. */
export type PlayerMessage = { type: 'welcome' } | { type: 'refused'; reason: string };

export class ProtocolError extends Error {}

export function encodeFrame(type: FrameType, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new ProtocolError(`payload of ${payload.length} bytes is over ${MAX_PAYLOAD}`);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export const encodeHello = (token: string) => encodeFrame(FrameType.hello, Buffer.from(HELLO_PREFIX + token, 'utf8'));
export const encodeStop = () => encodeFrame(FrameType.stop);
export const encodeWelcome = () => encodeFrame(FrameType.welcome);
export const encodeRefused = (reason: string) => encodeFrame(FrameType.refused, Buffer.from(reason, 'utf8'));

export function encodePlay(pcm: Int16Array, sampleRate: number): Buffer {
  const rate = Buffer.alloc(4);
  rate.writeUInt32BE(sampleRate, 0);
  return encodeFrame(FrameType.play, Buffer.concat([rate, toS16le(pcm)]));
}

/** Samples as signed 16-bit little-endian bytes, whatever this machine's byte order. */
export function toS16le(pcm: Int16Array): Buffer {
  const bytes = Buffer.alloc(pcm.byteLength);
  for (let i = 0; i < pcm.length; i++) bytes.writeInt16LE(pcm[i], 2 * i);
  return bytes;
}

/** Reads what a player sent; throws ProtocolError for anything malformed. */
export function decodeListenerMessage({ type, payload }: Frame): ListenerMessage {
  switch (type) {
    case FrameType.hello: {
      const text = payload.toString('utf8');
      if (!text.startsWith(HELLO_PREFIX)) throw new ProtocolError('not a hark/1 hello');
      return { type: 'hello', token: text.slice(HELLO_PREFIX.length) };
    }
    case FrameType.play: {
      if (payload.length < 4 || payload.length % 2 !== 0) throw new ProtocolError('play frame of odd length');
      const sampleRate = payload.readUInt32BE(0);
      if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) throw new ProtocolError(`sample rate ${sampleRate} out of range`);
      const pcm = new Int16Array((payload.length - 4) / 2);
      for (let i = 0; i < pcm.length; i++) pcm[i] = payload.readInt16LE(4 + 2 * i);
      return { type: 'play', sampleRate, pcm };
    }
    case FrameType.stop:
      if (payload.length !== 0) throw new ProtocolError('stop frame with a payload');
      return { type: 'stop' };
    default:
      throw new ProtocolError(`unknown frame type 0x${type.toString(16)}`);
  }
}

/** Reads what a listener sent; throws ProtocolError for anything malformed. */
export function decodePlayerMessage({ type, payload }: Frame): PlayerMessage {
  if (type === FrameType.welcome) return { type: 'welcome' };
  if (type === FrameType.refused) return { type: 'refused', reason: payload.toString('utf8') };
  throw new ProtocolError(`unknown frame type 0x${type.toString(16)}`);
}
