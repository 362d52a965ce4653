// Workload: replayed legacy searches, generated hard cases, --workload file validation.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOracle, type Oracle } from '../../src/parity/oracle.ts';
import { parseWorkload, loadWorkloadFile, replayedWorkload, generateWorkload, WorkloadFileError } from '../../src/parity/workload.ts';
import { soundexMisspelling, phoneForms, referenceForms } from '../../src/parity/workload-gen.ts';
import { soundex, nameMatchKey } from '../../src/transform/names.ts';
import { phoneSearchKey } from '../../src/transform/phone.ts';
import { CAPABILITY_IDS } from '../../src/parity/types.ts';
import { validateParams } from '../../src/parity/catalog.ts';
import { fixtureSources, RESTRICTED, P } from './fixture.ts';

let oracle: Oracle;
beforeAll(async () => {
  oracle = await buildOracle(fixtureSources());
});

describe('replayed legacy searches', () => {
  it('takes SEARCH entries from both audits, validated; invalid ones are reported with their source', () => {
    const r = replayedWorkload(oracle);
    expect(r.seen).toBe(4);
    expect(r.queries.map((q) => [q.capability, q.params, q.origin, q.source])).toEqual([
      ['S01', { surname: 'OBRIEN' }, 'replayed', 'CRIS:AUDIT_TRAIL:5'],
      ['S09', { vrm: 'AB12 CDE' }, 'replayed', 'CRIMINT:audit.json:A3'],
    ]);
    expect(r.invalidCount).toBe(2);
    expect(r.invalid).toEqual([
      { origin: 'replayed', source: 'CRIS:AUDIT_TRAIL:6', message: expect.stringMatching(/S02 params: .*surname.*Unrecognized key: "surnam"|S02 params: .*Unrecognized key: "surnam".*surname/) },
      { origin: 'replayed', source: 'CRIMINT:audit.json:A6', message: 'unknown capability "S99"' },
    ]);
  });
  it('can be limited to some capabilities', () => {
    expect(replayedWorkload(oracle, ['S09']).queries.map((q) => q.capability)).toEqual(['S09']);
  });
});

describe('--workload file', () => {
  it('parses JSON lines, skipping blanks and # comments, canonicalising dates and roles', () => {
    const text = [
      '# my queries',
      '{"capability":"S02","params":{"surname":"Smyth"}}',
      '',
      '{"capability":"S15","params":{"codes":["28E"],"from":"01/01/2019","to":"2020-01-01"},"note":"mine"}',
      '{"capability":"S17","params":{"nominal":"100","roles":["SU","victim"]}}',
    ].join('\n');
    const r = parseWorkload(text, 'w.jsonl');
    expect(r.invalid).toEqual([]);
    expect(r.queries).toEqual([
      { capability: 'S02', params: { surname: 'Smyth' }, origin: 'workload' },
      { capability: 'S15', params: { codes: ['28E'], from: '2019-01-01', to: '2020-01-01' }, origin: 'workload', note: 'mine' },
      { capability: 'S17', params: { nominal: '100', roles: ['suspect', 'victim'] }, origin: 'workload' },
    ]);
  });
  it('names the line of every error', () => {
    const text = [
      '{"capability":"S02","params":{"surname":"Smyth"}}',
      '{"capability":"S02","params":{"surname":"Smyth"}',
      '[1,2]',
      '{"capability":"S21","params":{}}',
      '{"capability":"S07","params":{"postcode":"NOPE"}}',
      '{"capability":"S01","params":{"surname":"X"},"extra":1}',
      '{"capability":"S04","params":{"dob":"1985-03-12"}}',
      '{"capability":"S05","params":{"minAge":40,"maxAge":30,"onDate":"2020-01-01"}}',
      '{"capability":"S01"}',
    ].join('\n');
    const r = parseWorkload(text, 'w.jsonl');
    expect(r.queries).toHaveLength(1);
    expect(r.invalid.map((i) => i.message)).toEqual([
      expect.stringMatching(/^w\.jsonl:2: not JSON/),
      'w.jsonl:3: expected an object {"capability": "S01", "params": {...}}',
      'w.jsonl:4: unknown capability "S21" (expected S01–S20)',
      'w.jsonl:5: S07 params: postcode: postcode must be a full postcode, a sector (SE1 9) or an outward code (SE1)',
      'w.jsonl:6: unknown field "extra" (allowed: capability, params, note)',
      'w.jsonl:7: S04 params: dob: dob must be dd/mm/yyyy, 00/mm/yyyy or 00/00/yyyy',
      'w.jsonl:8: S05 params: minAge must not exceed maxAge',
      'w.jsonl:9: S01: "params" must be an object',
    ]);
  });
  it('a file with invalid lines stops the run with every error listed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parity-'));
    const file = path.join(dir, 'w.jsonl');
    await writeFile(file, '{"capability":"S09","params":{"vrm":"AB12CDE"}}\n{"capability":"S09","params":{"vrm":""}}\n');
    await expect(loadWorkloadFile(file)).rejects.toThrow(WorkloadFileError);
    await expect(loadWorkloadFile(file)).rejects.toThrow(/w\.jsonl:2: S09 params: vrm: vrm must not be blank/);
    await writeFile(file, '{"capability":"S09","params":{"vrm":"AB12CDE"}}\n');
    expect(await loadWorkloadFile(file)).toHaveLength(1);
    await expect(loadWorkloadFile(path.join(dir, 'missing.jsonl'))).rejects.toThrow(/cannot read workload file/);
  });
});

describe('generated workload', () => {
  it('is deterministic and valid, with hard cases', () => {
    const a = generateWorkload(oracle, { perCapability: 12, restricted: RESTRICTED });
    const b = generateWorkload(oracle, { perCapability: 12, restricted: RESTRICTED });
    expect(a.queries).toEqual(b.queries);
    for (const q of a.queries) {
      expect(() => oracle.run(q.capability, q.params)).not.toThrow();
      // canonical params are a fixed point: both sides get the same values
      expect(validateParams(q.capability, q.params)).toEqual({ ok: true, params: q.params });
    }
    const notes = (c: string) => new Set(a.queries.filter((q) => q.capability === c).map((q) => q.note));
    // restricted person 107 (SMITH JOHNPAUL): S01/S02 must not find it, S20 must
    expect(notes('S01')).toContain('restricted');
    expect(notes('S01')).toContain('deleted');
    expect(notes('S01')).toContain('alias');
    expect(notes('S02')).toContain('soundex-misspelling');
    expect(notes('S07')).toContain('district-vs-longer');
    expect(notes('S07')).toContain('sector');
    expect(notes('S13')).toContain('restricted');
    expect(notes('S13')).toContain('deleted');
    expect(notes('S19')).toContain('deleted-event');
    expect(notes('S20')).toContain('restricted');
    expect(notes('S20')).toContain('alias-no-dob');
    const sar = a.queries.find((q) => q.capability === 'S20' && q.note === 'restricted')!;
    expect(oracle.run('S20', sar.params, { restricted: RESTRICTED })).toContain(P(107));
    const s01 = a.queries.filter((q) => q.capability === 'S01' && q.note === 'restricted');
    for (const q of s01) expect(oracle.run('S01', q.params, { restricted: RESTRICTED })).not.toContain(P(107));
    // SE1 (SE10 exists) and E1 (E10, E17 exist)
    const districts = a.queries.filter((q) => q.capability === 'S07' && q.note === 'district-vs-longer').map((q) => q.params.postcode);
    expect(districts).toEqual(['E1', 'SE1']);
  });
  it('reports capabilities that got fewer queries than asked', () => {
    const r = generateWorkload(oracle, { perCapability: 500, capabilities: ['S16'] });
    expect(r.shortfall).toEqual([{ capability: 'S16', generated: r.queries.length }]);
    expect(r.queries.length).toBeGreaterThan(0);
  });
  it('covers every capability', () => {
    const r = generateWorkload(oracle, { perCapability: 5, restricted: RESTRICTED });
    expect(new Set(r.queries.map((q) => q.capability))).toEqual(new Set(CAPABILITY_IDS));
  });
});

describe('hard-case value forms', () => {
  it('soundex misspellings keep the key and change the name', () => {
    for (const s of ['Smith', "O'Brien", 'Núñez', 'Taylor', 'Lee']) {
      const m = soundexMisspelling(s);
      expect(m, s).not.toBeNull();
      expect(soundex(m!)).toBe(soundex(s));
      expect(nameMatchKey(m!)).not.toBe(nameMatchKey(s));
    }
  });
  it('phone forms share the S12 key', () => {
    const forms = phoneForms('07700 900123');
    expect(forms.map((f) => f.note)).toEqual(['phone-as-recorded', 'phone-0', 'phone-+44', 'phone-0044']);
    for (const f of forms) expect(phoneSearchKey(f.number)).toBe('07700900123');
  });
  it('CRIS number forms: 4-digit year, no leading zeros', () => {
    expect(referenceForms('0412345/19').map((f) => f.reference)).toEqual(['0412345/19', '0412345/2019', '412345/19']);
    expect(referenceForms('0000001/98').map((f) => f.reference)).toEqual(['0000001/98', '0000001/1998', '1/98']);
    expect(referenceForms('IR/2019/0001234').map((f) => f.reference)).toEqual(['IR/2019/0001234', 'ir/2019/0001234']);
  });
});
