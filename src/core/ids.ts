// Deterministic target ids: UUIDv5 over `SYSTEM:ENTITY:KEY` (target-schema.md), so a re-run
// writes the same ids. ENTITY is the legacy table or file (`NOMINAL`, `nominals.json`), KEY the
// legacy key as written; inline CRIMINT items use their JSON-path key (`N0001234/addresses/0`).
//
// Every migrated row, link and audit entry needs one, and reconciliation derives them all again,
// so the SHA-1 runs here in plain JavaScript over one reused buffer: about 4× cheaper than a call
// into node:crypto per id, and it makes no garbage but the result string. test/core/ids.test.ts
// holds it to node:crypto's SHA-1 byte for byte.

/** The Cutover namespace UUID (fixed forever: changing it changes every target id). */
export const CUTOVER_NAMESPACE = '3c1b7e52-6f0d-4c8e-9a51-2d4f0b8e7a10';

const uuidBytes = (uuid: string): Uint8Array => Uint8Array.from(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
const NAMESPACE_BYTES = uuidBytes(CUTOVER_NAMESPACE);
let lastNamespace: Uint8Array | null = null;
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** the character code of the hex digit of `v` at bits shift+3…shift */
const x = (v: number, shift: number): number => HEX_CODES[(v >>> shift) & 15]!;
const W = new Int32Array(80);
const encoder = new TextEncoder();
let buf = new Uint8Array(256);

/** The buffer, ready for a name of `units` UTF-16 code units after the namespace. */
function prepare(ns: Uint8Array, units: number): Uint8Array {
  // 16 namespace bytes, at most 3 UTF-8 bytes per UTF-16 unit, then 1 + up to 63 + 8 padding bytes
  const need = 16 + units * 3 + 72;
  if (need > buf.length) {
    buf = new Uint8Array(Math.max(need, buf.length * 2));
    lastNamespace = null;
  }
  if (ns !== lastNamespace) { // the buffer keeps the namespace between calls
    buf.set(ns, 0);
    lastNamespace = ns;
  }
  return buf;
}

/** Write `s` as UTF-8 at `at`; returns the offset after it. */
function put(b: Uint8Array, at: number, s: string): number {
  let n = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return at + encoder.encodeInto(s, b.subarray(at)).written;
    b[n++] = c;
  }
  return n;
}

/** SHA-1 of `namespace ‖ utf8(name)`, returned as the version-5 UUID text (RFC 9562 §5.5). */
export function uuidv5(name: string, namespace: Uint8Array | string = NAMESPACE_BYTES): string {
  const b = prepare(typeof namespace === 'string' ? uuidBytes(namespace) : namespace, name.length);
  return digest(b, put(b, 16, name));
}

/** The target id of SYSTEM:ENTITY:KEY: the name written part by part (no joined string). */
export function targetId(system: string, entity: string, key: string): string {
  const b = prepare(NAMESPACE_BYTES, system.length + entity.length + key.length + 2);
  let n = put(b, 16, system);
  b[n++] = 58; // ':'
  n = put(b, n, entity);
  b[n++] = 58;
  return digest(b, put(b, n, key));
}

/** SHA-1 over b[0, n) (padding it in place), as UUID text with the version and variant set. */
function digest(b: Uint8Array, n: number): string {
  const bits = n * 8;
  b[n++] = 0x80;
  while ((n & 63) !== 56) b[n++] = 0;
  const hi = Math.floor(bits / 0x100000000);
  b[n++] = hi >>> 24; b[n++] = (hi >>> 16) & 255; b[n++] = (hi >>> 8) & 255; b[n++] = hi & 255;
  b[n++] = bits >>> 24; b[n++] = (bits >>> 16) & 255; b[n++] = (bits >>> 8) & 255; b[n++] = bits & 255;

  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < n; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      W[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    // the four rounds of twenty, each without a branch
    for (let i = 0; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[i]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 40; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[i]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + (0xca62c1d6 | 0) + W[i]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = t;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  // the first 16 digest bytes, with the version (byte 6) and the variant (byte 8) set, as text
  // built in one piece (String.fromCharCode: a flat string, no chain of concatenations)
  h1 = (h1 & 0xffff0fff) | 0x5000;
  h2 = (h2 & 0x3fffffff) | 0x80000000;
  return String.fromCharCode(
    x(h0, 28), x(h0, 24), x(h0, 20), x(h0, 16), x(h0, 12), x(h0, 8), x(h0, 4), x(h0, 0), 45,
    x(h1, 28), x(h1, 24), x(h1, 20), x(h1, 16), 45, x(h1, 12), x(h1, 8), x(h1, 4), x(h1, 0), 45,
    x(h2, 28), x(h2, 24), x(h2, 20), x(h2, 16), 45, x(h2, 12), x(h2, 8), x(h2, 4), x(h2, 0),
    x(h3, 28), x(h3, 24), x(h3, 20), x(h3, 16), x(h3, 12), x(h3, 8), x(h3, 4), x(h3, 0),
  );
}

