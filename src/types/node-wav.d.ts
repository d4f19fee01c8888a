declare module 'node-wav' {
  export function decode(buffer: Buffer): { sampleRate: number; channelData: Float32Array[] };
  export function encode(
    channelData: Float32Array[],
    opts: { sampleRate: number; float?: boolean; bitDepth?: number },
  ): Buffer;
}
