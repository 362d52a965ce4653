// CRIMINT nominals.json → record.person (key `ref`), with inline items keyed by JSON path:
//   aliases[i]   → record.person_name (kind alias)                      `${ref}/aliases/${i}`
//   addresses[i] → record.location + person_location `resides_at`      `${ref}/addresses/${i}`
//   phones[i]    → record.object (telephone) + person_object `uses`     `${ref}/phones/${i}`
// Inline links join rows of the same record, so their refs are empty.
import { targetId } from '../src/core/ids.ts';
import type { LinkOut, Mapping, RowOut } from '../src/pipeline/types.ts';
import { crimintStatus, parseCrimintDob } from '../src/transform/index.ts';
import {
  Ctx, defineMapping, crimintExclude, crimintTime as instant, isBlank, isPlainObject, list, name, show, str, text, typeName,
} from './lib.ts';
import { cro, dob, ethnicity, locationRow, pnc, sex, telephoneRow } from './rows.ts';
import {
  type PersonNameRow, type PersonRow, locationSchema, objectSchema, personNameSchema, personSchema,
} from './schemas.ts';

const SYSTEM = 'CRIMINT';
const ENTITY = 'nominals.json';

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: [],
  schemas: {
    'record.person': personSchema,
    'record.person_name': personNameSchema,
    'record.location': locationSchema,
    'record.object': objectSchema,
  },
  exclude: crimintExclude,
  map(rec) {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);
    const ref = raw['ref'];
    if (typeof ref !== 'string' || ref.trim() === '') {
      return ctx.quarantine('malformed_record', 'ref', `ref must be a non-blank string, found ${typeName(ref)} ${show(ref)}`);
    }
    const rawSurname = raw['surname'];
    if (rawSurname !== null && rawSurname !== undefined && typeof rawSurname !== 'string') {
      return ctx.quarantine('invalid_type', 'surname', `surname must be a string, found ${typeName(rawSurname)} ${show(rawSurname)}`);
    }
    const aliases = list(raw, 'aliases');
    if (aliases === undefined) return ctx.quarantine('malformed_record', 'aliases', `aliases must be an array, found ${typeName(raw['aliases'])}`);
    const addresses = list(raw, 'addresses');
    if (addresses === undefined) return ctx.quarantine('malformed_record', 'addresses', `addresses must be an array, found ${typeName(raw['addresses'])}`);
    const phones = list(raw, 'phones');
    if (phones === undefined) return ctx.quarantine('malformed_record', 'phones', `phones must be an array, found ${typeName(raw['phones'])}`);
    const surname = name(ctx, rawSurname ?? null, 'surname');
    if (surname === null) return ctx.quarantine('missing_required', 'surname', 'surname is blank or missing');

    const rawStatus = str(ctx, raw['status'], 'status');
    if (!isBlank(rawStatus) && crimintStatus(rawStatus) === null) {
      ctx.warn('invalid_status', 'status', `status ${show(rawStatus)} is not ACTIVE, ARCHIVED or DELETED; migrated as live`);
    }

    const personId = targetId(SYSTEM, ENTITY, ref);
    const birth = dob(ctx, raw['dob'], 'dob', parseCrimintDob);
    const person: PersonRow = {
      id: personId,
      surname,
      forenames: name(ctx, str(ctx, raw['forenames'], 'forenames'), 'forenames'),
      date_of_birth: birth.date,
      dob_precision: birth.precision,
      sex: sex(ctx, raw['sex'], 'sex'),
      ethnicity: ethnicity(ctx, raw['ethnicity'], 'ethnicity'),
      pnc_id: pnc(ctx, raw['pnc'], 'pnc'),
      cro_no: cro(ctx, raw['cro'], 'cro'),
      restricted: false,
      source_system: SYSTEM,
      created_at: instant(ctx, raw, 'created'),
      created_by: text(ctx, str(ctx, raw['createdBy'], 'createdBy'), 'createdBy'),
      updated_at: instant(ctx, raw, 'updated'),
      updated_by: text(ctx, str(ctx, raw['updatedBy'], 'updatedBy'), 'updatedBy'),
    };
    const rows: RowOut[] = [{ table: 'record.person', key: ref, row: person }];
    const links: LinkOut[] = [];

    for (let i = 0; i < aliases.length; i++) {
      const a: unknown = aliases[i];
      const path = `aliases/${i}`;
      if (!isPlainObject(a)) {
        ctx.warn('invalid_type', path, `an alias must be an object, found ${typeName(a)}; alias skipped`);
        continue;
      }
      const aSurname = name(ctx, str(ctx, a['surname'], `${path}/surname`), `${path}/surname`);
      if (aSurname === null) {
        ctx.warn('alias_missing_surname', `${path}/surname`, 'alias has no surname; alias skipped');
        continue;
      }
      const key = `${ref}/${path}`;
      const aDob = dob(ctx, a['dob'], `${path}/dob`, parseCrimintDob);
      const row: PersonNameRow = {
        id: targetId(SYSTEM, ENTITY, key),
        person_id: personId,
        surname: aSurname,
        forenames: name(ctx, str(ctx, a['forenames'], `${path}/forenames`), `${path}/forenames`),
        date_of_birth: aDob.date,
        dob_precision: aDob.precision,
        kind: 'alias',
      };
      rows.push({ table: 'record.person_name', key, row });
    }

    for (let i = 0; i < addresses.length; i++) {
      const a: unknown = addresses[i];
      const path = `addresses/${i}`;
      if (!isPlainObject(a)) {
        ctx.warn('invalid_type', path, `an address must be an object, found ${typeName(a)}; address skipped`);
        continue;
      }
      const key = `${ref}/${path}`;
      const id = targetId(SYSTEM, ENTITY, key);
      rows.push({ table: 'record.location', key, row: locationRow(ctx, id, SYSTEM, a, `${path}/`) });
      links.push({ table: 'record.person_location', key, row: { person_id: personId, location_id: id, role: 'resides_at' }, refs: [] });
    }

    for (let i = 0; i < phones.length; i++) {
      const path = `phones/${i}`;
      const key = `${ref}/${path}`;
      const id = targetId(SYSTEM, ENTITY, key);
      rows.push({ table: 'record.object', key, row: telephoneRow(ctx, id, SYSTEM, phones[i], path) });
      links.push({ table: 'record.person_object', key, row: { person_id: personId, object_id: id, role: 'uses' }, refs: [] });
    }

    return ctx.loaded(rows, links);
  },
});
