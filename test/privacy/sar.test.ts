import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restrict, subjectAccess, type SarDocument } from '../../src/privacy/index.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { ConfigError, CutoverError } from '../../src/core/problems.ts';
import { dropTestDatabase } from '../helpers/db.ts';
import { client, ids, loadFixture, migratedDatabase, tableCounts, CRO, PNC } from './fixture.ts';

async function rows<T = Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const c = await client(url);
  try {
    return (await c.query(sql, values)).rows as T[];
  } finally {
    await c.end();
  }
}

const CHROMIUM = '/usr/bin/chromium';

describe('restrict', () => {
  let url: string;
  beforeAll(async () => {
    url = await migratedDatabase('privacy_restrict');
    await loadFixture(url);
  });
  afterAll(async () => {
    if (url) await dropTestDatabase(url);
  });

  it('sets and lifts the flag on a person, each time with an alteration event', async () => {
    const set = await restrict({ url, person: ids.P, actor: 'DPO0001', justification: 'accuracy contested: ticket 42' });
    expect(set).toMatchObject({ entityType: 'person', id: ids.P, restricted: true, changed: true });
    expect(await rows(url, 'SELECT restricted FROM record.person WHERE id = $1', [ids.P])).toEqual([{ restricted: true }]);
    const again = await restrict({ url, person: ids.P, actor: 'DPO0001', justification: 'accuracy contested: ticket 42' });
    expect(again).toEqual({ entityType: 'person', id: ids.P, restricted: true, changed: false, auditSeq: null });
    const lift = await restrict({ url, person: ids.P, actor: 'DPO0002', justification: 'accuracy confirmed', lift: true });
    expect(lift).toMatchObject({ restricted: false, changed: true });
    expect(await rows(url, 'SELECT restricted FROM record.person WHERE id = $1', [ids.P])).toEqual([{ restricted: false }]);

    const events = await rows(url, `SELECT seq::text, actor, justification, entity_type, entity_id::text, detail, origin FROM audit.event WHERE operation = 'alteration' ORDER BY seq`);
    expect(events).toEqual([
      { seq: set.auditSeq, actor: 'DPO0001', justification: 'accuracy contested: ticket 42', entity_type: 'person', entity_id: ids.P, detail: { restricted: true }, origin: 'RMS' },
      { seq: lift.auditSeq, actor: 'DPO0002', justification: 'accuracy confirmed', entity_type: 'person', entity_id: ids.P, detail: { restricted: false }, origin: 'RMS' },
    ]);
    expect((await verifyChain(url)).ok).toBe(true);
  });

  it('restricts an event', async () => {
    const r = await restrict({ url, event: ids.E1, actor: 'DPO0001', justification: 'court order 2024/118' });
    expect(r).toMatchObject({ entityType: 'event', id: ids.E1, restricted: true, changed: true });
    expect(await rows(url, 'SELECT restricted FROM record.event WHERE id = $1', [ids.E1])).toEqual([{ restricted: true }]);
    await restrict({ url, event: ids.E1, actor: 'DPO0001', justification: 'order discharged', lift: true });
  });

  it('refuses unknown ids and bad options, changing nothing', async () => {
    const before = await tableCounts(url);
    await expect(restrict({ url, person: '00000000-0000-4000-8000-000000000000', actor: 'a', justification: 'j' })).rejects.toThrow(/no person with id/);
    await expect(restrict({ url, event: ids.P, actor: 'a', justification: 'j' })).rejects.toBeInstanceOf(CutoverError);
    await expect(restrict({ url, person: ids.P, event: ids.E1, actor: 'a', justification: 'j' })).rejects.toBeInstanceOf(ConfigError);
    await expect(restrict({ url, actor: 'a', justification: 'j' })).rejects.toBeInstanceOf(ConfigError);
    await expect(restrict({ url, person: ids.P, actor: ' ', justification: 'j' })).rejects.toBeInstanceOf(ConfigError);
    await expect(restrict({ url, person: ids.P, actor: 'a', justification: '' })).rejects.toBeInstanceOf(ConfigError);
    expect(await tableCounts(url)).toEqual(before);
  });
});

describe('subject access', () => {
  let url: string;
  let out: string;
  let doc: SarDocument;
  let html: string;
  let result: Awaited<ReturnType<typeof subjectAccess>>;

  beforeAll(async () => {
    url = await migratedDatabase('privacy_sar');
    await loadFixture(url);
    await restrict({ url, person: ids.P, actor: 'DPO0001', justification: 'accuracy contested' }); // S20 still finds it
    out = mkdtempSync(path.join(os.tmpdir(), 'cutover-sar-'));
    result = await subjectAccess({ url, surname: 'obrien', forenames: 'sean', dob: '1985-03-12', outDir: path.join(out, 'response'), actor: 'DPO0001' });
    doc = JSON.parse(readFileSync(result.files.json, 'utf8'));
    html = readFileSync(result.files.html, 'utf8');
  });
  afterAll(async () => {
    if (url) await dropTestDatabase(url);
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('writes sar.json with every record S20 finds, restricted ones included', () => {
    expect(result.files).toEqual({ json: path.join(out, 'response', 'sar.json'), html: path.join(out, 'response', 'sar.html') });
    expect(result.personIds).toEqual([ids.P]);
    expect(result.counts).toEqual({ persons: 1, otherNames: 1, events: 2, locations: 2, objects: 3, disclosures: 2, unresolved: 0 });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result); // JSON-serialisable for --json
    expect(doc.request).toEqual({ surname: 'obrien', forenames: 'sean', dob: '12/03/1985' });
    expect(doc.records.persons).toHaveLength(1);
    expect(doc.records.persons[0]).toMatchObject({ id: ids.P, surname: "O'Brien", forenames: 'Sean Patrick', date_of_birth: '1985-03-12', pnc_id: PNC, restricted: true,
      source: { sourceSystem: 'CRIMINT', sourceEntity: 'nominals.json', legacyReference: 'N0001001' } });
    expect(doc.records.otherNames.map((n) => n.surname)).toEqual(['Bryan']);
    expect(doc.records.events.map((e) => [e.reference, e.yourRoles])).toEqual([['0412345/19', ['suspect']], ['IR/2019/0000001', ['subject']]]);
    expect(doc.records.locations.map((l) => l.id).sort()).toEqual([ids.L1, ids.L2].sort());
    expect(doc.records.objects.map((o) => o.id).sort()).toEqual([ids.V1, ids.V2, ids.T1].sort());
    // Q (the victim on E1) is not part of P's answer
    expect(JSON.stringify(doc)).not.toContain('Jane');
  });

  it('keeps the record shape of sar.json: the columns in query order, as JSON gives their driver types, then the source', () => {
    // toEqual ignores key order, which outside readers of sar.json see: compare entries instead
    const shape = (rs: object[]) => rs.map((r) => Object.entries(r));
    const src = (sourceSystem: string, sourceEntity: string, legacyReference: string) => ({ sourceSystem, sourceEntity, legacyReference });
    const r = doc.records;
    expect(shape(r.persons)).toEqual(shape([{
      id: ids.P, surname: "O'Brien", forenames: 'Sean Patrick', date_of_birth: '1985-03-12', dob_precision: 'day', sex: 'male', ethnicity: 'IC1',
      pnc_id: PNC, cro_no: CRO, restricted: true, source_system: 'CRIMINT', created_at: '2019-03-04T10:22:00.000Z', updated_at: null,
      source: src('CRIMINT', 'nominals.json', 'N0001001'),
    }]));
    expect(shape(r.otherNames)).toEqual(shape([{
      id: ids.PA, person_id: ids.P, kind: 'alias', surname: 'Bryan', forenames: 'Sean', date_of_birth: null, dob_precision: 'unknown',
      source: src('CRIMINT', 'nominals.json', 'N0001001/aliases/0'),
    }]));
    expect(shape(r.events)).toEqual(shape([
      {
        id: ids.E1, kind: 'crime', reference: '0412345/19', occurred_from: null, occurred_to: null, reported_at: '2019-03-04T10:00:00.000Z',
        classification_code: '28E', classification_label: 'Burglary in a dwelling', borough: 'TX', status: 'open',
        narrative: 'Suspect forced the rear door at 02:30 and took a laptop.', officer: 'PC123',
        legacy_grading: null, grading_source: null, grading_intel: null, grading_handling: null,
        mopi_group: 3, review_due: '2025-03-04', restricted: false, source_system: 'CRIS', yourRoles: ['suspect'], source: src('CRIS', 'CRIME_REPORT', '0412345/19'),
      },
      {
        id: ids.E2, kind: 'intelligence', reference: 'IR/2019/0000001', occurred_from: null, occurred_to: null, reported_at: '2019-05-01T09:00:00.000Z',
        classification_code: null, classification_label: null, borough: null, status: 'active',
        narrative: 'Subject seen driving a red Corsa near the station <b>late</b> at night.', officer: 'DC456',
        legacy_grading: '5x5x5:B21', grading_source: '1', grading_intel: 'A', grading_handling: 'P',
        mopi_group: 2, review_due: '2029-05-01', restricted: false, source_system: 'CRIMINT', yourRoles: ['subject'], source: src('CRIMINT', 'intel_reports.json', 'IR/2019/0000001'),
      },
    ]));
    expect(shape(r.locations)).toEqual(shape([
      { id: ids.L2, premises: 'Flat 3', street: 'Station Road', locality: null, town: 'London', postcode: 'E17 4PP', easting: null, northing: null, source_system: 'CRIMINT',
        links: ['your address (resides_at)'], source: src('CRIMINT', 'nominals.json', 'N0001001/addresses/0') },
      { id: ids.L1, premises: '12', street: 'High Street', locality: null, town: 'London', postcode: 'SE1 9GF', easting: null, northing: null, source_system: 'CRIS',
        links: ['your address (resides_at)', 'occurred_at — 0412345/19'], source: src('CRIS', 'ADDRESS', '501') },
    ]));
    expect(shape(r.objects)).toEqual(shape([
      { id: ids.T1, kind: 'telephone', vrm: null, make: null, model: null, colour: null, telephone: '+447700900123', source_system: 'CRIMINT',
        links: ['used by you (uses)'], source: src('CRIMINT', 'nominals.json', 'N0001001/phones/0') },
      { id: ids.V1, kind: 'vehicle', vrm: 'AB12CDE', make: 'Ford', model: 'Focus', colour: 'Blue', telephone: null, source_system: 'CRIS',
        links: ['used by you (uses)'], source: src('CRIS', 'VEHICLE', '701') },
      { id: ids.V2, kind: 'vehicle', vrm: 'XY19ZZZ', make: 'Vauxhall', model: 'Corsa', colour: 'Red', telephone: null, source_system: 'CRIS',
        links: ['used by you (uses)', 'stolen — 0412345/19'], source: src('CRIS', 'VEHICLE', '702') },
    ]));
    expect(shape(doc.disclosures)).toEqual(shape([
      { seq: '3', occurred_at: '2019-06-01T12:00:00.000Z', recipient: 'CPS London', justification: 'charging decision', entity_type: 'event', entity_id: ids.E2,
        entity_ref: 'IR/2019/0000001', origin: 'CRIMINT', legacy_audit_id: 'A000000002' },
      { seq: '4', occurred_at: '2019-07-01T12:00:00.000Z', recipient: 'Aviva plc', justification: 'insurance enquiry', entity_type: 'event', entity_id: ids.E1,
        entity_ref: '0412345/19', origin: 'CRIS', legacy_audit_id: '900001' },
    ]));
    expect(Object.keys(doc)).toEqual(['format', 'sarId', 'generatedAt', 'request', 'counts', 'records', 'disclosures', 's45', 'notes', 'unresolved']);
    expect(Object.keys(doc.records)).toEqual(['persons', 'otherNames', 'events', 'locations', 'objects']);
    expect(doc.unresolved).toEqual([]);
  });

  it('gives the s.45(2) information', () => {
    const s = doc.s45;
    expect(s.purposesAndLegalBasis.purposes).toMatch(/law enforcement purposes/i);
    expect(s.purposesAndLegalBasis.legalBasis).toMatch(/Part 3 of the Data Protection Act 2018/);
    expect(s.purposesAndLegalBasis.sensitiveProcessing).toMatch(/ethnic origin/);
    expect(s.categoriesOfData.map((c) => c.category)).toEqual([
      'Identity', 'Other names', 'Ethnic origin', 'Identification numbers', 'Addresses', 'Vehicles', 'Telephone numbers', 'Crime reports', 'Intelligence reports', 'Disclosure records',
    ]);
    expect(s.recipients.map((r) => [r.recipient, r.disclosures])).toEqual([['Aviva plc', 1], ['CPS London', 1]]);
    expect(s.retention.records).toEqual([
      expect.objectContaining({ reference: '0412345/19', mopiGroup: 3, reviewDue: '2025-03-04' }),
      expect.objectContaining({ reference: 'IR/2019/0000001', mopiGroup: 2, reviewDue: '2029-05-01' }),
    ]);
    expect(s.rights.rectification).toMatch(/s\.46/);
    expect(s.rights.erasureAndRestriction).toMatch(/s\.47/);
    expect(s.rights.complaint.commissioner.name).toBe("Information Commissioner's Office");
    expect(s.origin.records).toEqual(expect.arrayContaining([
      expect.objectContaining({ recordType: 'person', id: ids.P, sourceSystem: 'CRIMINT', legacyReference: 'N0001001' }),
      expect.objectContaining({ recordType: 'event', id: ids.E1, sourceSystem: 'CRIS', sourceEntity: 'CRIME_REPORT', legacyReference: '0412345/19' }),
    ]));
    expect(doc.disclosures.map((d) => d.legacy_audit_id)).toEqual(['A000000002', '900001']);
  });

  it('writes a self-contained, escaped HTML page with the same sections', () => {
    for (const h of ['The personal data we hold about you', 'Why we process it, and the legal basis', 'Categories of personal data', 'Who it has been disclosed to', 'How long we keep it', 'Your rights', 'Where the data came from']) {
      expect(html).toContain(h);
    }
    expect(html).toContain('O&#39;Brien, Sean Patrick');
    expect(html).toContain('&lt;b&gt;late&lt;/b&gt;'); // narrative markup is escaped, never rendered
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(html).toContain('@media print');
    expect(html).toContain('processing restricted');
  });

  it('renders each kind of value as the page shows it: timestamps, dates, lists, joined details, gradings, missing values', () => {
    const none = '<span class="none">—</span>';
    for (const cell of [
      '<dt>Date of birth</dt><dd>1985-03-12</dd>', // a date, as text
      `<tr><td>Bryan</td><td>Sean</td><td>${none}</td><td>CRIMINT N0001001/aliases/0</td></tr>`, // no DOB
      '<tr><td>12, High Street, London</td><td>SE1 9GF</td><td>your address (resides_at)<br>occurred_at — 0412345/19</td><td>CRIS 501</td></tr>',
      '<tr><td>telephone</td><td>+447700900123</td><td>used by you (uses)</td><td>CRIMINT N0001001/phones/0</td></tr>',
      '<tr><td>vehicle</td><td>XY19ZZZ Vauxhall Corsa Red</td><td>used by you (uses)<br>stolen — 0412345/19</td><td>CRIS 702</td></tr>',
      `<dt>Your role</dt><dd>suspect</dd><dt>Reported</dt><dd>2019-03-04 10:00:00Z</dd><dt>Occurred from</dt><dd>${none}</dd>`, // a timestamp
      '<dt>Classification</dt><dd>28E — Burglary in a dwelling</dd>',
      '<dt>Grading (3x5x2)</dt><dd>1AP</dd><dt>Grading as recorded</dt><dd>5x5x5:B21</dd><dt>MoPI group</dt><dd>2</dd>',
      '<tr><td>Aviva plc</td><td>1</td><td>2019-07-01</td><td>2019-07-01</td></tr>',
      '<tr><td>2019-06-01 12:00:00Z</td><td>CPS London</td><td>charging decision</td><td>event IR/2019/0000001</td><td>CRIMINT audit A000000002</td></tr>',
      '<td>2025-03-04 <span class="overdue">(review due)</span></td>',
      '<tr><td>person</td><td>CRIMINT (criminal intelligence system)</td><td>nominals.json</td><td>N0001001</td></tr>',
    ]) expect(html).toContain(cell);
    expect(html.match(/<dt>Grading \(3x5x2\)<\/dt>/g)).toHaveLength(1); // the intelligence report only
  });

  it('logs the response as one disclosure to the data subject, without name or DOB', async () => {
    const ev = await rows<Record<string, unknown>>(url, `SELECT seq::text, actor, recipient, justification, entity_type, entity_id::text, detail, origin FROM audit.event WHERE recipient = 'data subject'`);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ seq: result.auditSeq, actor: 'DPO0001', entity_type: 'person', entity_id: ids.P, origin: 'RMS' });
    expect(ev[0]!.detail).toEqual({ sar_id: result.sarId, persons: [ids.P], counts: result.counts });
    const text = JSON.stringify(ev[0]).toUpperCase();
    for (const s of ['BRIEN', 'SEAN', '1985', PNC]) expect(text).not.toContain(s);
    expect((await verifyChain(url)).ok).toBe(true);
  });

  it('a second response lists the first one as a disclosure to the data subject', async () => {
    const again = await subjectAccess({ url, surname: "O'Brien", forenames: '', dob: '12/03/1985', outDir: path.join(out, 'again') });
    const d2: SarDocument = JSON.parse(readFileSync(again.files.json, 'utf8'));
    expect(d2.s45.recipients.map((r) => r.recipient)).toEqual(['Aviva plc', 'CPS London', 'data subject']);
  });

  it('answers "nothing held" for someone else, and refuses a bad request', async () => {
    const none = await subjectAccess({ url, surname: 'Nobody', forenames: '', dob: '01/01/2000', outDir: path.join(out, 'none') });
    expect(none.counts.persons).toBe(0);
    expect(readFileSync(none.files.html, 'utf8')).toContain('We found no personal data');
    await expect(subjectAccess({ url, surname: 'X', forenames: '', dob: '31/02/1985', outDir: path.join(out, 'bad') })).rejects.toBeInstanceOf(ConfigError);
    await expect(subjectAccess({ url, surname: '', forenames: '', dob: '01/01/1985', outDir: path.join(out, 'bad') })).rejects.toBeInstanceOf(ConfigError);
    expect(existsSync(path.join(out, 'bad'))).toBe(false);
  });

  it('shows a partial date of birth to its known part, and only the recorded details of a vehicle and an address', async () => {
    const pid = '00000000-0000-4000-8000-00000000a001';
    const c = await client(url);
    try {
      await c.query(
        `INSERT INTO record.person (id, surname, forenames, date_of_birth, dob_precision, sex, source_system) VALUES ($1, 'Partial', 'Pat', '1970-03-01', 'month', 'unknown', 'CRIS');
         INSERT INTO record.person_name (id, person_id, surname, forenames, date_of_birth, dob_precision) VALUES ('00000000-0000-4000-8000-00000000a002', $1, 'Partial', 'Patricia', '1971-01-01', 'year');
         INSERT INTO record.object (id, kind, vrm, make, model, colour, source_system) VALUES ('00000000-0000-4000-8000-00000000a003', 'vehicle', 'PA70ABC', NULL, 'Fiesta', '', 'CRIS');
         INSERT INTO record.person_object (person_id, object_id, role) VALUES ($1, '00000000-0000-4000-8000-00000000a003', 'uses');
         INSERT INTO record.location (id, premises, street, town, source_system) VALUES ('00000000-0000-4000-8000-00000000a004', NULL, '', 'Leeds', 'CRIS');
         INSERT INTO record.person_location (person_id, location_id, role) VALUES ($1, '00000000-0000-4000-8000-00000000a004', 'resides_at');`.replaceAll('$1', `'${pid}'`),
      );
    } finally {
      await c.end();
    }
    const r = await subjectAccess({ url, surname: 'Partial', forenames: 'Pat', dob: '00/03/1970', outDir: path.join(out, 'partial') });
    expect(r.personIds).toEqual([pid]);
    const page = readFileSync(r.files.html, 'utf8');
    const none = '<span class="none">—</span>';
    expect(page).toContain('<dt>Date of birth</dt><dd>1970-03 (month known)</dd>');
    expect(page).toContain(`<tr><td>Partial</td><td>Patricia</td><td>1971 (year known)</td><td>${none}</td></tr>`); // no lineage: no origin
    expect(page).toContain('<tr><td>vehicle</td><td>PA70ABC Fiesta</td><td>used by you (uses)</td>');
    expect(page).toContain(`<tr><td>Leeds</td><td>${none}</td><td>your address (resides_at)</td><td>${none}</td></tr>`);
    expect(page).toContain('<p class="none">No reports are recorded.</p>');
    const d: SarDocument = JSON.parse(readFileSync(r.files.json, 'utf8'));
    expect(d.s45.origin).toEqual({ summary: 'No record with a legacy origin was found.', records: [] });
    expect(d.s45.categoriesOfData.map((x) => [x.category, x.records])).toEqual([['Identity', 1], ['Other names', 1], ['Addresses', 1], ['Vehicles', 1]]);
  });

  it('names a bidi override or a control character in a legacy value instead of letting it reorder the page', async () => {
    const pid = '00000000-0000-4000-8000-00000000b001';
    const c = await client(url);
    try {
      await c.query(
        `INSERT INTO record.person (id, surname, forenames, date_of_birth, dob_precision, sex, source_system) VALUES ($1, 'Hostile', 'Hal', '1966-06-06', 'day', 'unknown', 'CRIS')`,
        [pid],
      );
      await c.query(
        `INSERT INTO record.person_name (id, person_id, surname, forenames, date_of_birth, dob_precision) VALUES ('00000000-0000-4000-8000-00000000b002', $1, $2, 'Hal', NULL, 'unknown')`,
        [pid, 'Evil\u202Etxt.exe\u0007'],
      );
    } finally {
      await c.end();
    }
    const r = await subjectAccess({ url, surname: 'Hostile', forenames: 'Hal', dob: '06/06/1966', outDir: path.join(out, 'hostile') });
    const page = readFileSync(r.files.html, 'utf8');
    expect(page).toContain('<td>Evil⟨U+202E⟩txt.exe\u2407</td>');
    expect(page).not.toContain('\u202E');
  });

  it.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('renders in headless Chromium with the name visible and no requests but the page itself', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is required under CI (apt-get install chromium)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      const failed: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      const fileUrl = `file://${result.files.html}`;
      await page.goto(fileUrl, { waitUntil: 'load' });
      expect(await page.getByText("O'Brien, Sean Patrick").first().isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: /Your rights/ }).isVisible()).toBe(true);
      expect(await page.locator('.narrative', { hasText: '<b>late</b>' }).count()).toBe(1);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([fileUrl]);
      const shot = path.join(out, 'sar.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      await page.emulateMedia({ media: 'print' });
      const printShot = path.join(out, 'sar-print.png');
      await page.screenshot({ path: printShot, fullPage: true });
      expect(statSync(printShot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
