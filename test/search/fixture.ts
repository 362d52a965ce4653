// A small hand-made target: people (with aliases), locations, objects, events, links, lineage and
// audit entries, chosen for the catalog's edge cases. Ids are derived like the ETL's (UUIDv5 over
// `SYSTEM:ENTITY:KEY`); `F` maps a short name to each id for the assertions.
import pg from 'pg';
import { targetId } from '../../src/core/ids.ts';

type Row = Record<string, unknown>;

const id = (system: string, entity: string, key: string) => targetId(system, entity, key);

export const F = {
  // people
  obrien: id('CRIMINT', 'nominals.json', 'N0001234'), // O'Brien Sean Patrick, March 1985 (month)
  obrienAliasBryan: id('CRIMINT', 'nominals.json', 'N0001234/aliases/0'), // Bryan Sean 12/03/1985
  obrienAliasBrian: id('CRIMINT', 'nominals.json', 'N0001234/aliases/1'), // O’Brian Seán, no DOB
  obrienJohn: id('CRIS', 'NOMINAL', '1001'), // OBRIEN JOHN 15/06/1990
  oBrienMary: id('CRIS', 'NOMINAL', '1002'), // O Brien Mary, 1985 (year)
  smith: id('CRIS', 'NOMINAL', '1003'), // SMITH JOHN PAUL 20/05/1970
  smyth: id('CRIS', 'NOMINAL', '1004'), // Smyth Jane, 1972 (year)
  smithRestricted: id('CRIS', 'NOMINAL', '1005'), // SMITH JOHN 29/02/1980, restricted
  jose: id('CRIS', 'NOMINAL', '1006'), // José Zoë, no DOB
  smithAdam: id('CRIS', 'NOMINAL', '1007'), // Smith Adam, no DOB; alias Smithson Adam 07/07/1960
  smithAdamAlias: id('CRIS', 'NOMINAL', '1007/aliases/0'),
  jones: id('CRIMINT', 'nominals.json', 'N0000077'), // Jones Tom 11/11/1975; alias Johnson Thomas, no DOB
  jonesAlias: id('CRIMINT', 'nominals.json', 'N0000077/aliases/0'),
  smithJones: id('CRIMINT', 'nominals.json', 'N0000078'), // Smith-Jones Anne, 1988 (year)
  // locations
  lHigh: id('CRIS', 'ADDRESS', '1'), // High Street, London, SE1 9GF
  lStation: id('CRIS', 'ADDRESS', '2'), // Station Road, London, SE1 7PB
  lCarPark: id('CRIS', 'ADDRESS', '3'), // Car-Park Lane, Greenwich, SE10 0AA
  lHighRoad: id('CRIS', 'ADDRESS', '4'), // High Road, london, SE19 2AB
  lStMarys: id('CRIS', 'ADDRESS', '5'), // St. Mary's Road, Croydon, no postcode
  lOldKent: id('CRIS', 'ADDRESS', '6'), // Old Kent Road, LONDON, SE1 9AA
  lHome: id('CRIMINT', 'nominals.json', 'N0001234/addresses/0'), // 12 High Street, London, E17 4PP
  // objects
  vFocus: id('CRIS', 'VEHICLE', '1'), // AB12CDE Ford Focus Blue
  vFiesta: id('CRIS', 'VEHICLE', '2'), // AB12CDF Ford Fiesta blue
  vAstra: id('CRIS', 'VEHICLE', '3'), // A123BCD Vauxhall Astra Red
  vPercent: id('CRIS', 'VEHICLE', '4'), // AB1%CDE (LIKE metacharacter)
  tMobile: id('CRIMINT', 'nominals.json', 'N0001234/phones/0'), // +447700900123
  tLondon: id('CRIMINT', 'intel_reports.json', 'IR/2019/0001234/phones/0'), // +442079460018
  tInvalid: id('CRIMINT', 'nominals.json', 'N0000077/phones/0'), // NULL (invalid number)
  // events
  e1: id('CRIS', 'CRIME_REPORT', '0412345/19'),
  e2: id('CRIS', 'CRIME_REPORT', '0012345/20'),
  e3: id('CRIMINT', 'intel_reports.json', 'IR/2019/0001234'),
  e4: id('CRIMINT', 'intel_reports.json', 'IR/2017/0000042'),
  e5: id('CRIS', 'CRIME_REPORT', '0099999/21'), // restricted
  e6: id('CRIS', 'CRIME_REPORT', '0412345/18'),
  e7: id('CRIS', 'CRIME_REPORT', '0000777/19'),
  e8: id('CRIMINT', 'intel_reports.json', 'IR/2020/0000008'), // 1 MB narrative: indexed as `~long`
  e9: id('CRIMINT', 'intel_reports.json', 'IR/2020/0000009'), // a token over 2046 bytes
} as const;

/** A token longer than the S14 index can hold. */
export const LONG_TOKEN = 'z'.repeat(2100);

export type FixtureName = keyof typeof F;

const person = (o: Row): Row => ({ forenames: null, date_of_birth: null, dob_precision: 'unknown', sex: 'unknown', restricted: false, source_system: 'CRIS', ...o });
const alias = (o: Row): Row => ({ forenames: null, date_of_birth: null, dob_precision: 'unknown', kind: 'alias', ...o });

const PEOPLE: Row[] = [
  person({ id: F.obrien, surname: "O'Brien", forenames: 'Sean Patrick', date_of_birth: '1985-03-01', dob_precision: 'month', source_system: 'CRIMINT' }),
  person({ id: F.obrienJohn, surname: 'OBRIEN', forenames: 'JOHN', date_of_birth: '1990-06-15', dob_precision: 'day' }),
  person({ id: F.oBrienMary, surname: 'O Brien', forenames: 'Mary', date_of_birth: '1985-01-01', dob_precision: 'year' }),
  person({ id: F.smith, surname: 'SMITH', forenames: 'JOHN PAUL', date_of_birth: '1970-05-20', dob_precision: 'day' }),
  person({ id: F.smyth, surname: 'Smyth', forenames: 'Jane', date_of_birth: '1972-01-01', dob_precision: 'year' }),
  person({ id: F.smithRestricted, surname: 'SMITH', forenames: 'JOHN', date_of_birth: '1980-02-29', dob_precision: 'day', restricted: true }),
  person({ id: F.jose, surname: 'José', forenames: 'Zoë' }),
  person({ id: F.smithAdam, surname: 'Smith', forenames: 'Adam' }),
  person({ id: F.jones, surname: 'Jones', forenames: 'Tom', date_of_birth: '1975-11-11', dob_precision: 'day', source_system: 'CRIMINT' }),
  person({ id: F.smithJones, surname: 'Smith-Jones', forenames: 'Anne', date_of_birth: '1988-01-01', dob_precision: 'year', source_system: 'CRIMINT' }),
];

const ALIASES: Row[] = [
  alias({ id: F.obrienAliasBryan, person_id: F.obrien, surname: 'Bryan', forenames: 'Sean', date_of_birth: '1985-03-12', dob_precision: 'day' }),
  alias({ id: F.obrienAliasBrian, person_id: F.obrien, surname: 'O’Brian', forenames: 'Seán' }),
  alias({ id: F.smithAdamAlias, person_id: F.smithAdam, surname: 'Smithson', forenames: 'Adam', date_of_birth: '1960-07-07', dob_precision: 'day' }),
  alias({ id: F.jonesAlias, person_id: F.jones, surname: 'Johnson', forenames: 'Thomas' }),
];

const loc = (o: Row): Row => ({ premises: null, locality: null, postcode: null, easting: null, northing: null, source_system: 'CRIS', ...o });
const LOCATIONS: Row[] = [
  loc({ id: F.lHigh, street: 'High Street', town: 'London', postcode: 'SE1 9GF' }),
  loc({ id: F.lStation, street: 'Station Road', town: 'London', postcode: 'SE1 7PB' }),
  loc({ id: F.lCarPark, street: 'Car-Park Lane', town: 'Greenwich', postcode: 'SE10 0AA' }),
  loc({ id: F.lHighRoad, street: 'High Road', town: 'london', postcode: 'SE19 2AB' }),
  loc({ id: F.lStMarys, street: "St. Mary's Road", town: 'Croydon' }),
  loc({ id: F.lOldKent, street: 'Old Kent Road', town: 'LONDON', postcode: 'SE1 9AA' }),
  loc({ id: F.lHome, premises: '12', street: 'High Street', town: 'London', postcode: 'E17 4PP', source_system: 'CRIMINT' }),
];

const obj = (o: Row): Row => ({ vrm: null, make: null, model: null, colour: null, telephone: null, source_system: 'CRIS', ...o });
const OBJECTS: Row[] = [
  obj({ id: F.vFocus, kind: 'vehicle', vrm: 'AB12CDE', make: 'Ford', model: 'Focus', colour: 'Blue' }),
  obj({ id: F.vFiesta, kind: 'vehicle', vrm: 'AB12CDF', make: 'FORD', model: 'Fiesta', colour: 'blue' }),
  obj({ id: F.vAstra, kind: 'vehicle', vrm: 'A123BCD', make: 'Vauxhall', model: 'Astra', colour: 'Red' }),
  obj({ id: F.vPercent, kind: 'vehicle', vrm: 'AB1%CDE', make: 'Ford', model: 'Ka', colour: 'Red' }),
  obj({ id: F.tMobile, kind: 'telephone', telephone: '+447700900123', source_system: 'CRIMINT' }),
  obj({ id: F.tLondon, kind: 'telephone', telephone: '+442079460018', source_system: 'CRIMINT' }),
  obj({ id: F.tInvalid, kind: 'telephone', telephone: null, source_system: 'CRIMINT' }),
];

const event = (o: Row): Row => ({
  occurred_from: null, occurred_to: null, classification_code: null, classification_label: null, borough: null, status: null,
  narrative: null, officer: null, grading_source: null, grading_intel: null, grading_handling: null, legacy_grading: null,
  mopi_group: null, review_due: null, restricted: false, source_system: 'CRIS', ...o,
});
const EVENTS: Row[] = [
  event({
    id: F.e1, kind: 'crime', reference: '0412345/19', reported_at: '2019-03-04T10:22:00Z', classification_code: '28E', borough: 'TX',
    narrative: "Suspect ran to the car-park behind O'Brien's CAFÉ.\r\nStolen items\trecovered: 2 phones.",
  }),
  event({
    // local midnight in BST: 2019-07-01 00:30 London = 2019-06-30 23:30 UTC
    id: F.e2, kind: 'crime', reference: '0012345/20', reported_at: '2019-06-30T23:30:00Z', classification_code: '8N', borough: 'KD',
    narrative: 'The stolen car was found near the station.',
  }),
  event({
    id: F.e3, kind: 'intelligence', reference: 'IR/2019/0001234', reported_at: '2015-06-01T09:00:00Z', source_system: 'CRIMINT',
    legacy_grading: '5x5x5:B21', grading_source: '1', grading_intel: 'A', grading_handling: 'P',
    narrative: 'Subject seen driving a blue Ford Focus, car park at Station Road. Naïve señor Müller; ΣΟΦΟΣ.',
  }),
  event({
    // 2017-01-01 00:30 London (GMT) = 2017-01-01 00:30 UTC
    id: F.e4, kind: 'intelligence', reference: 'IR/2017/0000042', reported_at: '2017-01-01T00:30:00Z', source_system: 'CRIMINT',
    legacy_grading: '3x5x2:1AP', grading_source: '1', grading_intel: 'A', grading_handling: 'P',
    narrative: 'Park car 4x4; car park.',
  }),
  event({
    id: F.e5, kind: 'crime', reference: '0099999/21', reported_at: '2021-02-01T12:00:00Z', classification_code: '28E', borough: 'TX',
    narrative: 'stolen car park', restricted: true,
  }),
  event({
    // the repeated October hour, read as BST: 2018-10-28 01:30 London = 2018-10-28 00:30 UTC
    id: F.e6, kind: 'crime', reference: '0412345/18', reported_at: '2018-10-28T00:30:00Z', classification_code: '28e', borough: 'TX',
    narrative: 'Car stolen from car park. carpark CCTV.',
  }),
  event({
    // 2019-12-31 23:30 London (GMT): still 31 December
    id: F.e7, kind: 'crime', reference: '0000777/19', reported_at: '2019-12-31T23:30:00Z', classification_code: '8N', borough: 'KD',
    narrative: null,
  }),
  event({
    id: F.e8, kind: 'intelligence', reference: 'IR/2020/0000008', reported_at: '2020-01-02T10:00:00Z', source_system: 'CRIMINT',
    narrative: `${'hay stack '.repeat(100_000)}needle-in the haystack`,
  }),
  event({
    id: F.e9, kind: 'intelligence', reference: 'IR/2020/0000009', reported_at: '2020-01-03T10:00:00Z', source_system: 'CRIMINT',
    narrative: `${LONG_TOKEN} zebra crossing`,
  }),
];

const LINKS: Record<string, Row[]> = {
  'record.event_person': [
    { event_id: F.e1, person_id: F.obrien, role: 'suspect' },
    { event_id: F.e1, person_id: F.smith, role: 'victim' },
    { event_id: F.e3, person_id: F.obrien, role: 'subject' },
    { event_id: F.e5, person_id: F.obrien, role: 'suspect' },
    { event_id: F.e2, person_id: F.smithRestricted, role: 'witness' },
    { event_id: F.e2, person_id: F.smyth, role: 'suspect' },
    { event_id: F.e6, person_id: F.smith, role: 'reporting_person' },
  ],
  'record.event_object': [
    { event_id: F.e3, object_id: F.vFocus, role: 'mentioned' },
    { event_id: F.e1, object_id: F.vFocus, role: 'used' },
    { event_id: F.e2, object_id: F.vFiesta, role: 'stolen' },
    { event_id: F.e5, object_id: F.vAstra, role: 'used' },
    { event_id: F.e3, object_id: F.tLondon, role: 'mentioned' },
  ],
  'record.event_location': [
    { event_id: F.e1, location_id: F.lHigh, role: 'occurred_at' },
    { event_id: F.e3, location_id: F.lStation, role: 'mentioned' },
    { event_id: F.e2, location_id: F.lOldKent, role: 'occurred_at' },
  ],
  'record.person_location': [
    { person_id: F.obrien, location_id: F.lHome, role: 'resides_at' },
    { person_id: F.smithRestricted, location_id: F.lOldKent, role: 'resides_at' },
  ],
  'record.person_object': [
    { person_id: F.obrien, object_id: F.tMobile, role: 'uses' },
    { person_id: F.smyth, object_id: F.vAstra, role: 'uses' },
    { person_id: F.jones, object_id: F.tInvalid, role: 'uses' },
  ],
};

const LINEAGE: Row[] = [
  ['CRIMINT', 'nominals.json', 'N0001234', 'record.person', F.obrien],
  ['CRIS', 'NOMINAL', '1001', 'record.person', F.obrienJohn],
  ['CRIS', 'NOMINAL', '1003', 'record.person', F.smith],
  ['CRIS', 'NOMINAL', '1004', 'record.person', F.smyth],
  ['CRIS', 'NOMINAL', '1005', 'record.person', F.smithRestricted],
  ['CRIS', 'CRIME_REPORT', '0412345/19', 'record.event', F.e1],
].map(([source_system, source_entity, source_key, target_table, target_id]) => ({
  source_system, source_entity, source_key, target_table, target_id, source_hash: 'h', run_id: 1,
}));

const audit = (o: Row): Row => ({ actor: 'AB1234', justification: null, recipient: null, entity_type: 'event', entity_id: null, entity_ref: null, detail: null, ...o });
const AUDIT: Row[] = [
  audit({ origin: 'CRIS', legacy_audit_id: '101', operation: 'consultation', entity_ref: '0412345/19', entity_id: F.e1, occurred_at: '2019-05-01T10:00:00Z' }),
  audit({ origin: 'CRIS', legacy_audit_id: '102', operation: 'disclosure', entity_ref: '412345/19', occurred_at: '2019-05-02T10:00:00Z', recipient: 'CPS' }),
  audit({ origin: 'CRIS', legacy_audit_id: '103', operation: 'alteration', entity_ref: '0412345/19', entity_id: F.e1, occurred_at: '2019-05-03T10:00:00Z' }),
  audit({ origin: 'CRIMINT', legacy_audit_id: 'A0001', operation: 'disclosure', entity_type: 'person', entity_ref: 'N0001234', entity_id: F.obrien, occurred_at: '2019-05-04T10:00:00Z' }),
  audit({ origin: 'CRIMINT', legacy_audit_id: 'A0002', operation: 'consultation', entity_ref: 'ir/2019/0001234', entity_id: F.e3, occurred_at: '2019-06-01T10:00:00Z' }),
  // 2020-01-01 00:30 London = 00:30 UTC: outside [2019-01-01, 2020-01-01)
  audit({ origin: 'CRIS', legacy_audit_id: '104', operation: 'consultation', entity_ref: '0412345/19', entity_id: F.e1, occurred_at: '2020-01-01T00:30:00Z' }),
  // about a legacy-deleted (unmigrated) crime report
  audit({ origin: 'CRIS', legacy_audit_id: '105', operation: 'disclosure', entity_ref: '0555555/19', occurred_at: '2019-07-01T10:00:00Z' }),
  audit({ origin: 'MIGRATION', legacy_audit_id: null, actor: 'migration', operation: 'collection', entity_type: 'event', entity_ref: null, occurred_at: '2024-01-01T00:00:00Z' }),
  audit({ origin: 'CRIS', legacy_audit_id: '106', operation: 'disclosure', entity_type: 'person', entity_ref: '1005', entity_id: F.smithRestricted, occurred_at: '2019-08-01T10:00:00Z' }),
  audit({ origin: 'CRIS', legacy_audit_id: '107', operation: 'disclosure', entity_type: 'object', entity_ref: '1', entity_id: F.vFocus, occurred_at: '2019-08-02T10:00:00Z' }),
  audit({ origin: 'CRIS', legacy_audit_id: '108', operation: 'consultation', entity_type: 'person', entity_ref: '1003', entity_id: F.smith, occurred_at: '2019-08-03T10:00:00Z' }),
];

async function insert(c: pg.Client, table: string, rows: Row[]): Promise<void> {
  for (const r of rows) {
    const cols = Object.keys(r);
    await c.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, cols.map((k) => r[k]));
  }
}

/** Insert the fixture into a migrated database. */
export async function loadFixture(url: string): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query('BEGIN');
    await insert(c, 'record.person', PEOPLE);
    await insert(c, 'record.person_name', ALIASES);
    await insert(c, 'record.location', LOCATIONS);
    await insert(c, 'record.object', OBJECTS);
    await insert(c, 'record.event', EVENTS);
    for (const [t, rows] of Object.entries(LINKS)) await insert(c, t, rows);
    await insert(c, 'migration.lineage', LINEAGE);
    await insert(c, 'audit.event', AUDIT);
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
}

/** Ids → fixture names (sorted), for readable assertion failures. */
export function names(ids: string[]): string[] {
  const byId = new Map<string, string>(Object.entries(F).map(([k, v]) => [v, k]));
  return ids.map((i) => byId.get(i) ?? i).sort();
}
