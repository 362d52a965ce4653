// Legacy records → oracle tables, one handler per legacy entity. Each record is reduced to
// the comparison keys the catalog needs and then dropped.
//
// Read order matters (links are resolved against records already read): CRIS ADDRESS, VEHICLE,
// NOMINAL, CRIME_REPORT, CRIME_NOMINAL, CRIME_VEHICLE, AUDIT_TRAIL; CRIMINT nominals.json,
// intel_reports.json, audit.json. A link whose other side is missing or legacy-deleted is an
// orphan: counted, not indexed.
import type { SourceRecord } from '../sources/types.ts';
import { nameMatchKey, soundex } from '../transform/names.ts';
import { parseCrisDob, parseCrimintDob, type Dob } from '../transform/dob.ts';
import { normalisePostcode } from '../transform/postcode.ts';
import { normaliseVrm } from '../transform/vrm.ts';
import { phoneSearchKey, toE164 } from '../transform/phone.ts';
import { LEGACY_ROLES, TARGET_ROLES } from './catalog.ts';
import { codeKey, tokens, crimintDateInt, crimintDeleted, crisDateInt, crisDeleted, dobRange, fieldKey, intToIso, nameKey, refKey, text } from './keys.ts';
import { ACTION, ENT, ENT_PREFIX, OWNER, UNKNOWN_ROLE, type OracleStore, type PersonTable } from './oracle-store.ts';
import type { Sampler, NarrativeSample } from './sampler.ts';

export const CRIS_ORDER = ['ADDRESS', 'VEHICLE', 'NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'CRIME_VEHICLE', 'AUDIT_TRAIL'] as const;
export const CRIMINT_ORDER = ['nominals.json', 'intel_reports.json', 'audit.json'] as const;

type Raw = Record<string, unknown>;

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function obj(v: unknown): Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}
function str(v: unknown): string {
  return text(v) ?? '';
}

/** A DOB as the S04 input would spell it: `dd/mm/yyyy`, `00/mm/yyyy`, `00/00/yyyy`; '' unknown. */
export function dobInput(r: [number, number] | null): string {
  if (!r) return '';
  const [f, t] = r;
  const iso = intToIso(f);
  const y = iso.slice(0, 4);
  const m = iso.slice(5, 7);
  if (f === t) return `${iso.slice(8, 10)}/${m}/${y}`;
  if (Math.floor(f / 100) === Math.floor(t / 100)) return `00/${m}/${y}`;
  return `00/00/${y}`;
}

function roleCode(v: unknown): number {
  const r = LEGACY_ROLES[codeKey(v) ?? ''];
  return r ? TARGET_ROLES.indexOf(r) : UNKNOWN_ROLE;
}

const HARD_NAME = /[^A-Za-z]/;
const HYPHENATED = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;

export class Ingest {
  constructor(
    readonly s: OracleStore,
    readonly sample: Sampler,
  ) {}

  private count(ent: string): void {
    this.s.read[ent] = (this.s.read[ent] ?? 0) + 1;
  }

  /** A repeated key: the later occurrence wins, the earlier slot dies. */
  private supersede(map: { get(key: string): number | undefined; delete(key: string): unknown }, key: string, live: { set(i: number, v: number): void }): void {
    const old = map.get(key);
    if (old !== undefined) {
      live.set(old, 0);
      map.delete(key);
    }
  }

  private addName(person: number, alias: number, surname: unknown, forenames: unknown, dob: [number, number] | null): void {
    const n = this.s.names;
    const sk = nameKey(surname);
    const slot = n.add(person, alias, sk, nameMatchKey(text(forenames)), dob);
    if (sk !== null) n.bySurname.add(sk, slot);
    const sx = soundex(text(surname));
    if (sx !== null) n.bySoundex.add(sx, slot);
  }

  private startPerson(t: PersonTable, sys: 0 | 1, ent: number, key: string): number {
    const p = t.add(ent, key);
    t.byKey[sys]!.put(p);
    t.nameStart.set(p, this.s.names.size);
    return p;
  }

  private samplePerson(identity: string, surname: unknown, forenames: unknown, dob: [number, number] | null): void {
    const make = () => ({ identity, surname: str(surname), forenames: str(forenames), dob: dobInput(dob) });
    this.sample.persons.offer(make);
    if (HARD_NAME.test(str(surname).trim())) this.sample.hardNames.offer(make);
    if (dob && dob[0] !== dob[1]) this.sample.partialDobs.offer(make);
    if (dob && str(forenames).trim() !== '') this.sample.sarCandidates.offer(make);
  }

  private location(ent: number, key: string, ownerKind: number, owner: number, raw: Raw): number {
    const pc = normalisePostcode(raw.postcode);
    if (pc === null && (text(raw.postcode)?.trim() ?? '') !== '') this.s.unsearchable('postcode');
    const town = fieldKey(raw.town);
    const l = this.s.locations.add(ent, key, ownerKind, owner, pc, town);
    this.s.locations.street.add(l, tokens(noNul(text(raw.street))));
    this.sample.locations.offer(() => ({ postcode: str(raw.postcode), street: str(raw.street), town: str(raw.town) }));
    return l;
  }

  private vehicle(ent: number, key: string, ownerKind: number, owner: number, raw: Raw): number {
    const vrm = normaliseVrm(raw.vrm);
    const o = this.s.objects.addVehicle(ent, key, ownerKind, owner, vrm, fieldKey(raw.make), fieldKey(raw.model), fieldKey(raw.colour));
    this.sample.vehicles.offer(() => ({ vrm: str(raw.vrm), make: str(raw.make), model: str(raw.model), colour: str(raw.colour) }));
    return o;
  }

  private phone(ent: number, key: string, ownerKind: number, owner: number, v: unknown): number {
    const number = text(v) ?? text(obj(v).number) ?? '';
    // compared as migrated: E.164 (target-schema), then the S12 key; a number that is not a
    // valid UK number is stored NULL by the migration and matches nothing (counted)
    const e164 = toE164(number);
    if (number.trim() !== '') {
      this.sample.phones.offer(() => number);
      if (e164 === null) this.s.unsearchable('telephone');
    }
    return this.s.objects.addPhone(ent, key, ownerKind, owner, e164 === null ? null : phoneSearchKey(e164));
  }

  private narrative(e: number, raw: unknown): void {
    // compared as migrated: NUL characters removed (target-schema.md), so `S\0ubject` is `subject`
    const t = noNul(text(raw));
    const toks = tokens(t);
    this.s.events.narrative.add(e, toks);
    if (!t || toks.length === 0) return;
    const make = (): NarrativeSample => ({
      tokens: toks.slice(0, 40),
      hyphenated: (t.match(HYPHENATED) ?? []).slice(0, 3),
      accented: (t.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => /[^\x00-\x7f]/.test(w)).slice(0, 3),
    });
    this.sample.narratives.offer(make);
    if (/[\p{L}\p{N}]-[\p{L}\p{N}]/u.test(t)) this.sample.hyphenated.offer(make);
    if (/[^\x00-\x7f]/.test(t)) this.sample.accented.offer(make);
  }

  private auditEntry(ent: number, sys: 0 | 1, key: string, action: number, date: number, target: string, eventRef: string | null): void {
    const a = this.s.audit;
    this.supersede(a.byKey[sys]!, key, a.live);
    a.byKey[sys]!.put(a.add(ent, key, date, action, target));
    if (eventRef !== null) {
      const make = () => ({ ref: eventRef, date });
      this.sample.auditEvents.offer(make);
      const e = this.s.events.byKey[sys]!.get(eventRef.trim());
      if (e === undefined || !this.s.eventLive(e)) this.sample.auditNoLiveEvent.offer(make);
    }
  }

  // ---- CRIS ----

  ADDRESS(r: SourceRecord): void {
    this.count('CRIS:ADDRESS');
    const t = this.s.locations;
    this.supersede(t.byKey, r.key, t.live);
    t.byKey.put(this.location(ENT.CRIS_ADDRESS, r.key, OWNER.NONE, -1, r.raw));
  }

  VEHICLE(r: SourceRecord): void {
    this.count('CRIS:VEHICLE');
    const t = this.s.objects;
    this.supersede(t.byKey, r.key, t.live);
    t.byKey.put(this.vehicle(ENT.CRIS_VEHICLE, r.key, OWNER.NONE, -1, r.raw));
  }

  NOMINAL(r: SourceRecord): void {
    this.count('CRIS:NOMINAL');
    const t = this.s.persons;
    this.supersede(t.byKey[0]!, r.key, t.live);
    const raw = r.raw;
    const dobParsed = parseCrisDob(text(raw.dob));
    const dob = 'error' in dobParsed ? null : dobRange(dobParsed);
    if (crisDeleted(raw.deleted)) {
      this.s.deleted.add(ENT_PREFIX[ENT.CRIS_NOMINAL] + r.key);
      this.sample.deletedPersons.offer(() => ({ identity: ENT_PREFIX[ENT.CRIS_NOMINAL] + r.key, surname: str(raw.surname), forenames: str(raw.forenames), dob: dobInput(dob) }));
      return;
    }
    const p = this.startPerson(t, 0, ENT.CRIS_NOMINAL, r.key);
    this.addName(p, -1, raw.surname, raw.forenames, dob);
    t.nameCount.set(p, 1);
    const addr = text(raw.address_id)?.trim();
    if (addr) {
      const l = this.s.locations.byKey.get(addr);
      if (l === undefined) this.s.orphan('NOMINAL.ADDRESS_ID');
      else this.s.personLocation.add(p, l);
    }
    this.samplePerson(t.identity(p), raw.surname, raw.forenames, dob);
  }

  CRIME_REPORT(r: SourceRecord): void {
    this.count('CRIS:CRIME_REPORT');
    const t = this.s.events;
    this.supersede(t.byKey[0]!, r.key, t.live);
    const raw = r.raw;
    if (crisDeleted(raw.deleted)) {
      this.s.deleted.add(ENT_PREFIX[ENT.CRIS_CRIME] + r.key);
      this.sample.deletedEvents.offer(() => r.key);
      return;
    }
    const date = crisDateInt(raw.reported_dt);
    const e = t.add(ENT.CRIS_CRIME, r.key, date);
    t.byKey[0]!.put(e);
    const ho = codeKey(raw.ho_class);
    const borough = codeKey(raw.borough);
    t.ho.set(e, ho);
    t.borough.set(e, borough);
    if (ho) t.byHo.add(ho, e);
    this.narrative(e, raw.mo_text);
    const loc = text(raw.location_id)?.trim();
    if (loc) {
      const l = this.s.locations.byKey.get(loc);
      if (l === undefined) this.s.orphan('CRIME_REPORT.LOCATION_ID');
      else this.s.eventLocation.add(e, l);
    }
    this.sample.crimes.offer(() => ({ ref: r.key, ho: str(raw.ho_class), borough: str(raw.borough), date }));
  }

  CRIME_NOMINAL(r: SourceRecord): void {
    this.count('CRIS:CRIME_NOMINAL');
    const e = this.s.events.byKey[0]!.get(str(r.raw.cris_no).trimEnd());
    const key = str(r.raw.nominal_id).trim();
    const p = this.s.persons.byKey[0]!.get(key);
    if (e === undefined || p === undefined) return this.s.orphan('CRIME_NOMINAL');
    this.s.eventPerson.add(e, p, roleCode(r.raw.role));
    this.sample.personLinks.offer(() => ({ nominal: key, role: str(r.raw.role).trim() }));
  }

  CRIME_VEHICLE(r: SourceRecord): void {
    this.count('CRIS:CRIME_VEHICLE');
    const e = this.s.events.byKey[0]!.get(str(r.raw.cris_no).trimEnd());
    const o = this.s.objects.byKey.get(str(r.raw.vehicle_id).trim());
    if (e === undefined || o === undefined) return this.s.orphan('CRIME_VEHICLE');
    this.s.eventObject.add(e, o);
    const vrm = this.s.objects.value.get(o);
    if (vrm) this.sample.vehicleLinks.offer(() => vrm);
  }

  AUDIT_TRAIL(r: SourceRecord): void {
    this.count('CRIS:AUDIT_TRAIL');
    const raw = r.raw;
    const action = codeKey(raw.action) ?? '';
    if (action === 'SEARCH') this.sample.offerSearch(ENT_PREFIX[ENT.CRIS_AUDIT] + r.key, raw.detail);
    const code = ACTION[action as keyof typeof ACTION];
    const recordKey = text(raw.record_key)?.trim();
    if (code === undefined || !recordKey) return;
    const table = codeKey(raw.table_name);
    let target: string | null = null;
    if (table === 'CRIME_REPORT') target = `E:${refKey(recordKey)}`;
    else if (table === 'NOMINAL') target = `P:${ENT.CRIS_NOMINAL}:${recordKey}`;
    else if (table === 'ADDRESS') target = `L:${ENT.CRIS_ADDRESS}:${recordKey}`;
    else if (table === 'VEHICLE') target = `O:${ENT.CRIS_VEHICLE}:${recordKey}`;
    if (target === null) return;
    this.auditEntry(ENT.CRIS_AUDIT, 0, r.key, code, crisDateInt(raw.action_dt), target, table === 'CRIME_REPORT' ? recordKey : null);
  }

  // ---- CRIMINT ----

  'nominals.json'(r: SourceRecord): void {
    this.count('CRIMINT:nominals.json');
    const t = this.s.persons;
    this.supersede(t.byKey[1]!, r.key, t.live);
    const raw = r.raw;
    const dob = crimintDob(raw.dob);
    const identity = ENT_PREFIX[ENT.CRIMINT_NOMINAL] + r.key;
    if (crimintDeleted(raw.status)) {
      this.s.deleted.add(identity);
      this.sample.deletedPersons.offer(() => ({ identity, surname: str(raw.surname), forenames: str(raw.forenames), dob: dobInput(dob) }));
      return;
    }
    const p = this.startPerson(t, 1, ENT.CRIMINT_NOMINAL, r.key);
    this.addName(p, -1, raw.surname, raw.forenames, dob);
    const aliases = arr(raw.aliases);
    aliases.forEach((a, i) => {
      const al = obj(a);
      const own = crimintDob(al.dob);
      this.addName(p, i, al.surname, al.forenames, own ?? dob);
      const make = () => ({ identity: `${identity}/aliases/${i}`, surname: str(al.surname), forenames: str(al.forenames), dob: dobInput(own ?? dob), ownDob: dobInput(own) });
      this.sample.aliases.offer(make);
      if (own === null && dob !== null) this.sample.aliasesNoDob.offer(make);
    });
    t.nameCount.set(p, 1 + aliases.length);
    arr(raw.addresses).forEach((a, i) => {
      const l = this.location(ENT.CRIMINT_NOMINAL, `${r.key}/addresses/${i}`, OWNER.PERSON, p, obj(a));
      this.s.personLocation.add(p, l);
    });
    arr(raw.phones).forEach((ph, i) => {
      const o = this.phone(ENT.CRIMINT_NOMINAL, `${r.key}/phones/${i}`, OWNER.PERSON, p, ph);
      this.s.personObject.add(p, o);
    });
    this.samplePerson(identity, raw.surname, raw.forenames, dob);
  }

  'intel_reports.json'(r: SourceRecord): void {
    this.count('CRIMINT:intel_reports.json');
    const t = this.s.events;
    this.supersede(t.byKey[1]!, r.key, t.live);
    const raw = r.raw;
    if (crimintDeleted(raw.status)) {
      this.s.deleted.add(ENT_PREFIX[ENT.CRIMINT_INTEL] + r.key);
      this.sample.deletedEvents.offer(() => r.key);
      return;
    }
    const date = crimintDateInt(raw.created);
    const e = t.add(ENT.CRIMINT_INTEL, r.key, date);
    t.byKey[1]!.put(e);
    const scheme = text(raw.gradingScheme)?.trim().toLowerCase() ?? '';
    const g = obj(raw.grading);
    const source = codeKey(g.source) ?? '';
    const handling = codeKey(g.handling) ?? '';
    if (scheme) {
      t.byScheme.add(scheme, e);
      t.grading.set(e, `${source}|${handling}`);
    }
    this.narrative(e, raw.text);
    arr(raw.subjects).forEach((sub) => {
      const ref = str(obj(sub).ref).trim();
      const p = this.s.persons.byKey[1]!.get(ref);
      if (p === undefined) return this.s.orphan('intel_reports.subjects');
      this.s.eventPerson.add(e, p, roleCode(obj(sub).role));
      this.sample.personLinks.offer(() => ({ nominal: ref, role: str(obj(sub).role).trim() }));
    });
    arr(raw.vehicles).forEach((v, i) => {
      const o = this.vehicle(ENT.CRIMINT_INTEL, `${r.key}/vehicles/${i}`, OWNER.EVENT, e, obj(v));
      this.s.eventObject.add(e, o);
      const vrm = this.s.objects.value.get(o);
      if (vrm) this.sample.vehicleLinks.offer(() => str(obj(v).vrm) || vrm);
    });
    arr(raw.locations).forEach((l, i) => {
      this.s.eventLocation.add(e, this.location(ENT.CRIMINT_INTEL, `${r.key}/locations/${i}`, OWNER.EVENT, e, obj(l)));
    });
    arr(raw.phones).forEach((ph, i) => {
      this.s.eventObject.add(e, this.phone(ENT.CRIMINT_INTEL, `${r.key}/phones/${i}`, OWNER.EVENT, e, ph));
    });
    this.sample.intel.offer(() => ({ ref: r.key, scheme, source, handling, date }));
  }

  'audit.json'(r: SourceRecord): void {
    this.count('CRIMINT:audit.json');
    const raw = r.raw;
    const action = codeKey(raw.action) ?? '';
    if (action === 'SEARCH') this.sample.offerSearch(ENT_PREFIX[ENT.CRIMINT_AUDIT] + r.key, raw.criteria);
    const code = ACTION[action as keyof typeof ACTION];
    const key = text(raw.key)?.trim();
    if (code === undefined || !key) return;
    const entity = text(raw.entity)?.trim().toLowerCase();
    let target: string | null = null;
    if (entity === 'intel_report') target = `E:${refKey(key)}`;
    else if (entity === 'nominal') target = `P:${ENT.CRIMINT_NOMINAL}:${key}`;
    if (target === null) return;
    this.auditEntry(ENT.CRIMINT_AUDIT, 1, r.key, code, crimintDateInt(raw.at), target, entity === 'intel_report' ? key : null);
  }
}

function noNul(s: string | null): string | null {
  return s === null || !s.includes('\u0000') ? s : s.replaceAll('\u0000', '');
}

function crimintDob(v: unknown): [number, number] | null {
  const d: Dob | { error: string } = parseCrimintDob(text(v));
  return 'error' in d ? null : dobRange(d);
}
