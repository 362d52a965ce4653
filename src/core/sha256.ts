// sha256 in hex, one definition for the hot paths (lineage.source_hash of every record read, the
// audit chain of every entry). crypto.hash (Node ≥ 20.12) is one call without a Hash object:
// 2–3× faster than createHash().update().digest() on a record's JSON, and less garbage.
import crypto from 'node:crypto';

const oneShot = (crypto as unknown as { hash?: (alg: string, data: string | Buffer, enc: 'hex') => string }).hash;

/** sha256 of `data` (a string is hashed as UTF-8), in lower-case hex. */
export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}
