// The SQL target search (mappings/search) on a small hand-made target: exact result sets for the
// catalog's edge cases, capability by capability.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createSqlSearch, type SqlSearch } from '../../mappings/search/index.ts';
import { birthPeriodForAges } from '../../mappings/search/people.ts';
import { parseFreeText } from '../../mappings/search/events.ts';
import { dobOverlapSql, dobOverlapValues, ids, personsByDob, personsByNameRecord, runIds } from '../../mappings/search/sql.ts';
import { NotSupportedError, type CapabilityId } from '../../src/parity/types.ts';
import { InvalidParamsError } from '../../src/parity/catalog.ts';
import { F, LONG_TOKEN, loadFixture, names, type FixtureName } from './fixture.ts';

let url: string;
let search: SqlSearch;

beforeAll(async () => {
  url = await createTestDatabase('search_sql');
  await migrate(url);
  await loadFixture(url);
  search = createSqlSearch(url);
});

afterAll(async () => {
  await search?.close();
  if (url) await dropTestDatabase(url);
});

async function run(capability: CapabilityId, params: Record<string, unknown>): Promise<string[]> {
  return names(await search.search(capability, params));
}
const expected = (...n: Array<FixtureName | `audit:${string}`>) => [...n].sort();

describe('the adapter\'s own pool', () => {
  it('runs searches without parallel workers, whatever the server\'s default', async () => {
    const { rows } = await search.pool.query<{ n: string }>("SELECT current_setting('max_parallel_workers_per_gather') AS n");
    expect(rows[0]!.n).toBe('0');
  });
});

describe('S01 nominal, exact name', () => {
  it('folds case, accents, apostrophes, blanks and hyphens', async () => {
    expect(await run('S01', { surname: 'OBRIEN' })).toEqual(expected('obrien', 'obrienJohn', 'oBrienMary'));
    expect(await run('S01', { surname: 'Jose' })).toEqual(expected('jose'));
    expect(await run('S01', { surname: 'smith jones' })).toEqual(expected('smithJones'));
  });
  it('forenames are a prefix of the same name record', async () => {
    expect(await run('S01', { surname: "o'brien", forenames: 'sean' })).toEqual(expected('obrien'));
    expect(await run('S01', { surname: 'smith', forenames: 'john p' })).toEqual(expected('smith'));
    expect(await run('S01', { surname: 'smith', forenames: 'paul' })).toEqual([]);
  });
  it('matches aliases (O’Brian, typographic apostrophe) and returns their person', async () => {
    expect(await run('S01', { surname: "O'Brian", forenames: 'SEAN' })).toEqual(expected('obrien'));
    expect(await run('S01', { surname: 'Bryan' })).toEqual(expected('obrien'));
  });
  it('hides restricted people', async () => {
    expect(await run('S01', { surname: 'Smith' })).toEqual(expected('smith', 'smithAdam'));
    expect(await run('S01', { surname: 'Smith', forenames: 'John' })).toEqual(expected('smith'));
  });
});

describe('S02 nominal, phonetic', () => {
  it('finds misspellings through Soundex, on primary names and aliases', async () => {
    expect(await run('S02', { surname: "O'Brein" })).toEqual(expected('obrien', 'obrienJohn', 'oBrienMary'));
    expect(await run('S02', { surname: 'Smith' })).toEqual(expected('smith', 'smithAdam', 'smyth'));
    expect(await run('S02', { surname: 'Johnsen' })).toEqual(expected('jones'));
  });
  it('checks the forename initial on the same name record', async () => {
    expect(await run('S02', { surname: 'Smyth', forenameInitial: 'j' })).toEqual(expected('smith', 'smyth'));
    expect(await run('S02', { surname: 'Bryan', forenameInitial: 'S' })).toEqual(expected('obrien'));
    expect(await run('S02', { surname: 'Bryan', forenameInitial: 'P' })).toEqual([]);
  });
});

describe('S03 nominal, wildcard', () => {
  it('matches the surname name key with * and ?, primary names only', async () => {
    expect(await run('S03', { pattern: 'O*BRI?N' })).toEqual(expected('obrien', 'obrienJohn', 'oBrienMary'));
    expect(await run('S03', { pattern: 'smith*' })).toEqual(expected('smith', 'smithAdam', 'smithJones'));
    expect(await run('S03', { pattern: 'Sm?th' })).toEqual(expected('smith', 'smithAdam', 'smyth'));
    expect(await run('S03', { pattern: 'BRYAN' })).toEqual([]); // an alias only
    expect(await run('S03', { pattern: 'JOS?' })).toEqual(expected('jose'));
  });
});

describe('S04 nominal, date of birth', () => {
  it('overlaps partial periods on both sides, aliases included', async () => {
    expect(await run('S04', { dob: '12/03/1985' })).toEqual(expected('obrien', 'oBrienMary'));
    expect(await run('S04', { dob: '00/03/1985' })).toEqual(expected('obrien', 'oBrienMary'));
    expect(await run('S04', { dob: '00/04/1985' })).toEqual(expected('oBrienMary'));
    expect(await run('S04', { dob: '00/00/1972' })).toEqual(expected('smyth'));
    expect(await run('S04', { dob: '31/12/1972' })).toEqual(expected('smyth'));
    expect(await run('S04', { dob: '07/07/1960' })).toEqual(expected('smithAdam')); // alias's own DOB
    expect(await run('S04', { dob: '29/02/1980' })).toEqual([]); // restricted
  });
});

describe('S05 nominal, age range', () => {
  it('finds people whose age could lie in the range', async () => {
    expect(await run('S05', { minAge: 34, maxAge: 34, onDate: '2019-07-01' })).toEqual(expected('obrien', 'oBrienMary'));
    expect(await run('S05', { minAge: 43, maxAge: 44, onDate: '2015-06-01' })).toEqual(expected('smyth'));
    expect(await run('S05', { minAge: 45, maxAge: 45, onDate: '2015-05-20' })).toEqual(expected('smith')); // birthday
    expect(await run('S05', { minAge: 45, maxAge: 45, onDate: '2015-05-19' })).toEqual([]);
    expect(await run('S05', { minAge: 58, maxAge: 58, onDate: '01/01/2019' })).toEqual(expected('smithAdam'));
  });
  it('answers as every name record tested on its own DOB would, each person once', async () => {
    // personsByDob (S04/S05) is a faster form of this definition: compare them on many periods
    const general = personsByNameRecord((c) => dobOverlapSql(c, ['$1', '$2', '$3', '$4']), { aliasDob: 'own' });
    const periods = [['1985-03-12', '1985-03-12'], ['1985-03-31', '1985-04-02'], ['1984-12-31', '1985-01-01'], ['1960-07-07', '1960-07-07'],
      ['1950-01-01', '1999-12-31'], ['1972-06-30', '1972-07-01'], ['1980-02-29', '1980-02-29'], ['2001-01-01', '2001-12-31']];
    let found = 0;
    for (const [from, to] of periods) {
      const values = dobOverlapValues({ from: from!, to: to! });
      const fast = await runIds(search.pool, ids(personsByDob(), values));
      expect(fast.length).toBe(new Set(fast).size);
      expect(names(fast)).toEqual(names(await runIds(search.pool, ids(general, values))));
      found += fast.length;
    }
    expect(found).toBeGreaterThan(8);
  });
  it('computes the birth period by full years (29 February)', () => {
    expect(birthPeriodForAges(34, 34, '2019-07-01')).toEqual({ from: '1984-07-02', to: '1985-07-01' });
    expect(birthPeriodForAges(0, 0, '2021-02-28')).toEqual({ from: '2020-02-29', to: '2021-02-28' }); // born 29/02/2020: still 0
    expect(birthPeriodForAges(1, 1, '2021-02-28')).toEqual({ from: '2019-03-01', to: '2020-02-28' }); // born 29/02/2020: not yet 1
    expect(birthPeriodForAges(3, 4, '2024-02-29')).toEqual({ from: '2019-03-01', to: '2021-02-28' });
    expect(birthPeriodForAges(0, 0, '2019-12-31')).toEqual({ from: '2019-01-01', to: '2019-12-31' });
  });
});

describe('S06 nominal, name and year', () => {
  it('Soundex and DOB overlap on one name record', async () => {
    expect(await run('S06', { surname: 'Smith', birthYear: 1971, tolerance: 1 })).toEqual(expected('smith', 'smyth'));
    expect(await run('S06', { surname: 'Smith', birthYear: 1971, tolerance: 0 })).toEqual([]);
    expect(await run('S06', { surname: 'Bryan', birthYear: 1985, tolerance: 0 })).toEqual(expected('obrien'));
    // Smith Adam has no DOB; his alias Smithson (S532) has 1960: not one name record
    expect(await run('S06', { surname: 'Smith', birthYear: 1960, tolerance: 0 })).toEqual([]);
  });
  it('an alias without a DOB takes the person’s', async () => {
    expect(await run('S06', { surname: 'Johnson', birthYear: 1975, tolerance: 0 })).toEqual(expected('jones'));
    expect(await run('S06', { surname: 'Johnson', birthYear: '1974', tolerance: '0' })).toEqual([]);
  });
});

describe('S07 address, postcode', () => {
  it('district SE1 does not find SE10 or SE19', async () => {
    expect(await run('S07', { postcode: 'SE1' })).toEqual(expected('lHigh', 'lStation', 'lOldKent'));
    expect(await run('S07', { postcode: 'se19' })).toEqual(expected('lHighRoad'));
  });
  it('sectors by prefix, full postcodes equal', async () => {
    expect(await run('S07', { postcode: 'se1 9' })).toEqual(expected('lHigh', 'lOldKent'));
    expect(await run('S07', { postcode: ' se19gf ' })).toEqual(expected('lHigh'));
    expect(await run('S07', { postcode: 'SE10 0AA' })).toEqual(expected('lCarPark'));
  });
});

describe('S08 address, street', () => {
  it('every word is a street token; town trimmed, case-insensitive', async () => {
    expect(await run('S08', { street: 'high' })).toEqual(expected('lHigh', 'lHighRoad', 'lHome'));
    expect(await run('S08', { street: 'High Street', town: ' london ' })).toEqual(expected('lHigh', 'lHome'));
    expect(await run('S08', { street: 'road', town: 'LONDON' })).toEqual(expected('lStation', 'lHighRoad', 'lOldKent'));
    expect(await run('S08', { street: 'park' })).toEqual(expected('lCarPark'));
    expect(await run('S08', { street: "Mary's" })).toEqual(expected('lStMarys'));
    expect(await run('S08', { street: 'St Marys' })).toEqual([]);
  });
});

describe('S09–S12 vehicles and telephones', () => {
  it('S09 VRM without blanks, any case; LIKE metacharacters are literal', async () => {
    expect(await run('S09', { vrm: 'ab12 cde' })).toEqual(expected('vFocus'));
    expect(await run('S09', { vrm: 'ab1%cde' })).toEqual(expected('vPercent'));
  });
  it('S10 wildcards ? and *', async () => {
    expect(await run('S10', { pattern: 'AB12CD?' })).toEqual(expected('vFocus', 'vFiesta'));
    expect(await run('S10', { pattern: 'ab1% *' })).toEqual(expected('vPercent'));
    expect(await run('S10', { pattern: '*BCD' })).toEqual(expected('vAstra'));
    expect(await run('S10', { pattern: 'AB1?CDE' })).toEqual(expected('vFocus', 'vPercent'));
    expect(await run('S10', { pattern: 'AB1_CDE' })).toEqual([]);
  });
  it('S11 description fields, each trimmed and case-insensitive', async () => {
    expect(await run('S11', { make: ' ford ' })).toEqual(expected('vFocus', 'vFiesta', 'vPercent'));
    expect(await run('S11', { make: 'Ford', colour: 'BLUE' })).toEqual(expected('vFocus', 'vFiesta'));
    expect(await run('S11', { model: 'astra', colour: '' })).toEqual(expected('vAstra'));
  });
  it('S12 phone forms: national, +44, 0044, punctuation', async () => {
    expect(await run('S12', { number: '07700 900123' })).toEqual(expected('tMobile'));
    expect(await run('S12', { number: '+44 7700 900123' })).toEqual(expected('tMobile'));
    expect(await run('S12', { number: '0044 20 7946 0018' })).toEqual(expected('tLondon'));
    expect(await run('S12', { number: '(020) 7946-0018' })).toEqual(expected('tLondon'));
    expect(await run('S12', { number: '7700900123' })).toEqual([]);
  });
});

describe('S13 event, reference', () => {
  it('CRIS numbers with 2- or 4-digit years and optional leading zeros; URNs case-insensitive', async () => {
    expect(await run('S13', { reference: '0412345/19' })).toEqual(expected('e1'));
    expect(await run('S13', { reference: '412345/2019' })).toEqual(expected('e1'));
    expect(await run('S13', { reference: ' 0412345/2019 ' })).toEqual(expected('e1'));
    expect(await run('S13', { reference: '0412345/18' })).toEqual(expected('e6'));
    expect(await run('S13', { reference: 'ir/2019/0001234' })).toEqual(expected('e3'));
    expect(await run('S13', { reference: 'IR/2019/1234' })).toEqual([]);
    expect(await run('S13', { reference: '0099999/21' })).toEqual([]); // restricted
  });
});

describe('S14 event, free text', () => {
  it('tokens split hyphens and apostrophes, fold case and accents', async () => {
    expect(await run('S14', { words: 'car' })).toEqual(expected('e1', 'e2', 'e3', 'e4', 'e6'));
    expect(await run('S14', { words: 'cafe' })).toEqual(expected('e1'));
    expect(await run('S14', { words: "O'Brien" })).toEqual(expected('e1'));
    expect(await run('S14', { words: 'obrien' })).toEqual([]);
    expect(await run('S14', { words: 'naïve SEÑOR muller' })).toEqual(expected('e3'));
    expect(await run('S14', { words: 'ΣΟΦΟΣ' })).toEqual(expected('e3'));
    expect(await run('S14', { words: '2 phones' })).toEqual(expected('e1'));
    expect(await run('S14', { words: '4x4' })).toEqual(expected('e4'));
    expect(await run('S14', { words: 'car-park' })).toEqual(expected('e1', 'e3', 'e4', 'e6'));
  });
  it('a word ending in * matches by prefix', async () => {
    expect(await run('S14', { words: 'stol*' })).toEqual(expected('e1', 'e2', 'e6'));
    expect(await run('S14', { words: 'carp*' })).toEqual(expected('e6'));
    expect(await run('S14', { words: 'car stol*', phrase: 'car park' })).toEqual(expected('e1', 'e6'));
  });
  it('a phrase is a run of consecutive tokens', async () => {
    expect(await run('S14', { words: '', phrase: 'car park' })).toEqual(expected('e1', 'e3', 'e4', 'e6'));
    expect(await run('S14', { words: 'park', phrase: 'park car' })).toEqual(expected('e4'));
    expect(await run('S14', { words: '', phrase: 'the car-park' })).toEqual(expected('e1'));
    // e4 "park car 4x4 car park" holds both bigrams but not the run
    expect(await run('S14', { words: '', phrase: 'park car park' })).toEqual([]);
    expect(await run('S14', { words: '', phrase: 'Car. Stolen!' })).toEqual(expected('e6'));
  });
  it('restricted events are hidden', async () => {
    expect(await run('S14', { words: 'stolen', phrase: 'stolen car park' })).toEqual([]);
  });
  it('narratives and tokens too long for the index are searched exactly', async () => {
    expect(await run('S14', { words: 'needle' })).toEqual(expected('e8'));
    expect(await run('S14', { words: 'needl* haystack', phrase: 'in the haystack' })).toEqual(expected('e8'));
    expect(await run('S14', { words: 'zebra' })).toEqual(expected('e9'));
    expect(await run('S14', { words: LONG_TOKEN })).toEqual(expected('e9'));
    expect(await run('S14', { words: `${LONG_TOKEN.slice(0, 2090)}*` })).toEqual(expected('e9'));
    expect(await run('S14', { words: 'zebra', phrase: `${LONG_TOKEN} zebra` })).toEqual(expected('e9'));
  });
  it('parses words, prefixes and the phrase as the oracle does', () => {
    expect(parseFreeText('Stolen car-pa* O’Brien', ' The  CAR ')).toEqual({ words: ['stolen', 'car', 'o', 'brien'], prefixes: ['pa'], phrase: ['the', 'car'] });
    expect(parseFreeText('stol*en KNIFE-POI* *', undefined)).toEqual({ words: ['en', 'knife'], prefixes: ['stol', 'poi'], phrase: [] });
    expect(parseFreeText('Café* naïve', '')).toEqual({ words: ['naive'], prefixes: ['cafe'], phrase: [] });
  });
});

describe('S15 crime, classification and period', () => {
  it('HO codes (any case), reported in [from, to) as London dates, borough', async () => {
    expect(await run('S15', { codes: ['28E'], from: '2019-01-01', to: '2020-01-01' })).toEqual(expected('e1'));
    expect(await run('S15', { codes: ['28e', '8N'], from: '2018-01-01', to: '2020-01-01' })).toEqual(expected('e1', 'e2', 'e6', 'e7'));
    expect(await run('S15', { codes: ['28E'], from: '2018-01-01', to: '2022-01-01', borough: 'tx' })).toEqual(expected('e1', 'e6'));
    expect(await run('S15', { codes: ['28E'], from: '2018-01-01', to: '2022-01-01', borough: 'KD' })).toEqual([]);
  });
  it('local dates across BST and the new year', async () => {
    expect(await run('S15', { codes: ['8N'], from: '2019-07-01', to: '2019-07-02' })).toEqual(expected('e2'));
    expect(await run('S15', { codes: ['8N'], from: '01/07/2019', to: '02/07/2019' })).toEqual(expected('e2'));
    expect(await run('S15', { codes: ['8N'], from: '2019-06-30', to: '2019-07-01' })).toEqual([]);
    expect(await run('S15', { codes: ['8N'], from: '2019-12-31', to: '2020-01-01' })).toEqual(expected('e7'));
    expect(await run('S15', { codes: ['8N'], from: '2020-01-01', to: '2020-02-01' })).toEqual([]);
    expect(await run('S15', { codes: ['28E'], from: '2018-10-28', to: '2018-10-29' })).toEqual(expected('e6'));
  });
});

describe('S16 intelligence, grading', () => {
  it('grading as recorded, per scheme, created in [from, to)', async () => {
    expect(await run('S16', { scheme: '5x5x5', sources: ['B'], handling: ['1'], from: '2015-01-01', to: '2016-01-01' })).toEqual(expected('e3'));
    expect(await run('S16', { scheme: '5x5x5', sources: ['b', 'C'], handling: [1, 2], from: '2015-01-01', to: '2016-01-01' })).toEqual(expected('e3'));
    expect(await run('S16', { scheme: '5x5x5', sources: ['A'], handling: ['1'], from: '2015-01-01', to: '2016-01-01' })).toEqual([]);
    expect(await run('S16', { scheme: '3x5x2', sources: ['1'], handling: ['P', 'C'], from: '2017-01-01', to: '2017-01-02' })).toEqual(expected('e4'));
    expect(await run('S16', { scheme: '3x5x2', sources: ['1'], handling: ['P'], from: '2016-01-01', to: '2017-01-01' })).toEqual([]);
    expect(await run('S16', { scheme: '3X5X2', sources: ['1'], handling: ['C'], from: '2017-01-01', to: '2017-01-02' })).toEqual([]);
  });
});

describe('S17 linked events of a nominal', () => {
  it('resolves the legacy key through lineage; roles by name or CRIS code', async () => {
    expect(await run('S17', { nominal: 'N0001234' })).toEqual(expected('e1', 'e3')); // e5 restricted
    expect(await run('S17', { nominal: 'N0001234', roles: ['SU'] })).toEqual(expected('e1'));
    expect(await run('S17', { nominal: 'N0001234', roles: ['subject'] })).toEqual(expected('e3'));
    expect(await run('S17', { nominal: '1003' })).toEqual(expected('e1', 'e6'));
    expect(await run('S17', { nominal: '1003', roles: ['VI', 'WI'] })).toEqual(expected('e1'));
    expect(await run('S17', { nominal: 'CRIS:NOMINAL:1003', roles: ['reporting_person'] })).toEqual(expected('e6'));
    expect(await run('S17', { nominal: '1005' })).toEqual([]); // restricted person
    expect(await run('S17', { nominal: '9999' })).toEqual([]);
  });
});

describe('S18 people linked to a vehicle', () => {
  it('through its events and directly; restricted people and events hidden', async () => {
    expect(await run('S18', { vrm: 'AB12 CDE' })).toEqual(expected('obrien', 'smith'));
    expect(await run('S18', { vrm: 'a123bcd' })).toEqual(expected('smyth')); // e5 restricted
    expect(await run('S18', { vrm: 'AB12CDF' })).toEqual(expected('smyth')); // smithRestricted hidden
  });
});

describe('S19 audit, who accessed a record', () => {
  it('consultations and disclosures by reference, in [from, to), as legacy audit ids', async () => {
    expect(await run('S19', { reference: '0412345/19', from: '2019-01-01', to: '2020-01-01' })).toEqual(expected('audit:CRIS:101', 'audit:CRIS:102'));
    expect(await run('S19', { reference: '0412345/2019', from: '2020-01-01', to: '2020-01-02' })).toEqual(expected('audit:CRIS:104'));
    expect(await run('S19', { reference: 'IR/2019/0001234', from: '2019-01-01', to: '2020-01-01' })).toEqual(expected('audit:CRIMINT:A0002'));
    // the crime report itself was never migrated (legacy-deleted): its log is still found
    expect(await run('S19', { reference: '0555555/2019', from: '2019-01-01', to: '2020-01-01' })).toEqual(expected('audit:CRIS:105'));
  });
});

describe('S20 subject access', () => {
  const obrienSar = expected(
    'obrien', 'obrienAliasBryan', 'obrienAliasBrian', 'e1', 'e3', 'e5', 'lHome', 'lHigh', 'lStation',
    'tMobile', 'vFocus', 'tLondon', 'vAstra', 'audit:CRIMINT:A0001', 'audit:CRIS:102', 'audit:CRIS:107',
  );
  it('returns the person, aliases, events (restricted too), linked locations and objects, disclosures', async () => {
    expect(await run('S20', { surname: "O'BRIEN", forenames: 'Sean', dob: '12/03/1985' })).toEqual(obrienSar);
    expect(await run('S20', { surname: 'Bryan', forenames: 'Sean', dob: '00/03/1985' })).toEqual(obrienSar);
  });
  it('finds restricted people', async () => {
    expect(await run('S20', { surname: 'Smith', forenames: 'John', dob: '29/02/1980' })).toEqual(
      expected('smithRestricted', 'e2', 'lOldKent', 'vFiesta', 'audit:CRIS:106'),
    );
  });
  it('name and DOB on one name record; an alias without DOB takes the person’s', async () => {
    expect(await run('S20', { surname: 'Johnson', forenames: 'Th', dob: '11/11/1975' })).toEqual(expected('jones', 'jonesAlias', 'tInvalid'));
    expect(await run('S20', { surname: 'Smith', forenames: 'Adam', dob: '07/07/1960' })).toEqual([]);
  });
});

describe('the adapter', () => {
  it('validates params through the catalog', async () => {
    await expect(search.search('S07', { postcode: 'nonsense' })).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(search.search('S04', { dob: '1985-03-12' })).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(search.search('S01', { surname: 'X', extra: 1 })).rejects.toBeInstanceOf(InvalidParamsError);
  });
  it('throws NotSupportedError for unknown or removed capabilities', async () => {
    await expect(search.search('S99' as CapabilityId, {})).rejects.toBeInstanceOf(NotSupportedError);
    const partial = createSqlSearch(search.pool, { implementations: { S05: undefined } });
    await expect(partial.search('S05', { minAge: 1, maxAge: 2, onDate: '2020-01-01' })).rejects.toBeInstanceOf(NotSupportedError);
    await partial.close(); // the pool is the caller's: still usable
    expect(await run('S09', { vrm: 'AB12CDE' })).toEqual(expected('vFocus'));
  });
  it('erasure is physical: nothing is found once the person is deleted', async () => {
    const extra = createSqlSearch(url);
    try {
      await extra.pool.query(`INSERT INTO record.person (id, surname, forenames, date_of_birth, dob_precision, sex, source_system)
        VALUES ('00000000-0000-5000-8000-000000000001', 'Erasable', 'Eve', '1999-09-09', 'day', 'female', 'CRIS')`);
      await extra.pool.query(`INSERT INTO record.person_name (id, person_id, surname, dob_precision)
        VALUES ('00000000-0000-5000-8000-000000000002', '00000000-0000-5000-8000-000000000001', 'Gone', 'unknown')`);
      expect(await extra.search('S01', { surname: 'gone' })).toEqual(['00000000-0000-5000-8000-000000000001']);
      await extra.pool.query(`DELETE FROM record.person WHERE id = '00000000-0000-5000-8000-000000000001'`);
      expect(await extra.search('S01', { surname: 'gone' })).toEqual([]);
      expect(await extra.search('S02', { surname: 'Erasable' })).toEqual([]);
      expect(await extra.search('S04', { dob: '09/09/1999' })).toEqual([]);
    } finally {
      await extra.close();
    }
  });
});

export { F };
