import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CUTOVER_NAMESPACE, targetId, uuidv5 } from '../../src/core/ids.ts';

/** The reference: RFC 9562 UUIDv5 through node:crypto's SHA-1. */
function reference(name: string, ns = CUTOVER_NAMESPACE): string {
  const h = createHash('sha1').update(Buffer.from(ns.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

describe('uuidv5 (JavaScript SHA-1)', () => {
  it('matches node:crypto at every length across the one- and two-block padding boundaries', () => {
    for (let len = 0; len <= 300; len++) {
      const name = 'k'.repeat(len);
      expect(uuidv5(name), `length ${len}`).toBe(reference(name));
    }
  });

  it('matches node:crypto on non-ASCII, NUL, astral and lone-surrogate names', () => {
    for (const name of ['CRIS:NOMINAL:Ó Súilleabháin', 'a\0b', 'x😀y', 'lone \ud800 surrogate', 'é'.repeat(70), '\u2400'.repeat(40)]) {
      expect(uuidv5(name)).toBe(reference(name));
    }
  });

  it('matches node:crypto on 5,000 random keys, and with another namespace', () => {
    for (let i = 0; i < 5000; i++) {
      const name = `CRIMINT:nominals.json:${randomBytes(1 + (i % 90)).toString(i % 3 ? 'base64' : 'latin1')}`;
      expect(uuidv5(name)).toBe(reference(name));
    }
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidv5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(uuidv5('www.example.com', dns)).toBe(reference('www.example.com', dns));
  });

  it('gives the target id of SYSTEM:ENTITY:KEY, version 5, RFC variant', () => {
    const id = targetId('CRIS', 'NOMINAL', '1000001');
    expect(id).toBe(reference('CRIS:NOMINAL:1000001'));
    for (const key of ['Ó Súilleabháin/addresses/0', 'x😀y', 'k'.repeat(120), '']) expect(targetId('CRIMINT', 'nominals.json', key)).toBe(reference(`CRIMINT:nominals.json:${key}`));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
