// The validating byte scanner (src/sources/json-scan.ts) against JSON.parse, the reference: the
// same verdict on valid and broken inputs, the same element count, element byte ranges that
// parse to the same values, and the key member as JSON.parse would give it, whatever the chunking.
import { describe, expect, it } from 'vitest';
import { JsonArrayScanner, type ScannedElement } from '../../src/sources/json-scan.ts';
import { DecodeFailure } from '../../src/sources/json-errors.ts';
import { mulberry32 } from '../../src/parity/compact.ts';

const rng = mulberry32;

const PIECES = ['a', 'Z', ' ', 'é', '€', '😀', '"', '\\', '/', '\n', '\t', '\u0001', '\u2028', 'ref', '#', '{', ']', '0'];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 6 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return [0, -0, 1, -12, 3.25, 1e21, -4.5e-7, 123456789012345680000, 0.1][Math.floor(r() * 9)];
    case 3: case 4: case 5: {
      let s = '';
      const n = Math.floor(r() * 6);
      for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
      return s;
    }
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) o[['ref', 'name', 'x', 'r\u00e9f', 'refs'][Math.floor(r() * 5)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** An element as text, sometimes with a key member that JSON.stringify would not write (duplicates, escapes, odd spacing). */
function elementText(r: () => number): string {
  const v = randomValue(r, 1);
  const pick = r();
  if (pick < 0.15) return `{"ref":"A1","ref":${JSON.stringify(randomValue(r, 2))}}`; // the last member wins
  if (pick < 0.2) return `{"r\\u0065f":"K${Math.floor(r() * 9)}"}`; // the key's name written with an escape
  if (pick < 0.25) return `{ "ref" : "K\\u0031" , "n" : [1, {"ref": "inner"}] }`; // an escaped key value, a nested ref
  if (pick < 0.3) return `{"ref":"  "}`; // blank: the record gets #<index>
  if (pick < 0.55) return JSON.stringify({ ref: `K${Math.floor(r() * 1000)}`, v });
  return JSON.stringify(v, null, r() < 0.3 ? 1 : undefined);
}

function arrayText(r: () => number): string {
  const n = Math.floor(r() * 8);
  const ws = () => [' ', '', '\n', '\r\n\t'][Math.floor(r() * 4)]!;
  return `${ws()}[${ws()}${Array.from({ length: n }, () => elementText(r)).join(`${ws()},${ws()}`)}${ws()}]${ws()}`;
}

interface Scanned { ok: true; count: number; elements: ScannedElement[] }
interface Failed { ok: false; kind: string }

function scan(bytes: Buffer, r: () => number, keyField = 'ref'): Scanned | Failed {
  const elements: ScannedElement[] = [];
  const sc = new JsonArrayScanner(keyField, (e) => elements.push(e));
  try {
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(r() * (r() < 0.5 ? 4 : 64));
      sc.push(bytes.subarray(at, at + size));
      at += size;
    }
    sc.end();
    return { ok: true, count: sc.count, elements };
  } catch (err) {
    if (!(err instanceof DecodeFailure)) throw err;
    return { ok: false, kind: err.failure.kind };
  }
}

/** What JSON.parse says: the array's elements, or null when the text is not a JSON array. */
function reference(text: string): unknown[] | null {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** The key a CRIMINT record gets (json-export.ts crimintKey), from a parsed element. */
const keyOf = (v: unknown, index: number) => {
  const k = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).ref : undefined;
  return typeof k === 'string' && k.trim() !== '' ? k : `#${index}`;
};

function checkAgainstReference(text: string, seed: number) {
  const r = rng(seed);
  const bytes = Buffer.from(text, 'utf8');
  // (a mutation can cut a surrogate pair: the bytes hold U+FFFD there, and so does the reference)
  const want = reference(bytes.toString('utf8'));
  const got = scan(bytes, r);
  expect({ seed, valid: got.ok }).toEqual({ seed, valid: want !== null });
  if (!got.ok || !want) return;
  expect(got.count).toBe(want.length);
  got.elements.forEach((e, i) => {
    expect(e.index).toBe(i);
    const value = JSON.parse(bytes.subarray(e.start, e.end).toString('utf8'));
    expect(value).toEqual(want[i]);
    // the key as reported: a plain string's bytes give exactly the key JSON.parse gives
    if (e.key !== 'other') {
      const raw = e.key ? bytes.subarray(e.key.start, e.key.end).toString('utf8') : undefined;
      expect(typeof raw === 'string' && raw.trim() !== '' ? raw : `#${i}`).toBe(keyOf(want[i], i));
    }
  });
}

describe('JsonArrayScanner', () => {
  it('agrees with JSON.parse on 3,000 generated arrays, element by element, in any chunking', () => {
    for (let seed = 1; seed <= 3000; seed++) checkAgainstReference(arrayText(rng(seed)), seed);
  });

  it('agrees with JSON.parse on 6,000 broken variants (a byte removed, replaced or inserted)', () => {
    let invalid = 0;
    for (let seed = 1; seed <= 6000; seed++) {
      const r = rng(seed * 7919);
      const text = arrayText(r);
      const at = Math.floor(r() * (text.length + 1));
      const ch = '[]{}",:-.0eE+tfn\\ \u0000x'[Math.floor(r() * 20)]!;
      const op = seed % 3;
      const broken = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + ch + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at);
      if (reference(broken) === null) invalid++;
      checkAgainstReference(broken, seed);
    }
    expect(invalid).toBeGreaterThan(3000); // the mutations really break most inputs
  });

  it('judges numbers, literals and escapes as JSON.parse does', () => {
    const cases = ['[0]', '[-0]', '[01]', '[-]', '[1.]', '[.5]', '[1e]', '[1e+]', '[1E-2]', '[2.5e3]', '[-01]', '[1.5.2]', '[+1]', '[0x1]',
      '[true]', '[tru]', '[nul]', '[nulll]', '[falsey]', '["\\u12"]', '["\\u12g4"]', '["\\x"]', '["\\/"]', '["a\tb"]',
      '[1,]', '[,1]', '[1 2]', '[{"a":1,}]', '[{"a" 1}]', '[{1:2}]', '[[]]', '[{}]', '[]', ' [ ] ', '[1]]', '[[1]', '[{]}]', '[1] 2', '{}', '5', '"x"', ''];
    for (const [i, c] of cases.entries()) checkAgainstReference(c, i + 1);
  });

  it('reports the shape of a file that is not an array, and bad UTF-8, as the tokenizer path does', () => {
    const shape = scan(Buffer.from('  {"a": 1}'), rng(1));
    expect(shape).toEqual({ ok: false, kind: 'shape' });
    for (const bad of [Buffer.from([0x5b, 0x22, 0xc3, 0x22, 0x5d]), Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), Buffer.from([0x5b, 0x22, 0xe2, 0x82])]) {
      for (let seed = 1; seed <= 5; seed++) expect(scan(bad, rng(seed))).toEqual({ ok: false, kind: 'utf8' });
    }
    // a character split over chunks is fine
    const split = Buffer.from('["😀€é"]');
    for (let seed = 1; seed <= 20; seed++) expect(scan(split, rng(seed))).toMatchObject({ ok: true, count: 1 });
    // a BOM at the start is skipped, as the tokenizer path does
    expect(scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[1,2]')]), () => 0.99)).toMatchObject({ ok: true, count: 2 });
  });
});
