// Deterministic target ids: UUIDv5 over `SYSTEM:ENTITY:KEY` (target-schema.md), so a re-run
// writes the same ids. ENTITY is the legacy table or file (`NOMINAL`, `nominals.json`), KEY the
// legacy key as written; inline CRIMINT items use their JSON-path key (`N0001234/addresses/0`).
import crypto, { createHash } from 'node:crypto';

// crypto.hash (Node ≥ 20.12) is a one-shot digest, ~30% cheaper than createHash per id.
const oneShotSha1: ((data: Buffer) => Buffer) | null =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) => (crypto as unknown as { hash(alg: string, data: Buffer, enc: 'buffer'): Buffer }).hash('sha1', data, 'buffer')
    : null;

/** The Cutover namespace UUID (fixed forever: changing it changes every target id). */
export const CUTOVER_NAMESPACE = '3c1b7e52-6f0d-4c8e-9a51-2d4f0b8e7a10';

const nsBytes = Buffer.from(CUTOVER_NAMESPACE.replace(/-/g, ''), 'hex');

export function uuidv5(name: string, namespace: Buffer = nsBytes): string {
  const h = oneShotSha1 ? oneShotSha1(Buffer.concat([namespace, Buffer.from(name, 'utf8')])) : createHash('sha1').update(namespace).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function targetId(system: string, entity: string, key: string): string {
  return uuidv5(`${system}:${entity}:${key}`);
}
