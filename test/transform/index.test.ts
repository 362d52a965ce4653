import { describe, it, expect } from 'vitest';
import * as t from '../../src/transform/index.ts';

describe('transform index', () => {
  it('re-exports every public function', () => {
    const names = [
      'stripNul', 'blankToNull', 'cleanText', 'hasMojibake', 'foldAccents', 'tokenise',
      'cleanName', 'nameMatchKey', 'soundex',
      'parseCrimintDateTime', 'londonToInstant', 'parseLegacyDate', 'londonOffsetMs',
      'parseCrisDob', 'parseCrimintDob', 'dobPeriod', 'periodsOverlap', 'dobsMatch',
      'normalisePostcode', 'normalisePostcodeQuery', 'postcodeMatchesQuery',
      'normaliseVrm', 'vrmFormat', 'toE164', 'phoneSearchKey',
      'pncCheckLetter', 'croCheckLetter', 'canonicalPnc', 'canonicalCro',
      'convertGrading',
      'crisStatus', 'crimintStatus', 'sexCode', 'crisPersonRole', 'crisVehicleRole', 'crimintSubjectRole', 'ethnicCode',
    ];
    for (const n of names) expect(typeof (t as Record<string, unknown>)[n], n).toBe('function');
    expect(t.CHECK_LETTERS).toBe('ZABCDEFGHJKLMNPQRTUVWXY');
    expect(t.ETHNIC_CODES.length).toBe(7);
  });
});
