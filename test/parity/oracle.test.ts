// The oracle on a hand-made legacy extract (fixture.ts). Every expected answer was worked out by
// hand from search-catalog.md; the comment on each case says why.
import { describe, it, expect, beforeAll } from 'vitest';
import { buildOracle, oracleCacheBytes, type Oracle } from '../../src/parity/oracle.ts';
import { PageCache } from '../../src/parity/paged.ts';
import type { CapabilityId } from '../../src/parity/types.ts';
import { fixtureSources, RESTRICTED, P, E, L, V, T, A } from './fixture.ts';

let oracle: Oracle;
beforeAll(async () => {
  oracle = await buildOracle(fixtureSources());
});

const q = (cap: CapabilityId, params: Record<string, unknown>, restricted: Set<string> = RESTRICTED) => oracle.run(cap, params, { restricted });
const set = (...ids: string[]) => [...ids].sort();

describe('oracle build', () => {
  it('sizes its page cache from CUTOVER_ORACLE_CACHE_MB (16 MB unset or empty) and refuses a size that is not one', () => {
    expect(oracleCacheBytes({})).toBe(16 * 1048576);
    expect(oracleCacheBytes({ CUTOVER_ORACLE_CACHE_MB: '' })).toBe(16 * 1048576);
    expect(oracleCacheBytes({ CUTOVER_ORACLE_CACHE_MB: '64' })).toBe(64 * 1048576);
    for (const bad of ['0', '-5', 'lots', '0.5', 'Infinity']) {
      expect(() => oracleCacheBytes({ CUTOVER_ORACLE_CACHE_MB: bad }), bad).toThrow(/CUTOVER_ORACLE_CACHE_MB=.*not a number of megabytes of at least 1/);
    }
    expect(oracle.stats.pages).toMatchObject({ cacheMb: 16, fileMb: 0, reads: 0, writes: 0 }); // the fixture fits: no file
  });
  it('reads every entity once and counts orphans', () => {
    expect(oracle.stats.records['CRIS:NOMINAL']).toBe(9);
    expect(oracle.stats.records['CRIMINT:nominals.json']).toBe(6);
    expect(oracle.stats.records['CRIS:AUDIT_TRAIL']).toBe(12);
    // 0000001/20–105 (deleted nominal), 0500000/21–101 (deleted crime), 0999999/99–100 (no crime)
    expect(oracle.stats.orphans['CRIME_NOMINAL']).toBe(3);
    expect(oracle.stats.orphans['CRIME_VEHICLE']).toBe(1); // 0500000/21 deleted
    expect(oracle.stats.orphans['intel_reports.subjects']).toBe(1); // N9999
    expect(oracle.stats.orphans['NOMINAL.ADDRESS_ID']).toBe(1); // 102 → 99
    expect(oracle.stats.orphans['CRIME_REPORT.LOCATION_ID']).toBe(1); // 77
  });

  it('rejects invalid params', () => {
    expect(() => q('S01', { surname: '' })).toThrow(/surname/);
    expect(() => q('S07', { postcode: 'NOT A POSTCODE' })).toThrow(/postcode/);
    expect(() => q('S01', { surname: 'X', extra: 1 })).toThrow(/Unrecognized key/);
  });
});

describe('S01 nominal, exact name', () => {
  it('ignores case, apostrophes, blanks: O\'BRIEN = OBRIEN = O BRIEN, on both systems', () => {
    expect(q('S01', { surname: 'OBRIEN' })).toEqual(set(P(100), P(101), P(102), P('N0001')));
    expect(q('S01', { surname: "o'brien" })).toEqual(set(P(100), P(101), P(102), P('N0001')));
    expect(q('S01', { surname: 'Obrien' })).toEqual(q('S01', { surname: 'O Brien' }));
  });
  it('forenames are a prefix of the whole forenames under name matching', () => {
    expect(q('S01', { surname: "O'Brien", forenames: 'Sean' })).toEqual(set(P(100), P('N0001')));
    expect(q('S01', { surname: "O'Brien", forenames: 'sean p' })).toEqual(set(P(100), P('N0001')));
    expect(q('S01', { surname: "O'Brien", forenames: 'Patrick' })).toEqual([]);
  });
  it('folds accents: Garcia finds GARCÍA, Jose finds José', () => {
    expect(q('S01', { surname: 'Garcia', forenames: 'Jose' })).toEqual([P(103)]);
    expect(q('S01', { surname: 'Nunez', forenames: 'Jose L' })).toEqual([P('N0002')]);
    expect(q('S01', { surname: 'NÚÑEZ' })).toEqual([P('N0002')]);
  });
  it('matches aliases and returns their person', () => {
    expect(q('S01', { surname: 'Bryan' })).toEqual([P('N0001')]);
  });
  it('hyphens are ignored: Smith Jones = SMITH-JONES, but not SMITH', () => {
    expect(q('S01', { surname: 'Smith Jones' })).toEqual([P(104)]);
    expect(q('S01', { surname: 'smithjones' })).toEqual([P(104)]);
  });
  it('never finds deleted or restricted people', () => {
    // 105 deleted, N0003 deleted, 107 restricted, 104 is SMITHJONES
    expect(q('S01', { surname: 'Smith' })).toEqual([P('N0004')]);
    expect(q('S01', { surname: 'Smith' }, new Set())).toEqual(set(P(107), P('N0004')));
  });
  it('a repeated key: the later occurrence wins', () => {
    expect(q('S01', { surname: 'Taylor' })).toEqual([]);
    expect(q('S01', { surname: 'Tailor' })).toEqual([P('N0005')]);
  });
});

describe('S02 nominal, phonetic', () => {
  it('Soundex key equal (misspelling with the same key), aliases too', () => {
    // O165: O'BRIEN, OBRIEN, O BRIEN, O'Brien (+ alias Obrian)
    expect(q('S02', { surname: 'Obrein' })).toEqual(set(P(100), P(101), P(102), P('N0001')));
    // S530: SMYTH, Smith (N0004, alias Smithe); SMITH-JONES is S532; 105/N0003 deleted; 107 restricted
    expect(q('S02', { surname: 'Smyth' })).toEqual(set(P(106), P('N0004')));
  });
  it('forename initial', () => {
    expect(q('S02', { surname: 'Smith', forenameInitial: 'j' })).toEqual(set(P(106), P('N0004')));
    expect(q('S02', { surname: 'Smith', forenameInitial: 'P' })).toEqual([]);
    expect(q('S02', { surname: 'Obrien', forenameInitial: 'S' })).toEqual(set(P(100), P('N0001')));
  });
});

describe('S03 nominal, wildcard', () => {
  it('* and ? on the surname match key, primary names only', () => {
    expect(q('S03', { pattern: 'SMITH*' })).toEqual(set(P(104), P('N0004')));
    expect(q('S03', { pattern: 'SM?TH' })).toEqual(set(P(106), P('N0004')));
    expect(q('S03', { pattern: 'Smithe' })).toEqual([]); // alias only
    expect(q('S03', { pattern: "O'BR*" })).toEqual(set(P(100), P(101), P(102), P('N0001')));
    expect(q('S03', { pattern: 'Tayl*' })).toEqual([]);
  });
});

describe('S04 nominal, date of birth', () => {
  it('full input against full and partial legacy DOBs', () => {
    // 100 is 12/03/1985; N0001 is 00/03/1985 (and alias Bryan 12/03/1985); 107 is 20/03 (and restricted)
    expect(q('S04', { dob: '12/03/1985' })).toEqual(set(P(100), P('N0001')));
    expect(q('S04', { dob: '31/12/1979' })).toEqual(set(P(103), P('N0002'))); // N0002 is 00/00/1979
  });
  it('partial input overlaps partial and full DOBs', () => {
    expect(q('S04', { dob: '00/03/1985' })).toEqual(set(P(100), P('N0001')));
    expect(q('S04', { dob: '00/03/1985' }, new Set())).toEqual(set(P(100), P(107), P('N0001')));
    expect(q('S04', { dob: '00/00/1979' })).toEqual(set(P(103), P('N0002')));
    expect(q('S04', { dob: '00/06/1985' })).toEqual([P('N0004')]);
  });
  it('the 1900-01-01 marker is unknown: never matches', () => {
    expect(q('S04', { dob: '01/01/1900' })).toEqual([]);
  });
});

describe('S05 nominal, age range', () => {
  it('age on the date could lie in the range, given the DOB period', () => {
    // (1984-03-12, 1985-03-12]: 100 (30 on its birthday), N0001 (March 1985 could be)
    expect(q('S05', { minAge: 30, maxAge: 30, onDate: '2015-03-12' })).toEqual(set(P(100), P('N0001')));
    expect(q('S05', { minAge: 30, maxAge: 30, onDate: '12/03/2015' })).toEqual(set(P(100), P('N0001')));
  });
  it('29 February birthdays (as PostgreSQL age())', () => {
    expect(q('S05', { minAge: 23, maxAge: 23, onDate: '2023-02-28' })).toEqual([]); // 104 is still 22
    expect(q('S05', { minAge: 24, maxAge: 24, onDate: '2024-02-29' })).toEqual([P(104)]);
    expect(q('S05', { minAge: 22, maxAge: 22, onDate: '2023-02-28' })).toEqual([P(104)]);
  });
});

describe('S06 nominal, name and year', () => {
  it('Soundex and DOB period within the tolerance', () => {
    expect(q('S06', { surname: 'Smith', birthYear: 1960, tolerance: 1 })).toEqual([P(106)]);
    expect(q('S06', { surname: 'Smith', birthYear: 1960, tolerance: 0 })).toEqual([]);
    expect(q('S06', { surname: 'OBrian', birthYear: 1986, tolerance: 1 })).toEqual(set(P(100), P('N0001')));
    expect(q('S06', { surname: 'Smith', birthYear: '1986', tolerance: '1' })).toEqual([P('N0004')]);
  });
});

describe('S07 address, postcode', () => {
  const se19gf = [L(1), L(3), L('N0001/addresses/0')];
  it('full postcode under normalisation (case, space)', () => {
    expect(q('S07', { postcode: 'SE1 9GF' })).toEqual(set(...se19gf));
    expect(q('S07', { postcode: 'se19gf' })).toEqual(set(...se19gf));
  });
  it('district SE1 does not match SE10', () => {
    expect(q('S07', { postcode: 'SE1' })).toEqual(set(...se19gf, L(5)));
    expect(q('S07', { postcode: 'se10' })).toEqual([L(2)]);
    expect(q('S07', { postcode: 'E1' })).toEqual([L('N0002/addresses/0')]);
  });
  it('sector matches by prefix', () => {
    expect(q('S07', { postcode: 'SE1 9' })).toEqual(set(...se19gf));
    expect(q('S07', { postcode: 'SE1 2' })).toEqual([L(5)]);
  });
  it('an invalid legacy postcode (address 6: "XX") matches nothing; the input must be a postcode', () => {
    expect(q('S07', { postcode: 'SE1 2AB' })).toEqual([L(5)]);
    expect(() => q('S07', { postcode: 'XX' })).toThrow(/postcode/);
  });
});

describe('S08 address, street', () => {
  it('every word a token of the street; town equal case-insensitive, trimmed', () => {
    expect(q('S08', { street: 'High Street' })).toEqual(set(L(1), L(6), L('N0001/addresses/0')));
    expect(q('S08', { street: 'high', town: 'london' })).toEqual(set(L(1), L('N0001/addresses/0')));
    expect(q('S08', { street: 'Mary-le-Bow', town: ' London' })).toEqual([L(3)]);
    expect(q('S08', { street: 'Mile End' })).toEqual([L('N0002/addresses/0')]);
    expect(q('S08', { street: 'Station Road' })).toEqual(set(L(5), L('IR/2019/0001234/locations/0')));
  });
  it('a blank town is not given', () => {
    expect(q('S08', { street: 'High Street', town: '  ' })).toEqual(q('S08', { street: 'High Street' }));
  });
});

describe('S09–S11 vehicles', () => {
  const cde = [V(10), V(13), V('IR/2019/0001234/vehicles/0')];
  it('S09 VRM without spaces, upper case', () => {
    expect(q('S09', { vrm: 'ab12 cde' })).toEqual(set(...cde));
  });
  it('S10 wildcards', () => {
    expect(q('S10', { pattern: 'AB12CD?' })).toEqual(set(...cde, V(11)));
    expect(q('S10', { pattern: 'a1*' })).toEqual(set(V(12), V('IR/2018/0000004/vehicles/0')));
    expect(q('S10', { pattern: '*C DE' })).toEqual(set(...cde));
  });
  it('S11 description, each given field equal', () => {
    expect(q('S11', { make: 'ford' })).toEqual(set(V(10), V(11), V(13), V('IR/2019/0001234/vehicles/0')));
    expect(q('S11', { make: 'Ford', colour: ' BLUE ' })).toEqual(set(V(10), V('IR/2019/0001234/vehicles/0')));
    expect(q('S11', { model: 'Astra' })).toEqual([V(12)]);
    expect(() => q('S11', {})).toThrow(/at least one/);
  });
});

describe('S12 telephone', () => {
  it('0 / +44 / 0044 forms are equal; stored numbers compare as migrated (E.164)', () => {
    // IR/2018/0000004/phones/0 is stored '+44 (0)7700 900123': E.164 +447700900123
    const n = [T('N0001/phones/0'), T('IR/2017/0000002/phones/0'), T('IR/2018/0000004/phones/0')];
    expect(q('S12', { number: '07700 900123' })).toEqual(set(...n));
    expect(q('S12', { number: '+44 7700 900123' })).toEqual(set(...n));
    expect(q('S12', { number: '0044 7700 900123' })).toEqual(set(...n));
    expect(q('S12', { number: '(020) 7946 0018' })).toEqual([T('N0002/phones/0')]);
  });
  it('input is keyed exactly as the catalog says: +44 (0)… becomes 00… and matches nothing', () => {
    expect(q('S12', { number: '+44 (0)7700 900123' })).toEqual([]);
  });
  it('a stored number that is not a UK number (NULL once migrated) matches nothing, and is counted', () => {
    expect(q('S12', { number: '12345' })).toEqual([]);
    expect(oracle.stats.unsearchableValues).toEqual({ postcode: 1, telephone: 1 });
  });
  it('deleted and superseded owners take their phones with them', () => {
    expect(q('S12', { number: '07700 900999' })).toEqual([]);
    expect(q('S12', { number: '0111 222 3333' })).toEqual([]);
  });
});

describe('S13 event, reference', () => {
  it('CRIS number with 2/4-digit year and optional leading zeros', () => {
    for (const r of ['0412345/19', '412345/2019', '0412345/2019', ' 412345/19 ']) expect(q('S13', { reference: r })).toEqual([E('0412345/19')]);
    expect(q('S13', { reference: '1/20' })).toEqual([E('0000001/20')]);
  });
  it('URN exact, case-insensitive', () => {
    expect(q('S13', { reference: 'ir/2019/0001234' })).toEqual([E('IR/2019/0001234')]);
    expect(q('S13', { reference: 'IR/2019/1234' })).toEqual([]);
  });
  it('deleted never, restricted not', () => {
    expect(q('S13', { reference: '0500000/21' })).toEqual([]);
    expect(q('S13', { reference: 'IR/2020/0000003' })).toEqual([]);
    expect(q('S13', { reference: '0600000/21' })).toEqual([]);
    expect(q('S13', { reference: '0600000/21' }, new Set())).toEqual([E('0600000/21')]);
  });
});

describe('S14 event, free text', () => {
  it('words are tokens; hyphenated text splits into tokens', () => {
    expect(q('S14', { words: 'knife' })).toEqual(set(E('0412345/19'), E('0000001/20'), E('IR/2019/0001234')));
    expect(q('S14', { words: 'knife-point' })).toEqual(set(E('0412345/19'), E('IR/2019/0001234')));
    expect(q('S14', { words: 'station knife' })).toEqual([E('0412345/19')]);
  });
  it('* prefix', () => {
    expect(q('S14', { words: 'knif*' })).toEqual(set(E('0412345/19'), E('0000001/20'), E('IR/2019/0001234')));
    expect(q('S14', { words: 'burg*' })).toEqual([]); // restricted event
    expect(q('S14', { words: 'burg*' }, new Set())).toEqual([E('0600000/21')]);
  });
  it('accents folded both ways', () => {
    expect(q('S14', { words: 'cafe' })).toEqual(set(E('0412345/19'), E('IR/2019/0001234')));
    expect(q('S14', { words: 'CAFÉ' })).toEqual(set(E('0412345/19'), E('IR/2019/0001234')));
  });
  it('phrase is a run of consecutive tokens', () => {
    expect(q('S14', { words: 'knife', phrase: 'knife point' })).toEqual(set(E('0412345/19'), E('IR/2019/0001234')));
    expect(q('S14', { words: 'knife', phrase: 'point knife' })).toEqual([]);
    expect(q('S14', { words: '', phrase: 'Suspect fled' })).toEqual([E('0000001/20')]);
    expect(q('S14', { words: 'the', phrase: 'near the station' })).toEqual([E('0412345/19')]);
  });
});

describe('S15 crime, classification and period', () => {
  it('codes, [from, to) on local dates, borough trimmed', () => {
    expect(q('S15', { codes: ['28E'], from: '2019-01-01', to: '2022-01-01' })).toEqual([E('0412345/19')]);
    expect(q('S15', { codes: ['8N', '105A'], from: '2020-01-01', to: '2021-07-01' })).toEqual([E('0000001/20')]);
    expect(q('S15', { codes: ['8N', '105a'], from: '01/01/2020', to: '02/07/2021' }, new Set())).toEqual(set(E('0000001/20'), E('0600000/21')));
    expect(q('S15', { codes: ['28E'], from: '2019-03-04', to: '2019-03-05', borough: 'tx' })).toEqual([E('0412345/19')]);
    expect(q('S15', { codes: ['28E'], from: '2019-03-04', to: '2019-03-05', borough: 'BS' })).toEqual([]);
    expect(q('S15', { codes: ['28E'], from: '2019-03-04', to: '2019-03-05', borough: ' ' })).toEqual([E('0412345/19')]);
  });
});

describe('S16 intelligence, grading as recorded', () => {
  it('scheme, sources, handling, period', () => {
    const p = { scheme: '5x5x5', sources: ['B'], handling: ['1'], from: '2019-01-01', to: '2020-01-01' };
    expect(q('S16', p)).toEqual([E('IR/2019/0001234')]);
    expect(q('S16', { ...p, sources: ['A'] })).toEqual([]);
    // as recorded: the 5x5x5 report is not found as its 3x5x2 conversion (1/P)
    expect(q('S16', { ...p, scheme: '3x5x2', sources: ['1'], handling: ['P'] })).toEqual([]);
    const r = { scheme: '3x5x2', sources: ['1', 2], handling: ['p', 'C'], from: '2016-01-01', to: '2019-01-01' };
    expect(q('S16', r)).toEqual(set(E('IR/2017/0000002'), E('IR/2018/0000004')));
    expect(q('S16', { ...r, from: '2017-01-01' })).toEqual([E('IR/2018/0000004')]);
  });
});

describe('S17 linked events of a nominal', () => {
  it('all roles, or the given ones (target names or legacy codes)', () => {
    expect(q('S17', { nominal: '100' })).toEqual(set(E('0412345/19'), E('0000001/20')));
    expect(q('S17', { nominal: '100', roles: ['suspect'] })).toEqual([E('0412345/19')]);
    expect(q('S17', { nominal: '100', roles: ['WI'] })).toEqual([E('0000001/20')]);
    expect(q('S17', { nominal: 'N0001' })).toEqual([E('IR/2019/0001234')]);
    expect(q('S17', { nominal: 'CRIMINT:nominals.json:N0001', roles: ['victim'] })).toEqual([]);
    expect(q('S17', { nominal: 'N0004', roles: ['associate', 'MENTIONED'] })).toEqual(set(E('IR/2017/0000002'), E('IR/2018/0000004')));
  });
  it('deleted and restricted events are not found; a restricted nominal finds nothing', () => {
    expect(q('S17', { nominal: '101' })).toEqual([]);
    expect(q('S17', { nominal: '101' }, new Set())).toEqual([E('0600000/21')]);
    expect(q('S17', { nominal: '107' })).toEqual([]);
    expect(q('S17', { nominal: '105' })).toEqual([]);
  });
  it('unknown roles are invalid', () => {
    expect(() => q('S17', { nominal: '100', roles: ['boss'] })).toThrow(/unknown role/);
  });
});

describe('S18 people linked to a vehicle', () => {
  it('people on the vehicle\'s events; restricted events are not traversed', () => {
    expect(q('S18', { vrm: 'AB12 CDE' })).toEqual(set(P(100), P(104), P('N0001')));
    expect(q('S18', { vrm: 'AB12 CDE' }, new Set())).toEqual(set(P(100), P(101), P(104), P('N0001')));
    expect(q('S18', { vrm: 'a123bcd' })).toEqual(set(P(100), P('N0004'))); // 107 restricted, 105 deleted
    expect(q('S18', { vrm: 'AB12CDF' })).toEqual([]); // only on a deleted crime
  });
});

describe('S19 audit, who accessed a record', () => {
  it('consultation and disclosure entries in [from, to)', () => {
    expect(q('S19', { reference: '0412345/19', from: '2019-03-04', to: '2019-04-01' })).toEqual(set(A(1), A(9)));
    expect(q('S19', { reference: '412345/2019', from: '2019-03-04', to: '2019-04-02' })).toEqual(set(A(1), A(2), A(9)));
    expect(q('S19', { reference: 'ir/2019/0001234', from: '2019-01-01', to: '2020-01-01' })).toEqual(set(A('A1'), A('A2')));
  });
  it('found even when the event is deleted or restricted', () => {
    expect(q('S19', { reference: '0500000/21', from: '2021-01-01', to: '2022-01-01' })).toEqual([A(3)]);
    expect(q('S19', { reference: 'IR/2020/0000003', from: '2020-01-01', to: '2022-01-01' })).toEqual([A('A5')]);
    expect(q('S19', { reference: '0600000/21', from: '2021-01-01', to: '2022-01-01' })).toEqual([A(11)]);
  });
});

describe('S20 subject access', () => {
  it('people, aliases, events, locations and objects (direct and via events), disclosures', () => {
    expect(q('S20', { surname: "O'Brien", forenames: 'Sean', dob: '12/03/1985' })).toEqual(set(
      P(100), P('N0001'), P('N0001/aliases/0'), P('N0001/aliases/1'),
      E('0412345/19'), E('0000001/20'), E('IR/2019/0001234'),
      L(1), L(3), L('N0001/addresses/0'), L('IR/2019/0001234/locations/0'),
      T('N0001/phones/0'), V(10), V(12), V('IR/2019/0001234/vehicles/0'), T('IR/2019/0001234/phones/0'),
      A(7), A('A4'), A(2), A(9), A('A2'), A(8), A(12),
    ));
  });
  it('finds restricted people and restricted events', () => {
    expect(q('S20', { surname: 'Smith', forenames: 'John', dob: '20/03/1985' })).toEqual(set(P(107), E('0000001/20'), L(3), V(12)));
    expect(q('S20', { surname: 'OBRIEN', forenames: 'MARY', dob: '01/07/1990' })).toEqual(set(P(101), E('0600000/21'), L(2), V(13), A(10)));
  });
  it('matches an alias without DOB on the person\'s DOB', () => {
    const r = q('S20', { surname: 'Obrian', forenames: 'Shaun', dob: '00/03/1985' });
    expect(r).toContain(P('N0001'));
    expect(r).not.toContain(P(100)); // 100's name is O'BRIEN SEAN, not Obrian
    expect(q('S20', { surname: 'Smithe', forenames: 'Jon', dob: '15/06/1985' })).toEqual(set(
      P('N0004'), P('N0004/aliases/0'), E('IR/2017/0000002'), E('IR/2018/0000004'),
      T('IR/2017/0000002/phones/0'), V('IR/2018/0000004/vehicles/0'), T('IR/2018/0000004/phones/0'), T('IR/2018/0000004/phones/1'),
    ));
  });
  it('DOB must match on the same name record; deleted people are never found', () => {
    expect(q('S20', { surname: 'Bryan', forenames: 'Sean', dob: '13/03/1985' })).toEqual([]);
    expect(q('S20', { surname: 'Smith', forenames: 'John', dob: '05/05/1960' })).toEqual([]);
    expect(q('S20', { surname: 'Smith', forenames: 'Joan', dob: '00/00/1985' })).toEqual([]);
  });
});

describe('absent (not migrated) records and link rows', () => {
  const absent = (...ids: string[]) => ({ restricted: RESTRICTED, absent: new Set(ids) });
  const r = (cap: CapabilityId, params: Record<string, unknown>, ...ids: string[]) => oracle.run(cap, params, absent(...ids));
  it('are neither found nor traversed', () => {
    expect(r('S01', { surname: 'OBRIEN' }, P('N0001'))).toEqual(set(P(100), P(101), P(102)));
    expect(r('S01', { surname: 'Bryan' }, P('N0001/aliases/0'))).toEqual([]);
    expect(r('S07', { postcode: 'SE1 9GF' }, L(1))).toEqual(set(L(3), L('N0001/addresses/0')));
    // inline items of an absent parent are absent too
    expect(r('S12', { number: '07700 900123' }, P('N0001'))).toEqual(set(T('IR/2017/0000002/phones/0'), T('IR/2018/0000004/phones/0')));
    expect(r('S19', { reference: 'IR/2019/0001234', from: '2019-01-01', to: '2020-01-01' }, A('A1'))).toEqual([A('A2')]);
    expect(r('S17', { nominal: 'N0001' }, P('N0001'))).toEqual([]);
  });
  it('CRIS link rows: CRIME_NOMINAL and CRIME_VEHICLE', () => {
    expect(r('S17', { nominal: '100' }, 'CRIS:CRIME_NOMINAL:0412345/19|100|SU')).toEqual([E('0000001/20')]);
    expect(r('S17', { nominal: '100' }, 'CRIS:CRIME_NOMINAL:0412345/19|100|VI')).toEqual(set(E('0412345/19'), E('0000001/20')));
    expect(r('S18', { vrm: 'AB12 CDE' }, 'CRIS:CRIME_VEHICLE:0412345/19|10|US')).toEqual([P('N0001')]);
  });
  it('S20 keeps what is reachable without the absent records', () => {
    const all = q('S20', { surname: "O'Brien", forenames: 'Sean', dob: '12/03/1985' });
    const without = r('S20', { surname: "O'Brien", forenames: 'Sean', dob: '12/03/1985' }, P('N0001'));
    expect(all.filter((id) => !without.includes(id)).sort()).toEqual(set(
      P('N0001'), P('N0001/aliases/0'), P('N0001/aliases/1'), L('N0001/addresses/0'), T('N0001/phones/0'),
      E('IR/2019/0001234'), L('IR/2019/0001234/locations/0'), V('IR/2019/0001234/vehicles/0'), T('IR/2019/0001234/phones/0'),
      A('A4'), A('A2'),
    ));
  });
});

describe('describe', () => {
  it('describes records for worked examples', () => {
    expect(oracle.describe(P(100))).toMatch(/person OBRIEN SEANPATRICK, DOB 12\/03\/1985/);
    expect(oracle.describe(P('N0001/aliases/1'))).toMatch(/alias 1 of person OBRIAN SHAUN, DOB 00\/03\/1985/);
    expect(oracle.describe(P(105))).toMatch(/legacy-deleted/);
    expect(oracle.describe(E('0412345/19'))).toMatch(/crime 0412345\/19, HO 28E/);
    expect(oracle.describe(L('N0001/addresses/0'))).toMatch(/SE1 9GF/);
    expect(oracle.describe(T('N0001/phones/0'))).toMatch(/telephone 07700900123/);
    expect(oracle.describe(V(10))).toMatch(/vehicle AB12CDE ford focus blue/);
    expect(oracle.describe(A(7))).toMatch(/audit DISCLOSE on 2020-02-02/);
  });
});

describe('tokens (ASCII fast path of tokenise)', () => {
  it('gives exactly the tokens of tokenise', async () => {
    const { tokens } = await import('../../src/parity/keys.ts');
    const { tokenise } = await import('../../src/transform/text.ts');
    for (const s of ['Knife-point THREAT at 10:30, O\'Brien', 'tab\there\r\nnew_line x2', '', '½ ﬁne Café ÆON straße', 'A\u0000B']) {
      expect(tokens(s)).toEqual(tokenise(s));
    }
  });
});

describe('record keys held compactly', () => {
  it('gives back every key exactly: decimal ones from float64, leading zeros, numbers past 15 digits and others as strings', async () => {
    const { KeyColumn } = await import('../../src/parity/compact.ts');
    const keys = ['0', '412345', '0412345', '2147483647', '3000000001', '999999999999999', '1000000000000000', '9007199254740993', '-1', '1e3', '1.5', 'N-00012', '1007/aliases/0', '', ' 12', '12 ', '٣',
      // crime numbers: leading zeros, 2- and 4-digit years, the extremes; and near misses held as strings
      '0412345/19', '412345/19', '412345/2019', '0/00', '0000000000/0000', '9999999999/9999', '0000000001/99', '1234567890/2024', '12345678901/19', '123/1', '123/123', '123/12345', '/19', '12/', '1 /19', '٣/19'];
    // a cache of four 256-byte pages: the column is mostly in the scratch file
    const col = new KeyColumn(new PageCache({ bytes: 1024, pageBytes: 256 }));
    for (const k of keys) col.push(k);
    for (let i = 0; i < 3000; i++) col.push(String(i)); // past the first growth
    expect(col.length).toBe(keys.length + 3000);
    expect(keys.map((_, i) => col.get(i))).toEqual(keys);
    expect(col.get(keys.length + 2999)).toBe('2999');
    col.push('77');
    expect(col.get(keys.length + 3000)).toBe('77');
    expect(keys.map((_, i) => col.get(i))).toEqual(keys);
  });

  it('a multimap gives each key its values in order, once each, from interleaved adds', async () => {
    const { MultiMap } = await import('../../src/parity/compact.ts');
    const m = new MultiMap(new PageCache({ bytes: 1024, pageBytes: 256 }));
    const expected = new Map<string, number[]>();
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let v = 0; v < 20000; v++) {
      // most keys get one value, some a few, one many; a value repeated for a key counts once
      const k = rnd() < 0.1 ? 'common' : `k${Math.floor(rnd() * 6000)}`;
      for (let times = rnd() < 0.2 ? 2 : 1; times > 0; times--) m.add(k, v);
      const list = expected.get(k) ?? [];
      list.push(v);
      expected.set(k, list);
    }
    expect(() => m.get('common')).toThrow(/before freeze/);
    m.freeze();
    expect(m.size).toBe(expected.size);
    expect([...m.entries()].map(([k, row]) => [k, Array.from(row)])).toEqual([...expected.entries()]);
    expect(Array.from(m.get('common'))).toEqual(expected.get('common'));
    expect(m.get('nobody').length).toBe(0);
    expect(() => m.add('k1', 20001)).toThrow(/after freeze/);
  });

  it('a derived-key index finds every slot whose derived key is asked, ascending, and none for a key no slot has', async () => {
    const { DerivedKeyIndex } = await import('../../src/parity/compact.ts');
    const { refKey } = await import('../../src/parity/keys.ts');
    // record keys as events have them: crime numbers written several ways, URNs in any case, blanks
    const keys: string[] = [];
    for (let i = 0; i < 4000; i++) keys.push(i % 3 === 0 ? `0${400000 + (i % 700)}/19` : i % 3 === 1 ? `${400000 + (i % 700)}/2019` : `urn-${i % 900}`);
    keys.push('URN-5', ' ', '');
    const idx = new DerivedKeyIndex(new PageCache({ bytes: 1024, pageBytes: 256 }), (slot) => refKey(keys[slot]));
    idx.build(keys.length);
    const expected = new Map<string, number[]>();
    keys.forEach((k, slot) => {
      const r = refKey(k);
      if (r !== null) expected.set(r, [...(expected.get(r) ?? []), slot]);
    });
    expect([...expected.entries()].filter(([r, slots]) => Array.from(idx.get(r)).join() !== slots.join())).toEqual([]);
    expect(Array.from(idx.get(refKey('400005/19')!))).toEqual(expected.get('C400005/19'));
    expect(idx.get('URN-5').length).toBe(0); // keys are asked derived: `UURN-5`
    expect(Array.from(idx.get('UURN-5'))).toEqual(expected.get('UURN-5'));
    for (const missing of ['C400700/19', 'C400005/20', 'Uurn-5', '']) expect(idx.get(missing).length).toBe(0);
  });

  it('a key index finds the latest slot of every key, before and after freeze, and nothing for a key it never held or lost', async () => {
    const { KeyColumn, KeyIndex } = await import('../../src/parity/compact.ts');
    const cache = new PageCache({ bytes: 1024, pageBytes: 256 });
    const col = new KeyColumn(cache);
    const idx = new KeyIndex(cache, col);
    const keys = ['100001', '99', '3000000001', '999999999999999', '1000000000000000', 'N0001234', 'N0001235', 'ÉCLAIR', 'a', 'A', '10', '1', '0412345', '0', '', '0412345/19', '412345/19', '412345/2019', '00/00', '0/00'];
    for (const k of keys) idx.put(col.push(k));
    // past several doublings of the table, with repeats (the later slot wins)
    for (let i = 0; i < 5000; i++) idx.put(col.push(String(i * 7919 % 100003)));
    for (let i = 0; i < 3000; i++) idx.put(col.push(`R${i % 2000}`));
    const again = col.push('99');
    idx.put(again);
    // a deleted key finds nothing, and a key put after a deletion is found past the tombstone
    idx.delete('N0001235');
    idx.delete('never held');
    const back = col.push('R7');
    idx.delete('R7');
    idx.put(back);
    const expected = new Map<string, number>();
    for (let i = 0; i < col.length; i++) expected.set(col.get(i), i);
    expected.delete('N0001235');
    const check = () => {
      expect([...expected.entries()].filter(([k, slot]) => idx.get(k) !== slot)).toEqual([]);
      expect(idx.get('99')).toBe(again);
      expect(idx.get('R7')).toBe(back);
      for (const missing of ['N0001235', '100003', '00', 'N0001236', 'n0001234', '99 ', ' 99', 'é', '1e3', '01', 'R2000', '00412345/19', '412345/0019', '0412345/2019', '000/00']) expect(idx.get(missing)).toBeUndefined();
    };
    check();
    expect(idx.size).toBe(expected.size);
    idx.freeze();
    check();
    expect(idx.size).toBe(expected.size);
    expect(() => idx.put(col.push('x'))).toThrow(/after freeze/);
    idx.clear();
    expect(idx.get('99')).toBeUndefined();
    expect(idx.size).toBe(0);
  });
});
