import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 (lowercase hex) of a file, read as a stream so large tarballs never sit in memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 (lowercase hex) of a string (UTF-8) or bytes. */
export function sha256String(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always give equal text
 * (content keys must not depend on the order a manifest or a table was written in).
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** sha256 of a JSON-able value with stable key ordering: the content key of a table, a spec, a set of inputs. */
export function sha256Object(value: unknown): string {
  return sha256String(stableStringify(value));
}

