import type { Model } from './model.js';

/** The typed arrays a model holds, by the name their JSON form gives them. */
const TYPED = { Float64Array, Float32Array, Int32Array, Int16Array, Int8Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/** Format and version of an encoded model, refused when unknown rather than misread. */
const FORMAT = 'hark-model';
const VERSION = 1;

/**
 * A model as text (JSON, typed arrays as base64 of their bytes, little-endian as every machine hark runs on), so it
 * can be written to a file and scored on another machine with the same result.
 */
export function encodeModel(model: Model): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, model }, (_, value: unknown) => {
    const name = typedName(value);
    if (!name) return value;
    const array = value as Typed;
    return { typed: name, base64: Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64') };
  });
}

/** The model encodeModel wrote; throws on anything else. */
export function decodeModel(text: string): Model {
  const parsed = JSON.parse(text, (_, value: unknown) => {
    const v = value as { typed?: TypedName; base64?: string };
    if (!v || typeof v !== 'object' || typeof v.typed !== 'string' || !(v.typed in TYPED) || typeof v.base64 !== 'string') return value;
    const bytes = Buffer.from(v.base64, 'base64');
    const Type = TYPED[v.typed];
    // a copy, aligned for the element size
    return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }) as { format?: string; version?: number; model?: Model };
  if (parsed.format !== FORMAT || parsed.version !== VERSION || !parsed.model) {
    throw new Error(`not a ${FORMAT} version ${VERSION} file`);
  }
  return parsed.model;
}

function typedName(value: unknown): TypedName | undefined {
  for (const name of Object.keys(TYPED) as TypedName[]) if (value instanceof TYPED[name]) return name;
  return undefined;
}
