// A small hand-made target dataset for the privacy tests, inserted through SQL (and audit rows
// through appendAudit), as if a migration had loaded it.
//
//   P  CRIMINT nominals.json N0001001  O'Brien, Sean Patrick, 12/03/1985, PNC, CRO, one alias (Bryan)
//   Q  CRIS NOMINAL 2002               Smith, Jane, 01/06/1990
//   L1 CRIS ADDRESS 501                home address SHARED by P and Q (person_location)
//   L2 CRIMINT N0001001/addresses/0    P's own inline address (nobody else)
//   V1 CRIS VEHICLE 701                vehicle used only by P (person_object)
//   V2 CRIS VEHICLE 702                vehicle used by P and stolen in E1 (event_object)
//   T1 CRIMINT N0001001/phones/0       P's telephone
//   E1 CRIS CRIME_REPORT 0412345/19    crime: P suspect, Q victim, at L1
//   E2 CRIMINT IR/2019/0000001         intelligence: P subject
//   control rows: a quarantined duplicate nominal holding P's PNC (short form), a quarantined
//   CRIS link record and an orphan whose keys carry Q's NOMINAL id, an unrelated quarantined
//   nominal, dq warnings and superseded copies of P and Q, an orphan whose missing side is P;
//   legacy audit entries: a view of P, disclosures of E2 (to the CPS) and E1 (to an insurer).
import pg from 'pg';
import { targetId } from '../../src/core/ids.ts';
import { appendAudit } from '../../src/audit/chain.ts';
import { pncCheckLetter, croCheckLetter } from '../../src/transform/pnc.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';

export const PNC = `1985/0012345${pncCheckLetter(85, 12345)}`;
export const PNC_SHORT = `85/12345${pncCheckLetter(85, 12345).toLowerCase()}`;
export const CRO = `123456/85${croCheckLetter(85, 123456)}`;

export const ids = {
  P: targetId('CRIMINT', 'nominals.json', 'N0001001'),
  PA: targetId('CRIMINT', 'nominals.json', 'N0001001/aliases/0'),
  Q: targetId('CRIS', 'NOMINAL', '2002'),
  L1: targetId('CRIS', 'ADDRESS', '501'),
  L2: targetId('CRIMINT', 'nominals.json', 'N0001001/addresses/0'),
  V1: targetId('CRIS', 'VEHICLE', '701'),
  V2: targetId('CRIS', 'VEHICLE', '702'),
  T1: targetId('CRIMINT', 'nominals.json', 'N0001001/phones/0'),
  E1: targetId('CRIS', 'CRIME_REPORT', '0412345/19'),
  E2: targetId('CRIMINT', 'intel_reports.json', 'IR/2019/0000001'),
};

export async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

export async function migratedDatabase(prefix: string): Promise<string> {
  const url = await createTestDatabase(prefix);
  await migrate(url);
  return url;
}

export async function loadFixture(url: string): Promise<void> {
  const c = await client(url);
  try {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO record.person (id, surname, forenames, date_of_birth, dob_precision, sex, ethnicity, pnc_id, cro_no, source_system, created_at, created_by)
       VALUES ($1, 'O''Brien', 'Sean Patrick', '1985-03-12', 'day', 'male', 'IC1', $3, $4, 'CRIMINT', '2019-03-04T10:22:00Z', 'AB1234'),
              ($2, 'Smith', 'Jane', '1990-06-01', 'day', 'female', 'IC1', NULL, NULL, 'CRIS', NULL, NULL)`,
      [ids.P, ids.Q, PNC, CRO],
    );
    await c.query(
      `INSERT INTO record.person_name (id, person_id, surname, forenames, date_of_birth, dob_precision, kind)
       VALUES ($1, $2, 'Bryan', 'Sean', NULL, 'unknown', 'alias')`,
      [ids.PA, ids.P],
    );
    await c.query(
      `INSERT INTO record.location (id, premises, street, locality, town, postcode, source_system) VALUES
         ($1, '12', 'High Street', NULL, 'London', 'SE1 9GF', 'CRIS'),
         ($2, 'Flat 3', 'Station Road', NULL, 'London', 'E17 4PP', 'CRIMINT')`,
      [ids.L1, ids.L2],
    );
    await c.query(
      `INSERT INTO record.object (id, kind, vrm, make, model, colour, telephone, source_system) VALUES
         ($1, 'vehicle', 'AB12CDE', 'Ford', 'Focus', 'Blue', NULL, 'CRIS'),
         ($2, 'vehicle', 'XY19ZZZ', 'Vauxhall', 'Corsa', 'Red', NULL, 'CRIS'),
         ($3, 'telephone', NULL, NULL, NULL, NULL, '+447700900123', 'CRIMINT')`,
      [ids.V1, ids.V2, ids.T1],
    );
    await c.query(
      `INSERT INTO record.event (id, kind, reference, reported_at, classification_code, classification_label, borough, status, narrative, officer,
                                 legacy_grading, grading_source, grading_intel, grading_handling, mopi_group, review_due, source_system)
       VALUES ($1, 'crime', '0412345/19', '2019-03-04T10:00:00Z', '28E', 'Burglary in a dwelling', 'TX', 'open',
               'Suspect forced the rear door at 02:30 and took a laptop.', 'PC123', NULL, NULL, NULL, NULL, 3, '2025-03-04', 'CRIS'),
              ($2, 'intelligence', 'IR/2019/0000001', '2019-05-01T09:00:00Z', NULL, NULL, NULL, 'active',
               'Subject seen driving a red Corsa near the station <b>late</b> at night.', 'DC456', '5x5x5:B21', '1', 'A', 'P', 2, '2029-05-01', 'CRIMINT')`,
      [ids.E1, ids.E2],
    );
    await c.query(
      `INSERT INTO record.event_person (event_id, person_id, role) VALUES ($1, $3, 'suspect'), ($1, $4, 'victim'), ($2, $3, 'subject')`,
      [ids.E1, ids.E2, ids.P, ids.Q],
    );
    await c.query(`INSERT INTO record.event_location (event_id, location_id, role) VALUES ($1, $2, 'occurred_at')`, [ids.E1, ids.L1]);
    await c.query(`INSERT INTO record.event_object (event_id, object_id, role) VALUES ($1, $2, 'stolen')`, [ids.E1, ids.V2]);
    await c.query(
      `INSERT INTO record.person_location (person_id, location_id, role) VALUES ($1, $3, 'resides_at'), ($2, $3, 'resides_at'), ($1, $4, 'resides_at')`,
      [ids.P, ids.Q, ids.L1, ids.L2],
    );
    await c.query(
      `INSERT INTO record.person_object (person_id, object_id, role) VALUES ($1, $2, 'uses'), ($1, $3, 'uses'), ($1, $4, 'uses')`,
      [ids.P, ids.V1, ids.V2, ids.T1],
    );

    // lineage: one row per loaded record
    const lin: Array<[string, string, string, string, string, string | null]> = [
      ['CRIMINT', 'nominals.json', 'N0001001', 'record.person', ids.P, null],
      ['CRIMINT', 'nominals.json', 'N0001001/aliases/0', 'record.person_name', ids.PA, 'N0001001'],
      ['CRIMINT', 'nominals.json', 'N0001001/addresses/0', 'record.location', ids.L2, 'N0001001'],
      ['CRIMINT', 'nominals.json', 'N0001001/phones/0', 'record.object', ids.T1, 'N0001001'],
      ['CRIS', 'NOMINAL', '2002', 'record.person', ids.Q, null],
      ['CRIS', 'ADDRESS', '501', 'record.location', ids.L1, null],
      ['CRIS', 'VEHICLE', '701', 'record.object', ids.V1, null],
      ['CRIS', 'VEHICLE', '702', 'record.object', ids.V2, null],
      ['CRIS', 'CRIME_REPORT', '0412345/19', 'record.event', ids.E1, null],
      ['CRIMINT', 'intel_reports.json', 'IR/2019/0000001', 'record.event', ids.E2, null],
    ];
    for (const [s, e, k, t, id, parent] of lin) {
      await c.query(
        `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, parent_key, source_hash, run_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'h', 1)`,
        [s, e, k, t, id, parent],
      );
    }

    // control rows
    await c.query(
      `INSERT INTO migration.quarantine (source_system, source_entity, source_key, reason_code, field, message, raw, run_id) VALUES
        ('CRIMINT', 'nominals.json', 'N0009999', 'invalid_value', 'sex', 'sex "X" is not M, F or U',
         $1::jsonb, 1),
        ('CRIS', 'CRIME_NOMINAL', '0999999/19|2002|VI', 'orphan_link', 'event_id', 'CRIME_REPORT 0999999/19 is not in the target',
         '{"cris_no": "0999999/19", "nominal_id": 2002, "role": "VI"}'::jsonb, 1),
        ('CRIS', 'NOMINAL', '3003', 'missing_required', 'surname', 'surname is blank or missing',
         '{"nominal_id": 3003, "surname": " ", "dob": "1970-01-01 00:00:00"}'::jsonb, 1)`,
      [JSON.stringify({ ref: 'N0009999', surname: "O'BRIEN", forenames: 'SEAN', dob: '12/03/1985', sex: 'X', pnc: PNC_SHORT })],
    );
    await c.query(
      `INSERT INTO migration.dq_warning (source_system, source_entity, source_key, code, field, run_id) VALUES
        ('CRIMINT', 'nominals.json', 'N0001001', 'invalid_postcode', 'addresses/0/postcode', 1),
        ('CRIS', 'NOMINAL', '2002', 'invalid_sex', 'sex', 1)`,
    );
    await c.query(
      `INSERT INTO migration.orphan (source_system, source_entity, source_key, link_table, missing_entity, missing_key, run_id) VALUES
        ('CRIMINT', 'intel_reports.json', 'IR/2019/0000002/subjects/0', 'record.event_person', 'nominals.json', 'N0001001', 1),
        ('CRIS', 'CRIME_NOMINAL', '0888888/19|2002|WI', 'record.event_person', 'CRIME_REPORT', '0888888/19', 1)`,
    );
    await c.query(
      `INSERT INTO migration.superseded (source_system, source_entity, source_key, source_ordinal, run_id) VALUES
        ('CRIMINT', 'nominals.json', 'N0001001', 3, 1), ('CRIS', 'NOMINAL', '2002', 7, 1)`,
    );

    // audit: the migration's own collection event and legacy entries
    await appendAudit(c, [
      {
        occurred_at: new Date('2024-01-01T00:00:00Z'), actor: 'migration', operation: 'collection', justification: 'legacy data migration', recipient: null,
        entity_type: 'person', entity_id: null, entity_ref: null, detail: { run: '1', batch: '1', records: 2 }, origin: 'MIGRATION', legacy_audit_id: null,
      },
      {
        occurred_at: new Date('2019-03-04T10:25:13Z'), actor: 'CD5678', operation: 'consultation', justification: 'Op TRIDENT briefing', recipient: null,
        entity_type: 'person', entity_id: ids.P, entity_ref: 'N0001001', detail: null, origin: 'CRIMINT', legacy_audit_id: 'A000000001',
      },
      {
        occurred_at: new Date('2019-06-01T12:00:00Z'), actor: 'CD5678', operation: 'disclosure', justification: 'charging decision', recipient: 'CPS London',
        entity_type: 'event', entity_id: ids.E2, entity_ref: 'IR/2019/0000001', detail: null, origin: 'CRIMINT', legacy_audit_id: 'A000000002',
      },
      {
        occurred_at: new Date('2019-07-01T12:00:00Z'), actor: 'EF9012', operation: 'disclosure', justification: 'insurance enquiry', recipient: 'Aviva plc',
        entity_type: 'event', entity_id: ids.E1, entity_ref: '0412345/19', detail: null, origin: 'CRIS', legacy_audit_id: '900001',
      },
    ]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    await c.end();
  }
}

/** Row counts of every table in record, migration and audit (to prove "nothing changed"). */
export async function tableCounts(url: string): Promise<Record<string, number>> {
  const c = await client(url);
  try {
    const { rows } = await c.query<{ t: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname IN ('record', 'migration', 'audit') ORDER BY 1`,
    );
    const out: Record<string, number> = {};
    for (const r of rows) out[r.t] = Number((await c.query(`SELECT count(*)::int AS n FROM ${r.t}`)).rows[0].n);
    return out;
  } finally {
    await c.end();
  }
}
