import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/cris-crime-report.ts';
import { hoOffenceLabel, HO_OFFENCE_LABELS, parseCsv } from '../../mappings/reference/ho-offence-codes.ts';
import { load, quarantine, rec, utc, warnings } from './helpers.ts';

const base = {
  cris_no: '0412345/19', borough: 'TX', ho_class: ' 56A ', class_desc: 'ARSON (LIFE)',
  committed_from: '2019-03-03 22:00:00', committed_to: '2019-03-04 01:30:00', reported_dt: '2019-07-01 12:00:00',
  location_id: 501, mo_text: '  Suspect forced\r\n\tthe rear door.  ', status: 'C', oic: 'PC1234',
  created_by: 'AB1234', created_dt: '2019-07-01 12:05:00', updated_by: 'CD5678', updated_dt: '2019-08-02 09:00:00', deleted: null,
};
const id = targetId('CRIS', 'CRIME_REPORT', '0412345/19');

describe('CRIS CRIME_REPORT → record.event (crime) + event_location occurred_at', () => {
  it('maps a representative crime report exactly', () => {
    const m = load(mapping, rec('0412345/19', base));
    expect(m).toEqual({
      rows: [{
        table: 'record.event', key: '0412345/19',
        row: {
          id, kind: 'crime', reference: '0412345/19',
          occurred_from: utc('2019-03-03T22:00:00Z'), occurred_to: utc('2019-03-04T01:30:00Z'),
          reported_at: utc('2019-07-01T11:00:00Z'),
          classification_code: '56A', classification_label: 'Arson endangering life',
          borough: 'TX', status: 'closed', narrative: 'Suspect forced\r\n\tthe rear door.', officer: 'PC1234',
          grading_source: null, grading_intel: null, grading_handling: null, legacy_grading: null,
          mopi_group: null, review_due: null, restricted: false, source_system: 'CRIS',
          created_at: utc('2019-07-01T11:05:00Z'), created_by: 'AB1234',
          updated_at: utc('2019-08-02T08:00:00Z'), updated_by: 'CD5678',
        },
      }],
      links: [{
        table: 'record.event_location', key: '0412345/19',
        row: { event_id: id, location_id: targetId('CRIS', 'ADDRESS', '501'), role: 'occurred_at' },
        refs: [{ column: 'location_id', entity: 'ADDRESS', key: '501' }],
      }],
      audit: [], warnings: [],
    });
  });

  it('no location → no link', () => {
    expect(load(mapping, rec('0412345/19', { ...base, location_id: null })).links).toEqual([]);
  });

  it('trims a char(2) borough with a trailing space and maps every status', () => {
    const row = (o: object) => load(mapping, rec('0412345/19', { ...base, ...o })).rows[0]!.row;
    expect(row({ borough: 'K ' }).borough).toBe('K');
    expect(['O', 'C', 'N', 'R', null].map((status) => row({ status }).status)).toEqual(['open', 'closed', 'no_crime', 'referred', null]);
    const m = load(mapping, rec('0412345/19', { ...base, status: 'Z' }));
    expect(m.rows[0]!.row.status).toBeNull();
    expect(warnings(m)).toEqual(['invalid_status@status']);
  });

  it('reported_dt: unparseable → invalid_required, missing → missing_required, not text → invalid_type', () => {
    expect(quarantine(mapping, rec('0412345/19', { ...base, reported_dt: '2019-02-30 10:00:00' }))).toEqual({
      code: 'invalid_required', field: 'reported_dt', sourceKey: '0412345/19',
      message: 'reported_dt "2019-02-30 10:00:00" is not a valid date-time',
    });
    expect(quarantine(mapping, rec('0412345/19', { ...base, reported_dt: null }))).toMatchObject({ code: 'missing_required', field: 'reported_dt' });
    expect(quarantine(mapping, rec('0412345/19', { ...base, reported_dt: 20190701 }))).toMatchObject({ code: 'invalid_type', field: 'reported_dt' });
  });

  it('quarantines a CRIS number that is not NNNNNNN/YY (invalid_key)', () => {
    expect(quarantine(mapping, rec('412345/19', { ...base, cris_no: '412345/19' }))).toMatchObject({ code: 'invalid_key', field: 'cris_no' });
  });

  it('ambiguous and nonexistent local times: earlier instant / forward one hour, with warnings per column', () => {
    const m = load(mapping, rec('0412345/19', {
      ...base, committed_from: '2019-03-31 01:30:00', committed_to: '2019-10-27 01:30:00', reported_dt: '2019-10-27 01:15:00',
    }));
    expect(m.rows[0]!.row).toMatchObject({
      occurred_from: utc('2019-03-31T01:30:00Z'), occurred_to: utc('2019-10-27T00:30:00Z'), reported_at: utc('2019-10-27T00:15:00Z'),
    });
    expect(warnings(m)).toEqual(['ambiguous_local_time@reported_dt', 'nonexistent_local_time@committed_from', 'ambiguous_local_time@committed_to']);
  });

  it('committed_to before committed_from: both kept + committed_to_before_from', () => {
    const m = load(mapping, rec('0412345/19', { ...base, committed_from: '2019-03-05 10:00:00', committed_to: '2019-03-04 10:00:00' }));
    expect(m.rows[0]!.row).toMatchObject({ occurred_from: utc('2019-03-05T10:00:00Z'), occurred_to: utc('2019-03-04T10:00:00Z') });
    expect(warnings(m)).toEqual(['committed_to_before_from@committed_to']);
  });

  it('an unparseable optional date-time → NULL + invalid_datetime', () => {
    const m = load(mapping, rec('0412345/19', { ...base, committed_from: 'yesterday', updated_dt: '2019-13-01 00:00:00' }));
    expect(m.rows[0]!.row).toMatchObject({ occurred_from: null, updated_at: null });
    expect(warnings(m)).toEqual(['invalid_datetime@committed_from', 'invalid_datetime@updated_dt']);
  });

  it('unknown HO code: code kept, label NULL + unknown_classification; blank code: both NULL', () => {
    const m = load(mapping, rec('0412345/19', { ...base, ho_class: 'ZZ9' }));
    expect(m.rows[0]!.row).toMatchObject({ classification_code: 'ZZ9', classification_label: null });
    expect(warnings(m)).toEqual(['unknown_classification@ho_class']);
    const blank = load(mapping, rec('0412345/19', { ...base, ho_class: '  ' }));
    expect(blank.rows[0]!.row).toMatchObject({ classification_code: null, classification_label: null });
    expect(blank.warnings).toEqual([]);
  });

  it('narrative: NUL removed (nul_removed), CR/LF/tabs kept, mojibake flagged', () => {
    const m = load(mapping, rec('0412345/19', { ...base, mo_text: 'Line 1\u0000\r\nLine\t2 CafÃ©' }));
    expect(m.rows[0]!.row.narrative).toBe('Line 1\r\nLine\t2 CafÃ©');
    expect(warnings(m)).toEqual(['nul_removed@mo_text', 'mojibake@mo_text']);
  });

  it('excludes DELETED = Y', () => {
    expect(mapping.exclude({ ...base, deleted: ' Y' })).toBe('legacy_deleted');
    expect(mapping.exclude(base)).toBeNull();
  });
});

describe('HO offence code reference', () => {
  it('loads every code of data/ho-offence-codes.csv, quoted labels included', () => {
    expect(HO_OFFENCE_LABELS.size).toBe(136);
    expect(hoOffenceLabel('9A')).toBe('Public fear, alarm or distress');
    expect(hoOffenceLabel('33')).toBe('Going equipped for stealing, etc');
    expect(hoOffenceLabel('56a')).toBe('Arson endangering life');
    expect(hoOffenceLabel('NOPE')).toBeNull();
  });

  it('parses RFC 4180 CSV', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",z\n\n1,\n')).toEqual([['a', 'b'], ['x, "y"', 'z'], ['1', '']]);
  });
});
