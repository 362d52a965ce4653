/**
 * UK telephone numbers (target-schema.md `object.telephone`; search-catalog.md S12).
 */

/**
 * Free-form UK number → E.164 (`+447700900123`), or null.
 * Separators (spaces, hyphens, dots, slashes, parentheses) are ignored; a `(0)` trunk digit after
 * an international prefix is dropped (`+44 (0)20 …`). Accepted prefixes: `+44`, `0044`, `44`
 * (only when followed by exactly 10 digits) and the national trunk `0`. The national number
 * after the prefix must be 10 digits starting 1–9, or 9 digits starting 1 or 8 (e.g. `0800 123456`).
 * Letters, other countries, `+` elsewhere, wrong lengths → null.
 */
export function toE164(s: unknown): string | null {
  if (typeof s !== 'string' && typeof s !== 'number') return null;
  let text = String(s).trim();
  if (/^(?:\+|00|44)/.test(text.replace(/[\s\-.\/()]/g, ''))) text = text.replace(/\(\s*0\s*\)/, '');
  const compact = text.replace(/[\s\-.\/()]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return null;
  let nsn: string;
  if (compact.startsWith('+44')) nsn = compact.slice(3);
  else if (compact.startsWith('+')) return null;
  else if (compact.startsWith('0044')) nsn = compact.slice(4);
  else if (compact.startsWith('44') && compact.length === 12) nsn = compact.slice(2);
  else if (compact.startsWith('0') && !compact.startsWith('00')) nsn = compact.slice(1);
  else return null;
  const ok = /^[1-9][0-9]{9}$/.test(nsn) || /^[18][0-9]{8}$/.test(nsn);
  return ok ? `+44${nsn}` : null;
}

/**
 * S12 key, exactly as the legacy search: digits only, then a leading `0044` or else `44`
 * replaced by `0` (`+44 7700 900123` → `07700900123`). No validation; '' when no digits.
 */
export function phoneSearchKey(s: string): string {
  const digits = String(s ?? '').replace(/[^0-9]/g, '');
  if (digits.startsWith('0044')) return `0${digits.slice(4)}`;
  if (digits.startsWith('44')) return `0${digits.slice(2)}`;
  return digits;
}
