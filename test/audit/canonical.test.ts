import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { IsoInstants } from '../../src/audit/verify.ts';
import { canonicalJson, chainHash, GENESIS_HASH, stableJson, storableDetail, storableInstant, storableText } from '../../src/audit/canonical.ts';

describe('canonical form', () => {
  it('writes the fixed key order, UTC milliseconds, nulls and sorted detail without whitespace', () => {
    const s = canonicalJson({
      occurred_at: new Date('2019-03-04T10:25:13Z'), actor: 'CD5678', operation: 'consultation', justification: 'Op TRIDENT briefing',
      recipient: null, entity_type: 'search', entity_id: null, entity_ref: null,
      detail: { params: { surname: "O'Brien", forenameInitial: 'S', nested: { b: 1, a: [3, { z: 1, y: 2 }] } }, capability: 'S02' },
      origin: 'CRIMINT', legacy_audit_id: 'A000000001',
    });
    expect(s).toBe(
      '{"occurred_at":"2019-03-04T10:25:13.000Z","actor":"CD5678","operation":"consultation","justification":"Op TRIDENT briefing",' +
      '"recipient":null,"entity_type":"search","entity_id":null,"entity_ref":null,' +
      '"detail":{"capability":"S02","params":{"forenameInitial":"S","nested":{"a":[3,{"y":2,"z":1}],"b":1},"surname":"O\'Brien"}},' +
      '"origin":"CRIMINT","legacy_audit_id":"A000000001"}',
    );
  });

  it('hashes sha256(prev ‖ utf8(canonical)), genesis = 32 zero bytes', () => {
    expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
    const c = '{"a":"é"}';
    const expected = createHash('sha256').update(Buffer.concat([Buffer.alloc(32), Buffer.from(c, 'utf8')])).digest();
    expect(chainHash(GENESIS_HASH, c)).toEqual(expected);
  });

  it('escapes strings as JSON.stringify and sorts keys by code point', () => {
    expect(stableJson({ b: 'tab\there "q" \\ \u0001 é 😀', a: null, c: [1, 0.5, 1e21, -0] })).toBe('{"a":null,"b":"tab\\there \\"q\\" \\\\ \\u0001 é 😀","c":[1,0.5,1e+21,0]}');
    expect(stableJson({ '\uffff': 1, '😀': 2 })).toBe('{"\uffff":1,"😀":2}'); // U+FFFF < U+1F600
    expect(stableJson({ x: undefined, y: () => 1, d: new Date(0) })).toBe('{"d":"1970-01-01T00:00:00.000Z"}');
  });

  it('normalises what PostgreSQL cannot store, so stored = hashed', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableDetail({ k: 'v\u0000', n: [undefined, NaN] })).toEqual({ k: 'v', n: [null, null] });
    expect(storableDetail(undefined)).toBeNull();
    expect(storableInstant('2019-03-04T10:25:13.123456Z').toISOString()).toBe('2019-03-04T10:25:13.123Z');
    expect(() => storableInstant(new Date(NaN))).toThrow(/valid instant/);
  });
});

describe('the verifier’s ISO instants', () => {
  it('writes what toISOString writes: across days, back and forth, at the edges and outside 1970–9999', () => {
    const iso = new IsoInstants();
    const day = 86_400_000;
    const instants = [
      0, 1, 999, day - 1, day, day + 1, Date.UTC(2019, 2, 4, 10, 25, 13, 7), Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 2, 1),
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, -1, -day - 1, Date.UTC(1600, 0, 1), 8.64e15, // six-digit years, before 1970: toISOString itself
    ];
    // a chain's order (many instants a day), then days out of order
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = Date.UTC(2024, 0, 1), k = 0; k < 5000; k++) instants.push((t += Math.floor(next() * 3_600_000)));
    for (let k = 0; k < 5000; k++) instants.push(Math.floor(next() * 253_402_300_800_000));
    for (const ms of instants) expect([ms, iso.of(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });
});
