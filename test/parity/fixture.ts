// A tiny legacy extract, written by hand, and in-memory Sources over it. This is a fixture of
// the legacy data (the shapes of legacy-data.md), not a database mock: the oracle reads it
// through the same Source interface as the real CRIS database and CRIMINT export.
import type { Source, SourceRecord, SystemName } from '../../src/sources/types.ts';
import { crisKey, crisTable } from '../../src/sources/cris-tables.ts';

type Row = Record<string, unknown>;

export function memorySource(system: SystemName, tables: Record<string, Row[]>): Source {
  const keyOf = (entity: string, raw: Row): string => {
    if (system === 'CRIS') return crisKey(crisTable(entity), raw);
    return String(raw.ref ?? raw.urn ?? raw.id);
  };
  return {
    system,
    identity: `memory:${system}`,
    entities: () => Object.keys(tables).map((name) => ({ name, keyKind: system === 'CRIS' ? 'int' : 'ordinal' })),
    count: async (entity) => (tables[entity] ?? []).length,
    partitions: async () => [{ after: null, upTo: null }],
    async *read(entity): AsyncIterable<SourceRecord> {
      let ordinal = 0;
      for (const raw of tables[entity] ?? []) yield { key: keyOf(entity, raw), ordinal: ordinal++, raw: { ...raw } };
    },
    close: async () => {},
  };
}

const addr = (address_id: number, street: string, town: string, postcode: string | null) => ({
  address_id, premises: '1', street, locality: null, town, postcode, easting: null, northing: null,
});
const veh = (vehicle_id: number, vrm: string, make: string | null, model: string | null, colour: string | null) => ({ vehicle_id, vrm, make, model, colour });
const nom = (nominal_id: number, surname: string, forenames: string, dob: string | null, address_id: number | null, deleted: string | null = null) => ({
  nominal_id, surname, forenames, dob, sex: 'M', ethnic_code: 'IC1', pnc_id: null, cro_no: null, address_id, deleted,
});
const crime = (cris_no: string, borough: string, ho_class: string, reported_dt: string, location_id: number | null, mo_text: string, deleted: string | null = null) => ({
  cris_no, borough, ho_class, class_desc: '', committed_from: null, committed_to: null, reported_dt, location_id, mo_text,
  status: 'O', oic: null, created_by: 'AB1', created_dt: reported_dt, updated_by: null, updated_dt: null, deleted,
});
const audit = (audit_id: number, table_name: string, record_key: string | null, action: string, action_dt: string, detail: string | null = null) => ({
  audit_id: String(audit_id), table_name, record_key, action, user_id: 'U1', action_dt, reason: 'r', recipient: null, detail,
});

export const CRIS: Record<string, Row[]> = {
  ADDRESS: [
    addr(1, 'High Street', 'London', 'se1 9gf'),
    addr(2, 'Old Kent Road', 'London', 'SE10 8XJ'),
    addr(3, 'St. Mary-le-Bow Lane', 'LONDON ', 'SE19GF'),
    addr(4, 'High Road', 'Leyton', 'E10 5NP'),
    addr(5, 'Station Road', 'London', 'SE1 2AB'),
    addr(6, 'High Street', 'Croydon', 'XX'),
  ],
  VEHICLE: [
    veh(10, 'AB12 CDE', 'Ford', 'Focus', 'Blue'),
    veh(11, 'ab12cdf', 'FORD ', 'Fiesta', 'Red'),
    veh(12, 'A123 BCD', 'Vauxhall', 'Astra', 'Blue'),
    veh(13, 'AB12CDE', 'Ford', 'Focus', 'Silver'),
  ],
  NOMINAL: [
    nom(100, "O'BRIEN", 'SEAN PATRICK', '1985-03-12 00:00:00', 1),
    nom(101, 'OBRIEN', 'MARY', '1990-07-01 00:00:00', 2),
    nom(102, 'O BRIEN', 'JOHN', '1900-01-01 00:00:00', 99),
    nom(103, 'GARCÍA', 'JOSÉ', '1979-12-31 00:00:00', null),
    nom(104, 'SMITH-JONES', 'ANNA', '2000-02-29 00:00:00', null),
    nom(105, 'SMITH', 'JOHN', '1960-05-05 00:00:00', null, 'Y'),
    nom(106, 'SMYTH', 'JANE', '1961-01-01 00:00:00', null, 'N'),
    nom(107, 'SMITH', 'JOHN PAUL', '1985-03-20 00:00:00', null),
    nom(108, 'BROWN', 'PETER', '1970-01-15 00:00:00', null, ' '),
  ],
  CRIME_REPORT: [
    crime('0000001/20', 'BS', '8N', '2020-01-01 00:30:00', 3, 'Victim assaulted outside; suspect fled on foot. Knife recovered.'),
    crime('0412345/19', 'TX ', '28E', '2019-03-04 10:00:00', 1, 'Suspect used a knife-point threat at the café near the station.'),
    crime('0500000/21', 'TX', '28E', '2021-06-30 23:59:59', null, 'knife deleted', 'Y'),
    crime('0600000/21', 'KD', '105A', '2021-07-01 00:00:00', 77, 'Burglary of shed. Bicycle stolen.'),
  ],
  CRIME_NOMINAL: [
    { cris_no: '0412345/19', nominal_id: 100, role: 'SU' },
    { cris_no: '0412345/19', nominal_id: 104, role: 'VI' },
    { cris_no: '0000001/20', nominal_id: 100, role: 'WI' },
    { cris_no: '0000001/20', nominal_id: 105, role: 'SU' },
    { cris_no: '0500000/21', nominal_id: 101, role: 'SU' },
    { cris_no: '0600000/21', nominal_id: 101, role: 'VI' },
    { cris_no: '0999999/99', nominal_id: 100, role: 'SU' },
    { cris_no: '0000001/20', nominal_id: 107, role: 'SU' },
  ],
  CRIME_VEHICLE: [
    { cris_no: '0412345/19', vehicle_id: 10, role: 'US' },
    { cris_no: '0600000/21', vehicle_id: 13, role: 'ST' },
    { cris_no: '0500000/21', vehicle_id: 11, role: 'US' },
    { cris_no: '0000001/20', vehicle_id: 12, role: 'DA' },
  ],
  AUDIT_TRAIL: [
    audit(1, 'CRIME_REPORT', '0412345/19', 'VIEW', '2019-03-05 09:00:00'),
    audit(2, 'CRIME_REPORT', '0412345/19', 'PRINT', '2019-04-01 00:00:00'),
    audit(3, 'CRIME_REPORT', '0500000/21', 'VIEW', '2021-07-02 10:00:00'),
    audit(4, 'CRIME_REPORT', '0412345/19', 'UPDATE', '2019-03-06 10:00:00'),
    audit(5, 'SEARCH', null, 'SEARCH', '2019-03-06 10:00:00', '{"capability":"S01","params":{"surname":"OBRIEN"}}'),
    audit(6, 'SEARCH', null, 'SEARCH', '2019-03-06 10:00:00', '{"capability":"S02","params":{"surnam":"X"}}'),
    audit(7, 'NOMINAL', '100', 'DISCLOSE', '2020-02-02 10:00:00'),
    audit(8, 'ADDRESS', '1', 'PRINT', '2020-03-03 10:00:00'),
    audit(9, 'CRIME_REPORT', '0412345/19', 'DISCLOSE', '2019-03-04 00:00:00'),
    audit(10, 'NOMINAL', '101', 'DISCLOSE', '2020-01-01 10:00:00'),
    audit(11, 'CRIME_REPORT', '0600000/21', 'VIEW', '2021-07-02 10:00:00'),
    audit(12, 'VEHICLE', '10', 'DISCLOSE', '2020-05-05 10:00:00'),
  ],
};

const active = { status: 'ACTIVE', created: '04/03/2019 10:22:00', createdBy: 'AB1234' };

export const CRIMINT: Record<string, Row[]> = {
  'nominals.json': [
    {
      ref: 'N0001', surname: "O'Brien", forenames: 'Sean Patrick', dob: '00/03/1985', sex: 'M',
      aliases: [{ surname: 'Bryan', forenames: 'Sean', dob: '12/03/1985' }, { surname: 'Obrian', forenames: 'Shaun' }],
      addresses: [{ premises: '12', street: 'High Street', town: 'London', postcode: 'SE1 9GF' }],
      phones: ['07700 900123'], ...active,
    },
    {
      ref: 'N0002', surname: 'Núñez', forenames: 'José Luis', dob: '00/00/1979', aliases: [],
      addresses: [{ premises: '', street: 'Mile-End Road', town: 'London', postcode: 'E1 4NS' }],
      phones: ['+44 20 7946 0018'], ...active, status: 'ARCHIVED',
    },
    { ref: 'N0003', surname: 'Smith', forenames: 'Joan', dob: '', aliases: [], addresses: [], phones: ['07700 900999'], ...active, status: 'DELETED' },
    { ref: 'N0004', surname: 'Smith', forenames: 'Jon', dob: '15/06/1985', aliases: [{ surname: 'Smithe', forenames: 'Jonathan', dob: '' }], addresses: [], phones: [], ...active },
    { ref: 'N0005', surname: 'Taylor', forenames: 'Tom', dob: '01/01/1990', aliases: [], addresses: [], phones: ['0111 222 3333'], ...active },
    { ref: 'N0005', surname: 'Tailor', forenames: 'Tom', dob: '01/01/1990', aliases: [], addresses: [], phones: [], ...active },
  ],
  'intel_reports.json': [
    {
      urn: 'IR/2019/0001234', created: '04/03/2019 10:22:00', gradingScheme: '5x5x5', grading: { source: 'B', intel: '2', handling: '1' },
      text: 'Subject seen driving a blue Ford near the knife-point incident. Café owner informed.',
      subjects: [{ ref: 'N0001', role: 'SUBJECT' }, { ref: 'N9999', role: 'ASSOCIATE' }],
      vehicles: [{ vrm: 'ab12cde', make: 'Ford', model: 'Focus', colour: 'Blue' }],
      locations: [{ premises: '', street: 'Station Road', town: 'London', postcode: 'E17 4PP' }],
      phones: ['07700900456'], status: 'ACTIVE',
    },
    {
      urn: 'IR/2017/0000002', created: '31/12/2016 23:59:59', gradingScheme: '3x5x2', grading: { source: '1', intel: 'A', handling: 'P' },
      text: 'Associate N0002 known as Joe. Uses phone.',
      subjects: [{ ref: 'N0002', role: 'SUBJECT' }, { ref: 'N0004', role: 'ASSOCIATE' }],
      vehicles: [], locations: [], phones: ['+447700900123'], status: 'ACTIVE',
    },
    { urn: 'IR/2020/0000003', created: '01/01/2020 10:00:00', gradingScheme: '3x5x2', grading: { source: '1', intel: 'A', handling: 'P' }, text: 'knife', subjects: [{ ref: 'N0001', role: 'SUBJECT' }], vehicles: [], locations: [], phones: [], status: 'DELETED' },
    {
      urn: 'IR/2018/0000004', created: '01/02/2018 00:00:00', gradingScheme: '3x5x2', grading: { source: '2', intel: 'B', handling: 'C' },
      text: 'Vehicle A123BCD seen', subjects: [{ ref: 'N0004', role: 'MENTIONED' }], vehicles: [{ vrm: 'A123 BCD' }], locations: [],
      phones: ['+44 (0)7700 900123', '12345'], status: 'ACTIVE',
    },
  ],
  'audit.json': [
    { id: 'A1', at: '05/03/2019 09:00:00', user: 'CD1', action: 'VIEW', entity: 'intel_report', key: 'IR/2019/0001234', reason: 'x', recipient: null, criteria: null },
    { id: 'A2', at: '06/03/2019 10:00:00', user: 'CD1', action: 'DISCLOSE', entity: 'intel_report', key: 'IR/2019/0001234', reason: 'x', recipient: 'CPS', criteria: null },
    { id: 'A3', at: '06/03/2019 10:00:00', user: 'CD1', action: 'SEARCH', entity: 'search', key: null, reason: null, recipient: null, criteria: { capability: 'S09', params: { vrm: 'AB12 CDE' } } },
    { id: 'A4', at: '07/03/2019 10:00:00', user: 'CD1', action: 'PRINT', entity: 'nominal', key: 'N0001', reason: 'x', recipient: 'Court', criteria: null },
    { id: 'A5', at: '01/01/2021 10:00:00', user: 'CD1', action: 'VIEW', entity: 'intel_report', key: 'IR/2020/0000003', reason: 'x', recipient: null, criteria: null },
    { id: 'A6', at: '01/01/2021 10:00:00', user: 'CD1', action: 'SEARCH', entity: 'search', key: null, reason: null, recipient: null, criteria: { capability: 'S99', params: {} } },
    { id: 'A7', at: '01/01/2020 00:00:00', user: 'CD1', action: 'DISCLOSE', entity: 'nominal', key: 'N0003', reason: 'x', recipient: 'Solicitor', criteria: null },
  ],
};

export function fixtureSources(): { crisSource: Source; crimintSource: Source } {
  return { crisSource: memorySource('CRIS', CRIS), crimintSource: memorySource('CRIMINT', CRIMINT) };
}

/** Identity helpers. */
export const P = (k: number | string) => (typeof k === 'number' ? `CRIS:NOMINAL:${k}` : `CRIMINT:nominals.json:${k}`);
export const E = (k: string) => (k.startsWith('IR') ? `CRIMINT:intel_reports.json:${k}` : `CRIS:CRIME_REPORT:${k}`);
export const L = (k: number | string) => (typeof k === 'number' ? `CRIS:ADDRESS:${k}` : k.startsWith('IR') ? `CRIMINT:intel_reports.json:${k}` : `CRIMINT:nominals.json:${k}`);
export const V = (k: number | string) => (typeof k === 'number' ? `CRIS:VEHICLE:${k}` : `CRIMINT:intel_reports.json:${k}`);
export const T = (k: string) => (k.startsWith('IR') ? `CRIMINT:intel_reports.json:${k}` : `CRIMINT:nominals.json:${k}`);
export const A = (k: number | string) => (typeof k === 'number' ? `CRIS:AUDIT_TRAIL:${k}` : `CRIMINT:audit.json:${k}`);

/** The restricted records of the fixture (as the target would flag them). */
export const RESTRICTED = new Set([P(107), E('0600000/21')]);
