// Every quirk of legacy-data.md (and the brief's list) is present in an extract generated with
// the default rates. One `it` per quirk: CRIS checks query dbo, CRIMINT checks parse the files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connect } from '../../src/db/pool.ts';
import { canonicalCro, canonicalPnc } from '../../src/transform/pnc.ts';
import { normalisePostcode } from '../../src/transform/postcode.ts';
import { normaliseVrm, vrmFormat } from '../../src/transform/vrm.ts';
import { hasMojibake } from '../../src/transform/text.ts';
import { soundex } from '../../src/transform/names.ts';
import { civilFromDays, lastSunday } from '../../src/synth/time.ts';
import { makeExtract, readJson, type Extract } from './extract.ts';

type J = Record<string, any>;

const SCALE = 5000;
let x: Extract;
let c: pg.Client;
let noms: J[];
let reports: J[];
let audit: J[];

const count = async (sql: string, params: unknown[] = []) => Number((await c.query(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0].n);
const iso = (days: number) => civilFromDays(days).map((v, k) => String(v).padStart(k === 0 ? 4 : 2, '0')).join('-');
const years = Array.from({ length: 17 }, (_, k) => 2008 + k);
const octDays = years.map((y) => iso(lastSunday(y, 10)));
const marDays = years.map((y) => iso(lastSunday(y, 3)));
const ukDay = (d: string) => d.split('-').reverse().join('/');
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

beforeAll(async () => {
  x = await makeExtract({ scale: SCALE, seed: 'quirks' });
  c = await connect(x.url);
  noms = readJson(x.dir, 'nominals.json');
  reports = readJson(x.dir, 'intel_reports.json');
  audit = readJson(x.dir, 'audit.json');
});
afterAll(async () => {
  await c?.end();
  await x?.dispose();
});

describe('dates of birth', () => {
  it('CRIMINT partial DOBs: 00/mm/yyyy and 00/00/yyyy', () => {
    expect(noms.some((n) => /^00\/(0[1-9]|1[0-2])\/\d{4}$/.test(n.dob))).toBe(true);
    expect(noms.some((n) => /^00\/00\/\d{4}$/.test(n.dob))).toBe(true);
  });
  it('CRIS 1900-01-01 "unknown" DOB, and NULL', async () => {
    expect(await count(`dbo.nominal WHERE dob = '1900-01-01 00:00:00'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE dob IS NULL`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE dob::time <> '00:00:00'`)).toBe(0);
  });
  it('CRIMINT empty-string DOB, and null', () => {
    expect(noms.some((n) => n.dob === '')).toBe(true);
    expect(noms.some((n) => n.dob === null)).toBe(true);
  });
});

describe('names', () => {
  it('apostrophes, hyphens, accents, inner and double spaces (CRIS)', async () => {
    expect(await count(`dbo.nominal WHERE surname LIKE '%''%'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE surname LIKE '%-%'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE surname ~ '[ÉÓËÜÁÑÇÚ]' OR forenames ~ '[ÉÓËÜÁÑÇÍÂÏÖ]'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE rtrim(surname) ~ '[A-Z] [A-Z]'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE surname LIKE '%  %'`)).toBeGreaterThan(0);
  });
  it('apostrophes, hyphens, accents, inner spaces (CRIMINT)', () => {
    const s = noms.map((n) => String(n.surname ?? ''));
    expect(s.some((v) => v.includes("'"))).toBe(true);
    expect(s.some((v) => v.includes('-'))).toBe(true);
    expect(noms.some((n) => /[éóëüáñçúíâïö]/i.test(`${n.surname} ${n.forenames}`))).toBe(true);
    expect(s.some((v) => /\S \S/.test(v.trim()))).toBe(true);
  });
  it('CRIS names mostly upper case, surnames repeating (several people per surname)', async () => {
    const total = await count('dbo.nominal');
    expect(await count(`dbo.nominal WHERE surname = upper(surname)`)).toBeGreaterThan(total * 0.85);
    const { rows } = await c.query(`SELECT rtrim(upper(surname)) s, count(*)::int n FROM dbo.nominal GROUP BY 1 ORDER BY 2 DESC LIMIT 5`);
    expect(rows[0].n).toBeGreaterThan(20);
    expect(rows[4].n).toBeGreaterThan(5);
  });
  it('CRIMINT aliases, some without DOB (no key or ""), some with a partial DOB', () => {
    const aliases = noms.flatMap((n) => (Array.isArray(n.aliases) ? n.aliases : []));
    expect(aliases.length).toBeGreaterThan(0);
    expect(aliases.some((a) => !('dob' in a))).toBe(true);
    expect(aliases.some((a) => a.dob === '')).toBe(true);
    expect(aliases.some((a) => /^00\//.test(a.dob ?? ''))).toBe(true);
    expect(aliases.some((a) => /^(0[1-9]|[12]\d|3[01])\//.test(a.dob ?? ''))).toBe(true);
  });
});

describe('damaged text', () => {
  it('trailing spaces in varchar values (names, streets, users)', async () => {
    expect(await count(`dbo.nominal WHERE surname LIKE '% '`)).toBeGreaterThan(0);
    expect(await count(`dbo.address WHERE street LIKE '% ' OR town LIKE '% '`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE created_by LIKE '% ' OR oic LIKE '% '`)).toBeGreaterThan(0);
    expect(noms.some((n) => typeof n.surname === 'string' && n.surname.endsWith(' '))).toBe(true);
  });
  it('space-padded char columns (blank borough, blank DELETED flag)', async () => {
    expect(await count(`dbo.crime_report WHERE octet_length(borough) > length(borough)`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE deleted = ' '`)).toBeGreaterThan(0);
  });
  it('empty-string and whitespace-only values instead of NULL', async () => {
    expect(await count(`dbo.address WHERE premises IS NOT NULL AND trim(premises) = ''`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE forenames = ''`)).toBeGreaterThan(0);
  });
  it('NUL characters in CRIMINT narratives and names', () => {
    expect(reports.some((r) => String(r.text).includes('\u0000'))).toBe(true);
    expect(noms.some((n) => `${n.surname}${n.forenames}`.includes('\u0000'))).toBe(true);
  });
  it('mojibake (Ã© for é) in names and narratives, both systems', async () => {
    expect(await count(`dbo.nominal WHERE surname ~ 'Ã' OR forenames ~ 'Ã'`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE mo_text LIKE '%Ã©%' OR mo_text LIKE '%Â£%'`)).toBeGreaterThan(0);
    expect(noms.some((n) => hasMojibake(`${n.surname}`))).toBe(true);
    expect(reports.some((r) => hasMojibake(String(r.text)))).toBe(true);
  });
  it('CR/LF, LF and tabs inside narratives', async () => {
    expect(await count(`dbo.crime_report WHERE mo_text LIKE E'%\\r\\n%'`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE mo_text LIKE E'%\\t%'`)).toBeGreaterThan(0);
    expect(reports.some((r) => String(r.text).includes('\r\n'))).toBe(true);
    expect(reports.some((r) => String(r.text).includes('\t'))).toBe(true);
  });
  it('narratives up to 20,000 characters', async () => {
    const { rows } = await c.query(`SELECT max(length(mo_text))::int m FROM dbo.crime_report`);
    expect(rows[0].m).toBeGreaterThan(5000);
    expect(rows[0].m).toBeLessThanOrEqual(20_000);
    expect(Math.max(...reports.map((r) => String(r.text).length))).toBeLessThanOrEqual(20_000);
  });
});

describe('addresses, vehicles, phones', () => {
  it('postcodes: invalid ones, lower case, without space, with a double space', async () => {
    const pcs = (await c.query(`SELECT postcode FROM dbo.address WHERE postcode IS NOT NULL`)).rows.map((r) => r.postcode as string);
    expect(pcs.some((p) => normalisePostcode(p) === null)).toBe(true);
    expect(pcs.some((p) => normalisePostcode(p) !== null && p === p.toLowerCase())).toBe(true);
    expect(pcs.some((p) => normalisePostcode(p) !== null && !p.includes(' '))).toBe(true);
    expect(pcs.some((p) => p.includes('  '))).toBe(true);
    const crimintPcs = [...noms.flatMap((n) => n.addresses), ...reports.flatMap((r) => r.locations)].map((a) => a.postcode).filter(Boolean);
    expect(crimintPcs.some((p) => normalisePostcode(p) === null)).toBe(true);
  });
  it('VRMs in current, prefix, suffix and dateless formats, with odd spacing and case', async () => {
    const vrms = (await c.query(`SELECT vrm FROM dbo.vehicle`)).rows.map((r) => r.vrm as string);
    const formats = new Set(vrms.map((v) => vrmFormat(normaliseVrm(v)!)));
    expect([...formats].sort()).toEqual(expect.arrayContaining(['current', 'dateless', 'prefix', 'suffix']));
    expect(vrms.some((v) => v !== v.toUpperCase())).toBe(true);
    expect(vrms.some((v) => !v.includes(' ') && vrmFormat(v) === 'current')).toBe(true);
    expect(vrms.some((v) => v.includes('  ') || v.startsWith(' '))).toBe(true);
    const cn = reports.flatMap((r) => r.vehicles.map((v: J) => v.vrm as string));
    expect(cn.some((v) => v !== v.toUpperCase())).toBe(true);
  });
  it('phones as 07700 900123, +44 7700 900123, (020) 7946 0018 and 0044 …', () => {
    const phones = [...noms.flatMap((n) => n.phones), ...reports.flatMap((r) => r.phones)] as string[];
    expect(phones.some((p) => /^07700 900\d{3}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\+44 7700 900\d{3}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\(0\d{2,3}\) \d{3,4} \d{3,4}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^0044 /.test(p))).toBe(true);
  });
});

describe('identifiers', () => {
  it('valid PNC ids in YY/NNNNNNNC and YYYY/NNNNNNNC form, and some with a wrong check letter', async () => {
    const pnc = [
      ...(await c.query(`SELECT pnc_id FROM dbo.nominal WHERE pnc_id IS NOT NULL`)).rows.map((r) => r.pnc_id as string),
      ...noms.map((n) => n.pnc).filter(Boolean),
    ];
    expect(pnc.some((p) => /^\d{2}\/\d{7}[A-Z]$/.test(p) && canonicalPnc(p) !== null)).toBe(true);
    expect(pnc.some((p) => /^\d{4}\/\d{7}[A-Z]$/.test(p) && canonicalPnc(p) !== null)).toBe(true);
    expect(pnc.some((p) => canonicalPnc(p) === null)).toBe(true);
    expect(pnc.filter((p) => canonicalPnc(p) === null).length).toBeLessThan(pnc.length * 0.1);
  });
  it('CRO numbers with correct check letters, and some wrong', async () => {
    const cro = (await c.query(`SELECT cro_no FROM dbo.nominal WHERE cro_no IS NOT NULL`)).rows.map((r) => r.cro_no as string);
    expect(cro.every((v) => /^\d{6}\/\d{2}[A-Z]$/.test(v))).toBe(true);
    expect(cro.some((v) => canonicalCro(v) !== null)).toBe(true);
    expect(cro.some((v) => canonicalCro(v) === null)).toBe(true);
  });
  it('CRIS_NO as NNNNNNN/YY, the year being the year reported', async () => {
    expect(await count(`dbo.crime_report WHERE cris_no !~ '^[0-9]{7}/[0-9]{2}$'`)).toBe(0);
    expect(await count(`dbo.crime_report WHERE right(cris_no, 2) <> to_char(reported_dt, 'YY')`)).toBe(0);
  });
  it('CRIMINT keys: N + 7 digits, IR/YYYY/NNNNNNN', () => {
    expect(noms.every((n) => /^N\d{7}$/.test(n.ref))).toBe(true);
    expect(reports.every((r) => /^IR\/\d{4}\/\d{7}$/.test(r.urn))).toBe(true);
  });
});

describe('references and lifecycle', () => {
  it('orphan CRIME_NOMINAL rows: missing nominal, missing crime', async () => {
    expect(await count(`dbo.crime_nominal l WHERE NOT EXISTS (SELECT 1 FROM dbo.nominal n WHERE n.nominal_id = l.nominal_id)`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_nominal l WHERE NOT EXISTS (SELECT 1 FROM dbo.crime_report r WHERE r.cris_no = l.cris_no)`)).toBeGreaterThan(0);
  });
  it('orphan CRIME_VEHICLE rows: missing vehicle, missing crime', async () => {
    expect(await count(`dbo.crime_vehicle l WHERE NOT EXISTS (SELECT 1 FROM dbo.vehicle v WHERE v.vehicle_id = l.vehicle_id)`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_vehicle l WHERE NOT EXISTS (SELECT 1 FROM dbo.crime_report r WHERE r.cris_no = l.cris_no)`)).toBeGreaterThan(0);
  });
  it('dangling CRIME_REPORT.LOCATION_ID and NOMINAL.ADDRESS_ID', async () => {
    expect(await count(`dbo.crime_report r WHERE location_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dbo.address a WHERE a.address_id = r.location_id)`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal n WHERE address_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dbo.address a WHERE a.address_id = n.address_id)`)).toBeGreaterThan(0);
  });
  it('CRIMINT subject refs to nominals not in the export', () => {
    const refs = new Set(noms.map((n) => n.ref));
    expect(reports.some((r) => r.subjects.some((s: J) => !refs.has(s.ref)))).toBe(true);
  });
  it("logically deleted records: DELETED='Y' (crimes, nominals), status DELETED (nominals, reports)", async () => {
    expect(await count(`dbo.crime_report WHERE deleted = 'Y'`)).toBeGreaterThan(0);
    expect(await count(`dbo.nominal WHERE deleted = 'Y'`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE deleted IS NULL`)).toBeGreaterThan(0);
    expect(noms.some((n) => n.status === 'DELETED')).toBe(true);
    expect(reports.some((r) => r.status === 'DELETED')).toBe(true);
  });
  it('links pointing to deleted records', async () => {
    expect(await count(`dbo.crime_nominal l JOIN dbo.nominal n USING (nominal_id) WHERE n.deleted = 'Y'`)).toBeGreaterThan(0);
    expect(await count(`dbo.crime_nominal l JOIN dbo.crime_report r USING (cris_no) WHERE r.deleted = 'Y'`)).toBeGreaterThan(0);
    const deleted = new Set(noms.filter((n) => n.status === 'DELETED').map((n) => n.ref));
    expect(reports.some((r) => r.subjects.some((s: J) => deleted.has(s.ref)))).toBe(true);
  });
  it('keys repeated in a re-export: the later copy changed', () => {
    for (const [rows, key] of [[noms, 'ref'], [reports, 'urn']] as const) {
      const first = new Map<string, string>();
      let repeated = 0;
      for (const r of rows) {
        const k = r[key] as string;
        const s = JSON.stringify(r);
        if (first.has(k)) {
          expect(s, k).not.toBe(first.get(k));
          repeated++;
        } else first.set(k, s);
      }
      expect(repeated, key).toBeGreaterThan(0);
    }
  });
  it('ARCHIVED CRIMINT nominals and reports', () => {
    expect(noms.some((n) => n.status === 'ARCHIVED')).toBe(true);
    expect(reports.some((r) => r.status === 'ARCHIVED')).toBe(true);
  });
});

describe('times and codes', () => {
  it('timestamps in the repeated October hour and the skipped March hour (CRIS)', async () => {
    const inHour = (days: string[]) => count(
      `(SELECT reported_dt t FROM dbo.crime_report UNION ALL SELECT created_dt FROM dbo.crime_report UNION ALL SELECT action_dt FROM dbo.audit_trail) x
       WHERE t::date = ANY($1::date[]) AND extract(hour FROM t) = 1`, [days]);
    expect(await inHour(octDays)).toBeGreaterThan(0);
    expect(await inHour(marDays)).toBeGreaterThan(0);
  });
  it('timestamps in the repeated October hour and the skipped March hour (CRIMINT)', () => {
    const times = [...noms.map((n) => n.created), ...reports.map((r) => r.created), ...audit.map((a) => a.at)] as string[];
    const hit = (days: string[]) => times.some((t) => days.some((d) => t.startsWith(`${ukDay(d)} 01:`)));
    expect(hit(octDays)).toBe(true);
    expect(hit(marDays)).toBe(true);
  });
  it('both grading schemes: 5x5x5 before 2016 (with source C), 3x5x2 from 2016 (source 1–3, handling P/C)', () => {
    const year = (r: J) => Number(String(r.urn).slice(3, 7));
    const ok = reports.filter((r) => r.created !== '31/02/2019 10:00:00');
    expect(ok.every((r) => (year(r) < 2016 ? r.gradingScheme === '5x5x5' : r.gradingScheme === '3x5x2'))).toBe(true);
    const five = ok.filter((r) => r.gradingScheme === '5x5x5');
    const three = ok.filter((r) => r.gradingScheme === '3x5x2');
    expect(five.some((r) => r.grading.source === 'C')).toBe(true);
    expect(five.every((r) => /^[A-E]$/.test(r.grading.source) && /^[1-5]$/.test(r.grading.intel) && /^[1-5]$/.test(r.grading.handling))).toBe(true);
    expect(three.every((r) => /^[1-3]$/.test(r.grading.source) && /^[A-E]$/.test(r.grading.intel) && /^[PC]$/.test(r.grading.handling))).toBe(true);
    expect(three.some((r) => r.grading.handling === 'C')).toBe(true);
  });
  it('invalid SEX values', async () => {
    expect(await count(`dbo.nominal WHERE sex NOT IN ('M', 'F', 'U')`)).toBeGreaterThan(0);
    expect(noms.some((n) => n.sex !== null && !['M', 'F', 'U'].includes(n.sex))).toBe(true);
  });
  it('COMMITTED_TO before COMMITTED_FROM', async () => {
    expect(await count(`dbo.crime_report WHERE committed_to < committed_from`)).toBeGreaterThan(0);
  });
  it('CLASS_DESC typed differently from the reference label', async () => {
    expect(await count(`dbo.crime_report WHERE class_desc = upper(class_desc) OR class_desc = lower(class_desc) OR class_desc LIKE '% '`)).toBeGreaterThan(0);
  });
  it('MoPI groups 1–3 and missing; review dates past and future', () => {
    const groups = new Set(reports.map((r) => ('mopiGroup' in r ? r.mopiGroup : 'missing')));
    for (const g of [1, 2, 3, 'missing']) expect(groups.has(g)).toBe(true);
    const reviews = reports.map((r) => String(r.reviewDate).split('/').reverse().join('-'));
    const exported = x.result.exportedAt.slice(0, 10);
    expect(reviews.some((d) => d < exported)).toBe(true);
    expect(reviews.some((d) => d > exported)).toBe(true);
  });
});

describe('planted bad records', () => {
  const find = (field: string) => x.result.planted.find((p) => p.field === field)!;
  it('are listed in the result with their expected outcome', () => {
    expect(x.result.planted.map((p) => `${p.system}:${p.entity}:${p.field}:${p.expect}:${p.code}`)).toEqual([
      'CRIS:NOMINAL:surname:quarantined:missing_required',
      'CRIMINT:nominals.json:surname:quarantined:missing_required',
      'CRIMINT:nominals.json:aliases:quarantined:malformed_record',
      'CRIMINT:intel_reports.json:created:quarantined:invalid_required',
      'CRIMINT:intel_reports.json:mopiGroup:warning:invalid_mopi_group',
      'CRIS:NOMINAL:pnc_id:warning:invalid_pnc',
      'CRIS:ADDRESS:postcode:warning:invalid_postcode',
      'CRIS:CRIME_REPORT:reported_dt:warning:ambiguous_local_time',
      'CRIS:CRIME_REPORT:reported_dt:warning:nonexistent_local_time',
    ]);
  });
  it('CRIS nominal with a blank surname, live; the only one', async () => {
    const { rows } = await c.query(`SELECT surname, deleted FROM dbo.nominal WHERE nominal_id = $1`, [Number(find('surname').key)]);
    expect(rows).toHaveLength(1);
    expect(rows[0].surname).toBe('');
    expect(rows[0].deleted).not.toBe('Y');
    expect(await count(`dbo.nominal WHERE surname IS NULL OR trim(surname) = ''`)).toBe(1);
  });
  it('CRIMINT nominal with no surname; nominal with "aliases": "none"', () => {
    const none = noms.filter((n) => !('surname' in n));
    expect(none.map((n) => [n.ref, n.status])).toEqual([[x.result.planted[1]!.key, 'ACTIVE']]);
    const bad = noms.filter((n) => !Array.isArray(n.aliases));
    expect(bad.map((n) => [n.ref, n.aliases, n.status])).toEqual([[find('aliases').key, 'none', 'ACTIVE']]);
    expect(noms.filter((n) => typeof n.surname === 'string' && n.surname.replace(/[\s\u0000]/g, '') === '')).toEqual([]);
  });
  it('CRIMINT report created 31/02/2019 10:00:00; report with "mopiGroup": "three"', () => {
    expect(reports.filter((r) => r.created === '31/02/2019 10:00:00').map((r) => r.urn)).toEqual([find('created').key]);
    expect(reports.filter((r) => 'mopiGroup' in r && typeof r.mopiGroup !== 'number').map((r) => [r.urn, r.mopiGroup])).toEqual([[find('mopiGroup').key, 'three']]);
    expect(find('created').key).toMatch(/^IR\/2019\//);
    expect(reports.filter((r) => !/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/.test(r.created))).toEqual([]);
  });
  it('planted warnings: bad PNC check letter, invalid postcode, DST hours on live records', async () => {
    const pnc = (await c.query(`SELECT pnc_id, deleted FROM dbo.nominal WHERE nominal_id = $1`, [Number(find('pnc_id').key)])).rows[0];
    expect(canonicalPnc(pnc.pnc_id)).toBeNull();
    expect(pnc.pnc_id).toMatch(/^\d{2}(\d{2})?\/\d{7}[A-Z]$/);
    expect(pnc.deleted).not.toBe('Y');
    const pc = (await c.query(`SELECT postcode FROM dbo.address WHERE address_id = $1`, [Number(find('postcode').key)])).rows[0];
    expect(normalisePostcode(pc.postcode)).toBeNull();
    const dst = x.result.planted.filter((p) => p.field === 'reported_dt');
    for (const p of dst) {
      const r = (await c.query(`SELECT reported_dt::text t, deleted FROM dbo.crime_report WHERE cris_no = $1`, [p.key])).rows[0];
      expect(r.deleted).not.toBe('Y');
      const days = p.code === 'ambiguous_local_time' ? octDays : marDays;
      expect(days).toContain(r.t.slice(0, 10));
      expect(r.t.slice(11, 13)).toBe('01');
    }
  });
});

describe('audit trails', () => {
  it('CRIS AUDIT_ID strictly increasing bigint (past the int32 range), in time order of generation', async () => {
    const ids = (await c.query(`SELECT audit_id FROM dbo.audit_trail ORDER BY audit_id`)).rows.map((r) => BigInt(r.audit_id));
    for (let k = 1; k < ids.length; k++) expect(ids[k]! > ids[k - 1]!).toBe(true);
    expect(ids[0]! > 2_147_483_647n).toBe(true);
  });
  it('CRIMINT ids A000000001, A000000002, …', () => {
    audit.forEach((a, k) => expect(a.id).toBe(`A${String(k + 1).padStart(9, '0')}`));
    expect(Object.keys(audit[0]!)).toEqual(['id', 'at', 'user', 'action', 'entity', 'key', 'reason', 'recipient', 'criteria']);
  });
  it('every action, in both systems', async () => {
    const all = ['CREATE', 'UPDATE', 'VIEW', 'SEARCH', 'PRINT', 'DISCLOSE', 'LINK', 'DELETE'];
    const cris = (await c.query(`SELECT DISTINCT action FROM dbo.audit_trail`)).rows.map((r) => r.action);
    expect(cris.sort()).toEqual([...all].sort());
    expect([...new Set(audit.map((a) => a.action))].sort()).toEqual([...all].sort());
    expect([...new Set(audit.map((a) => a.entity))].sort()).toEqual(['intel_report', 'nominal', 'search']);
  });
  it('UPDATE carries DETAIL {"field": [old, new]}', async () => {
    const details = (await c.query(`SELECT detail FROM dbo.audit_trail WHERE action = 'UPDATE'`)).rows.map((r) => JSON.parse(r.detail));
    expect(details.length).toBeGreaterThan(0);
    for (const d of details) {
      expect(Object.keys(d)).toHaveLength(1);
      expect(Object.values(d)[0]).toHaveLength(2);
    }
  });
  it('DISCLOSE with and without recipient; VIEW / DISCLOSE without reason (legacy gaps)', async () => {
    expect(await count(`dbo.audit_trail WHERE action = 'DISCLOSE' AND recipient IS NOT NULL`)).toBeGreaterThan(0);
    expect(await count(`dbo.audit_trail WHERE action = 'DISCLOSE' AND recipient IS NULL`)).toBeGreaterThan(0);
    expect(await count(`dbo.audit_trail WHERE action = 'VIEW' AND reason IS NULL`)).toBeGreaterThan(0);
    expect(await count(`dbo.audit_trail WHERE action = 'DISCLOSE' AND reason IS NULL`)).toBeGreaterThan(0);
    expect(audit.some((a) => a.action === 'DISCLOSE' && a.recipient === null)).toBe(true);
    expect(audit.some((a) => a.action === 'DISCLOSE' && typeof a.recipient === 'string')).toBe(true);
    expect(audit.some((a) => (a.action === 'VIEW' || a.action === 'DISCLOSE') && a.reason === null)).toBe(true);
  });
  it('entries about deleted records', async () => {
    expect(await count(`dbo.audit_trail a JOIN dbo.crime_report r ON a.table_name = 'CRIME_REPORT' AND a.record_key = r.cris_no WHERE r.deleted = 'Y'`)).toBeGreaterThan(0);
    expect(await count(`dbo.audit_trail a JOIN dbo.nominal n ON a.table_name = 'NOMINAL' AND a.record_key = n.nominal_id::text WHERE n.deleted = 'Y' AND a.action = 'DELETE'`)).toBeGreaterThan(0);
    const deleted = new Set([...noms, ...reports].filter((r) => r.status === 'DELETED').map((r) => r.ref ?? r.urn));
    expect(audit.some((a) => a.action === 'DELETE' && deleted.has(a.key))).toBe(true);
  });
});

// search-catalog.md: [required, optional] parameter names per capability
const PARAMS: Record<string, [string[], string[]]> = {
  S01: [['surname'], ['forenames']], S02: [['surname'], ['forenameInitial']], S03: [['pattern'], []], S04: [['dob'], []],
  S05: [['minAge', 'maxAge', 'onDate'], []], S06: [['surname', 'birthYear', 'tolerance'], []], S07: [['postcode'], []],
  S08: [['street'], ['town']], S09: [['vrm'], []], S10: [['pattern'], []], S11: [[], ['make', 'model', 'colour']],
  S12: [['number'], []], S13: [['reference'], []], S14: [['words'], ['phrase']], S15: [['codes', 'from', 'to'], ['borough']],
  S16: [['scheme', 'sources', 'handling', 'from', 'to'], []], S17: [['nominal'], ['roles']], S18: [['vrm'], []],
  S19: [['reference', 'from', 'to'], []], S20: [['surname', 'forenames', 'dob'], []],
};

describe('SEARCH criteria', () => {
  let searches: Array<{ system: string; capability: string; params: J }>;
  beforeAll(async () => {
    const cris = (await c.query(`SELECT detail, record_key, table_name FROM dbo.audit_trail WHERE action = 'SEARCH'`)).rows;
    expect(cris.every((r) => r.record_key === null && r.table_name === 'SEARCH')).toBe(true);
    searches = [
      ...cris.map((r) => ({ system: 'CRIS', ...JSON.parse(r.detail) })),
      ...audit.filter((a) => a.action === 'SEARCH').map((a) => ({ system: 'CRIMINT', ...a.criteria })),
    ];
    expect(audit.filter((a) => a.action !== 'SEARCH').every((a) => a.criteria === null)).toBe(true);
  });

  it('cover all 20 capabilities', () => {
    expect([...new Set(searches.map((s) => s.capability))].sort()).toEqual(Object.keys(PARAMS));
  });
  it('use exactly the catalog parameter names', () => {
    for (const s of searches) {
      const [req, opt] = PARAMS[s.capability]!;
      const keys = Object.keys(s.params);
      for (const k of req) expect(keys, `${s.capability} ${k}`).toContain(k);
      for (const k of keys) expect([...req, ...opt], `${s.capability} ${k}`).toContain(k);
      if (s.capability === 'S11') expect(keys.length).toBeGreaterThan(0);
    }
  });
  it('write dob as dd/mm/yyyy (00 for unknown parts) and from/to/onDate as YYYY-MM-DD', () => {
    for (const s of searches) {
      for (const k of ['from', 'to', 'onDate']) if (k in s.params) expect(s.params[k]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if ('dob' in s.params) expect(s.params.dob).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      if ('from' in s.params) expect(s.params.from < s.params.to).toBe(true);
      if (s.capability === 'S06') expect(s.params.tolerance).toBeGreaterThanOrEqual(0), expect(s.params.tolerance).toBeLessThanOrEqual(5);
      if (s.capability === 'S05') expect(s.params.minAge).toBeLessThanOrEqual(s.params.maxAge);
    }
  });
  it('are built from generated records: typed variants included', async () => {
    const by = (cap: string, sys?: string) => searches.filter((s) => s.capability === cap && (!sys || s.system === sys)).map((s) => s.params);
    // S13 in the 4-digit-year form, resolving to a real crime
    const s13 = by('S13', 'CRIS').map((p) => p.reference as string);
    const long = s13.filter((r) => /^\d{7}\/\d{4}$/.test(r));
    expect(long.length).toBeGreaterThan(0);
    expect(await count(`dbo.crime_report WHERE cris_no = ANY($1)`, [long.map((r) => `${r.slice(0, 8)}${r.slice(10)}`)])).toBeGreaterThan(0);
    // S01 surnames that exist
    const s01 = by('S01', 'CRIS').map((p) => String(p.surname).toUpperCase());
    expect(await count(`dbo.nominal WHERE upper(rtrim(surname)) = ANY($1)`, [s01])).toBeGreaterThan(0);
    // S12 phone in +44 form; S07 districts and sectors; S10 wildcards; S02 misspelt
    expect(by('S12').some((p) => String(p.number).startsWith('+44 '))).toBe(true);
    expect(by('S07').some((p) => /^[A-Z]{1,2}\d[A-Z\d]?$/.test(p.postcode))).toBe(true);
    expect(by('S10').some((p) => /[*?]/.test(p.pattern))).toBe(true);
    // S02: misspelt surnames whose Soundex key is that of a generated surname
    const stored = (await c.query(`SELECT DISTINCT upper(rtrim(surname)) s FROM dbo.nominal`)).rows.map((r) => r.s as string);
    const keys = new Set(stored.map((v) => soundex(v)));
    const s02 = by('S02', 'CRIS').map((p) => String(p.surname).toUpperCase());
    expect(s02.every((v) => keys.has(soundex(v)))).toBe(true);
    expect(s02.some((v) => !stored.includes(v))).toBe(true);
    // S16 scheme values; S17 nominal keys of both systems
    expect(by('S16').every((p) => p.scheme === '5x5x5' || p.scheme === '3x5x2')).toBe(true);
    expect(by('S17', 'CRIMINT').every((p) => /^N\d{7}$/.test(p.nominal))).toBe(true);
    expect(by('S17', 'CRIS').every((p) => /^\d+$/.test(p.nominal))).toBe(true);
  });
});
