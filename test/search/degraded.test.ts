// The degraded test profile differs from the SQL adapter exactly where it says it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createSqlSearch, type SqlSearch } from '../../mappings/search/index.ts';
import { createDegradedSearch } from '../../mappings/search/degraded.ts';
import { NotSupportedError, type CapabilityId } from '../../src/parity/types.ts';
import { loadFixture, names } from './fixture.ts';

let url: string;
let sql: SqlSearch;
let degraded: SqlSearch;

beforeAll(async () => {
  url = await createTestDatabase('search_degraded');
  await migrate(url);
  await loadFixture(url);
  sql = createSqlSearch(url);
  degraded = createDegradedSearch(url);
});

afterAll(async () => {
  await sql?.close();
  await degraded?.close();
  if (url) await dropTestDatabase(url);
});

const both = async (cap: CapabilityId, params: Record<string, unknown>) => ({
  sql: names(await sql.search(cap, params)),
  degraded: names(await degraded.search(cap, params)),
});

describe('createDegradedSearch', () => {
  it('S02 phonetic search is missing (LOST)', async () => {
    await expect(degraded.search('S02', { surname: 'Smith' })).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('S04 compares exact dates: partial DOBs are lost', async () => {
    expect(await both('S04', { dob: '00/03/1985' })).toEqual({ sql: ['oBrienMary', 'obrien'], degraded: ['obrien'] });
    expect(await both('S04', { dob: '12/03/1985' })).toEqual({ sql: ['oBrienMary', 'obrien'], degraded: ['obrien'] });
    expect(await both('S04', { dob: '11/11/1975' })).toEqual({ sql: ['jones'], degraded: ['jones'] });
  });

  it('S07 districts by plain prefix: SE1 finds SE10 and SE19 (extra records)', async () => {
    expect(await both('S07', { postcode: 'SE1' })).toEqual({
      sql: ['lHigh', 'lOldKent', 'lStation'],
      degraded: ['lCarPark', 'lHigh', 'lHighRoad', 'lOldKent', 'lStation'],
    });
    expect(await both('S07', { postcode: 'SE1 9GF' })).toEqual({ sql: ['lHigh'], degraded: ['lHigh'] });
  });

  it('S14 splits on blanks only: hyphenated and punctuated words are missed', async () => {
    expect(await both('S14', { words: 'car' })).toEqual({ sql: ['e1', 'e2', 'e3', 'e4', 'e6'], degraded: ['e2', 'e3', 'e4', 'e6'] });
    expect(await both('S14', { words: 'station' })).toEqual({ sql: ['e2', 'e3'], degraded: ['e3'] });
    expect(await both('S14', { words: '', phrase: 'stolen car' })).toEqual({ sql: ['e2'], degraded: ['e2'] });
  });

  it('every other capability is the SQL adapter’s', async () => {
    for (const [cap, params] of [
      ['S01', { surname: 'OBRIEN' }],
      ['S05', { minAge: 34, maxAge: 34, onDate: '2019-07-01' }],
      ['S13', { reference: '412345/2019' }],
      ['S20', { surname: 'Smith', forenames: 'John', dob: '29/02/1980' }],
    ] as Array<[CapabilityId, Record<string, unknown>]>) {
      const r = await both(cap, params);
      expect(r.degraded).toEqual(r.sql);
      expect(r.sql.length).toBeGreaterThan(0);
    }
  });
});
