/**
 * Vehicle registration marks (target-schema.md `object.vrm`; search-catalog.md S09).
 */

/** All whitespace removed, upper case; blank → null. No format check (any legacy VRM is kept). */
export function normaliseVrm(s: unknown): string | null {
  if (typeof s !== 'string' && typeof s !== 'number') return null;
  const v = String(s).replace(/\s+/gu, '').toUpperCase();
  return v === '' ? null : v;
}

export type VrmFormat = 'current' | 'prefix' | 'suffix' | 'dateless' | 'other';

/**
 * GB format of a normalised VRM (informative only, never used to reject):
 * current `AB12CDE`, prefix `A123BCD`, suffix `ABC123A`, dateless `ABC1234` / `1234AB` (1–4 letters
 * and 1–4 digits either way round, including Northern Ireland marks).
 */
export function vrmFormat(vrm: string): VrmFormat {
  if (/^[A-Z]{2}[0-9]{2}[A-Z]{3}$/.test(vrm)) return 'current';
  if (/^[A-Z][0-9]{1,3}[A-Z]{3}$/.test(vrm)) return 'prefix';
  if (/^[A-Z]{3}[0-9]{1,3}[A-Z]$/.test(vrm)) return 'suffix';
  if (/^[A-Z]{1,4}[0-9]{1,4}$/.test(vrm) || /^[0-9]{1,4}[A-Z]{1,4}$/.test(vrm)) return 'dateless';
  return 'other';
}
