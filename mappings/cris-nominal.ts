// CRIS NOMINAL → record.person, and record.person_location `resides_at` → ADDRESS when ADDRESS_ID is set.
// Key: NOMINAL_ID as text. CRIS NOMINAL has no created/updated columns: those are NULL.
import { targetId } from '../src/core/ids.ts';
import type { LinkOut, Mapping } from '../src/pipeline/types.ts';
import { parseCrisDob } from '../src/transform/index.ts';
import { Ctx, defineMapping, crisExclude, intKey, name, show, str, typeName } from './lib.ts';
import { cro, dob, ethnicity, pnc, sex } from './rows.ts';
import { type PersonRow, personSchema } from './schemas.ts';

const SYSTEM = 'CRIS';
const ENTITY = 'NOMINAL';

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: ['ADDRESS'],
  schemas: { 'record.person': personSchema },
  exclude: crisExclude,
  map(rec) {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);
    const rawSurname = raw['surname'];
    if (rawSurname !== null && rawSurname !== undefined && typeof rawSurname !== 'string') {
      return ctx.quarantine('invalid_type', 'surname', `surname must be text, found ${typeName(rawSurname)} ${show(rawSurname)}`);
    }
    const surname = name(ctx, str(ctx, rawSurname, 'surname'), 'surname');
    if (surname === null) return ctx.quarantine('missing_required', 'surname', 'surname is blank or missing');

    const id = targetId(SYSTEM, ENTITY, rec.key);
    const birth = dob(ctx, raw['dob'], 'dob', parseCrisDob);
    const row: PersonRow = {
      id,
      surname,
      forenames: name(ctx, str(ctx, raw['forenames'], 'forenames'), 'forenames'),
      date_of_birth: birth.date,
      dob_precision: birth.precision,
      sex: sex(ctx, raw['sex'], 'sex'),
      ethnicity: ethnicity(ctx, raw['ethnic_code'], 'ethnic_code'),
      pnc_id: pnc(ctx, raw['pnc_id'], 'pnc_id'),
      cro_no: cro(ctx, raw['cro_no'], 'cro_no'),
      restricted: false,
      source_system: SYSTEM,
      created_at: null,
      created_by: null,
      updated_at: null,
      updated_by: null,
    };

    const links: LinkOut[] = [];
    const addressKey = intKey(raw['address_id']);
    if (addressKey === undefined) {
      ctx.warn('invalid_type', 'address_id', `address_id ${show(raw['address_id'])} is not an integer key; no home address linked`);
    } else if (addressKey !== null) {
      links.push({
        table: 'record.person_location',
        key: rec.key,
        row: { person_id: id, location_id: targetId(SYSTEM, 'ADDRESS', addressKey), role: 'resides_at' },
        refs: [{ column: 'location_id', entity: 'ADDRESS', key: addressKey }],
      });
    }
    return ctx.loaded([{ table: 'record.person', key: rec.key, row }], links);
  },
});
