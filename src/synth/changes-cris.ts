// Legacy changes after the full load, applied to the CRIS stand-in in place (legacy-data.md,
// "Changes after the full load"). Each change picks its rows by md5(seed:tag:key) order, so the
// same seed and fraction give the same changes, and at least one row of each kind is changed.
import type pg from 'pg';
import { crisTable } from '../sources/cris-tables.ts';

/** One kind of change: a tag (for the row choice), its share of the fraction, and its SQL. */
interface CrisChange {
  tag: string;
  /** What it exercises (the README and the test name them). */
  quirk: string;
  sql: (pick: Pick) => string;
}

/** A subquery of chosen keys: `n` = round(rows × fraction × share), at least 1. */
type Pick = (table: string, key: string, share: number, where?: string) => string;

const cols = (entity: string) => crisTable(entity).columns.map((c) => c.name);
/** The column list of a table with some columns replaced by expressions. */
const select = (entity: string, alias: string, replace: Record<string, string>) =>
  cols(entity).map((c) => replace[c] ?? `${alias}.${c}`).join(', ');

const LIVE = `coalesce(deleted, 'N') <> 'Y'`;

export const CRIS_CHANGES: CrisChange[] = [
  { tag: 'addr-upd', quirk: 'update (no update column)', sql: (p) => `UPDATE dbo.address SET street = street || ' (amended)' WHERE address_id IN (${p('address', 'address_id', 0.5)})` },
  { tag: 'veh-upd', quirk: 'update (no update column)', sql: (p) => `UPDATE dbo.vehicle SET colour = 'GREEN' WHERE vehicle_id IN (${p('vehicle', 'vehicle_id', 0.5)})` },
  // a quarantined record corrected in the legacy system: every blank surname gets one
  { tag: 'nom-correct', quirk: 'quarantined record corrected', sql: () => `UPDATE dbo.nominal SET surname = 'CORRECTED' WHERE coalesce(trim(surname), '') = ''` },
  { tag: 'nom-upd', quirk: 'update', sql: (p) => `UPDATE dbo.nominal SET forenames = coalesce(forenames || ' ', '') || 'JAMES' WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.4, LIVE)})` },
  { tag: 'nom-resave', quirk: 're-save with identical content (no change)', sql: (p) => `UPDATE dbo.nominal SET surname = surname WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.3)})` },
  { tag: 'nom-invalid', quirk: 'loaded record edited into an invalid state', sql: (p) => `UPDATE dbo.nominal SET surname = '' WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.1, LIVE)})` },
  {
    tag: 'nom-recreate', quirk: 'nominal deleted and re-created with the same key',
    sql: (p) => `WITH d AS (DELETE FROM dbo.nominal WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.1, LIVE)}) RETURNING *)
      INSERT INTO dbo.nominal SELECT ${select('NOMINAL', 'd', { forenames: `'RECREATED'`, deleted: 'NULL' })} FROM d`,
  },
  { tag: 'nom-flip', quirk: 'DELETED flips to Y', sql: (p) => `UPDATE dbo.nominal SET deleted = 'Y' WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.1, LIVE)})` },
  { tag: 'nom-del', quirk: 'physical deletion; links to it now dangle', sql: (p) => `DELETE FROM dbo.nominal WHERE nominal_id IN (${p('nominal', 'nominal_id', 0.1)})` },
  {
    tag: 'nom-new', quirk: 'insert',
    sql: (p) => `INSERT INTO dbo.nominal SELECT ${select('NOMINAL', 'n', { nominal_id: `(SELECT max(nominal_id) FROM dbo.nominal) + row_number() OVER (ORDER BY n.nominal_id)::int`, deleted: 'NULL' })}
      FROM dbo.nominal n WHERE n.nominal_id IN (${p('nominal', 'nominal_id', 0.2, `${LIVE} AND coalesce(trim(surname), '') <> ''`)})`,
  },
  { tag: 'cr-upd', quirk: 'update through the screens (UPDATED_DT set)', sql: (p) => `UPDATE dbo.crime_report SET mo_text = coalesce(mo_text, '') || ' Further enquiries made.', updated_dt = timestamp '2025-06-02 10:15:00' WHERE cris_no IN (${p('crime_report', 'cris_no', 0.3, LIVE)})` },
  { tag: 'cr-fix', quirk: 'bulk fix by the DBAs (UPDATED_DT not set)', sql: (p) => `UPDATE dbo.crime_report SET status = CASE WHEN status = 'C' THEN 'O' ELSE 'C' END WHERE cris_no IN (${p('crime_report', 'cris_no', 0.2, LIVE)})` },
  { tag: 'cr-flip', quirk: 'crime report DELETED flips to Y', sql: (p) => `UPDATE dbo.crime_report SET deleted = 'Y' WHERE cris_no IN (${p('crime_report', 'cris_no', 0.1, LIVE)})` },
  { tag: 'cr-unflip', quirk: 'crime report DELETED flips back to N', sql: (p) => `UPDATE dbo.crime_report SET deleted = 'N' WHERE cris_no IN (${p('crime_report', 'cris_no', 0.1, `deleted = 'Y'`)})` },
  { tag: 'cr-del', quirk: 'physical deletion of a crime report (its link rows dangle)', sql: (p) => `DELETE FROM dbo.crime_report WHERE cris_no IN (${p('crime_report', 'cris_no', 0.05)})` },
  {
    tag: 'cr-new', quirk: 'insert, with links',
    sql: (p) => `WITH src AS (
        SELECT cris_no AS old, '9' || lpad((row_number() OVER (ORDER BY cris_no))::text, 6, '0') || '/25' AS new
        FROM dbo.crime_report WHERE cris_no IN (${p('crime_report', 'cris_no', 0.2, LIVE)})),
      ins AS (INSERT INTO dbo.crime_report SELECT ${select('CRIME_REPORT', 'c', { cris_no: 's.new' })}
        FROM src s JOIN dbo.crime_report c ON c.cris_no = s.old WHERE NOT EXISTS (SELECT 1 FROM dbo.crime_report x WHERE x.cris_no = s.new) RETURNING cris_no),
      links AS (INSERT INTO dbo.crime_nominal SELECT i.cris_no, cn.nominal_id, cn.role FROM ins i JOIN src s ON s.new = i.cris_no JOIN dbo.crime_nominal cn ON cn.cris_no = s.old RETURNING 1)
      INSERT INTO dbo.crime_vehicle SELECT i.cris_no, cv.vehicle_id, cv.role FROM ins i JOIN src s ON s.new = i.cris_no JOIN dbo.crime_vehicle cv ON cv.cris_no = s.old`,
  },
  { tag: 'cn-del', quirk: 'link deleted', sql: (p) => `DELETE FROM dbo.crime_nominal WHERE (cris_no || '|' || nominal_id || '|' || role) IN (${p('crime_nominal', `(cris_no || '|' || nominal_id || '|' || role)`, 0.2)})` },
  { tag: 'cv-del', quirk: 'link deleted', sql: (p) => `DELETE FROM dbo.crime_vehicle WHERE (cris_no || '|' || vehicle_id || '|' || role) IN (${p('crime_vehicle', `(cris_no || '|' || vehicle_id || '|' || role)`, 0.2)})` },
  {
    tag: 'at-new', quirk: 'new legacy audit entries (SEARCH with criteria among them), ids above the watermark',
    sql: (p) => `INSERT INTO dbo.audit_trail SELECT ${select('AUDIT_TRAIL', 'a', {
      audit_id: '(SELECT max(audit_id) FROM dbo.audit_trail) + row_number() OVER (ORDER BY a.audit_id)',
      action_dt: `timestamp '2025-06-03 09:00:00' + (row_number() OVER (ORDER BY a.audit_id)) * interval '1 minute'`,
    })} FROM dbo.audit_trail a WHERE a.audit_id IN (${p('audit_trail', 'audit_id', 0.5)}) OR a.audit_id IN (${p('audit_trail', 'audit_id', 0.1, `action = 'SEARCH'`)})`,
  },
];

/** Apply the CRIS changes in one transaction. Returns the rows each change touched. */
export async function applyCrisChanges(c: pg.ClientBase, seed: string, fraction: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const pick = (tag: string): Pick => (table, key, share, where = 'true') =>
    `SELECT ${key} FROM dbo.${table} WHERE ${where} ORDER BY md5(${lit(`${seed}:${tag}:`)} || (${key})::text)
     LIMIT greatest(1, round((SELECT count(*) FROM dbo.${table}) * ${Number(fraction)} * ${share}))::int`;
  await c.query('BEGIN');
  try {
    for (const ch of CRIS_CHANGES) out[ch.tag] = (await c.query(ch.sql(pick(ch.tag)))).rowCount ?? 0;
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
  return out;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
