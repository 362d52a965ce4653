// The catalog's legacy semantics, S01–S20, over the oracle's compact tables.
// Every function returns slots; oracle.ts turns them into identities.
import { nameMatchKey, soundex } from '../transform/names.ts';
import { parseCrimintDob } from '../transform/dob.ts';
import { normalisePostcodeQuery } from '../transform/postcode.ts';
import { normaliseVrm } from '../transform/vrm.ts';
import { phoneSearchKey } from '../transform/phone.ts';
import { foldAccents, tokenise } from '../transform/text.ts';
import { TARGET_ROLES, type ParamsOf } from './catalog.ts';
import { intersectSorted } from './compact.ts';
import { codeKey, dobRange, fieldKey, isoToInt, refKey, surnamePattern, vrmPattern } from './keys.ts';
import { ACTION, ENT, OBJECT_KIND, OWNER, type OracleStore } from './oracle-store.ts';
import type { PagedStrings } from './paged.ts';

/** Restricted people and events as bitmaps over slots. */
export interface Mask {
  persons: Uint8Array;
  events: Uint8Array;
}

/**
 * Records (and CRIS link rows) the migration did not load, as bitmaps over slots: treated as
 * absent, neither found nor traversed, to tell which legacy results are reachable in the target.
 */
export interface Absent {
  persons: Uint8Array;
  names: Uint8Array;
  events: Uint8Array;
  locations: Uint8Array;
  objects: Uint8Array;
  audit: Uint8Array;
  /** `event:person:role` of absent CRIME_NOMINAL rows, `event:object` of absent CRIME_VEHICLE rows. */
  links: Set<string>;
}

export const NOTHING_ABSENT: Absent = {
  persons: new Uint8Array(0), names: new Uint8Array(0), events: new Uint8Array(0), locations: new Uint8Array(0),
  objects: new Uint8Array(0), audit: new Uint8Array(0), links: new Set(),
};

/** Slots found, per kind of record. */
export interface Found {
  persons: Set<number>;
  names: Set<number>; // alias name records (S20)
  events: Set<number>;
  locations: Set<number>;
  objects: Set<number>;
  audit: Set<number>;
}

export function emptyFound(): Found {
  return { persons: new Set(), names: new Set(), events: new Set(), locations: new Set(), objects: new Set(), audit: new Set() };
}

export class Queries {
  constructor(
    private readonly s: OracleStore,
    private readonly mask: Mask,
    /** S20 ignores restriction. */
    private readonly sar = false,
    private readonly absent: Absent = NOTHING_ABSENT,
  ) {}

  /** A person S01–S19 may find (or traverse): live and, outside S20, not restricted. */
  private personOk(p: number): boolean {
    return this.s.personLive(p) && (this.sar || this.mask.persons[p] !== 1) && this.absent.persons[p] !== 1;
  }
  private eventOk(e: number): boolean {
    return this.s.eventLive(e) && (this.sar || this.mask.events[e] !== 1) && this.absent.events[e] !== 1;
  }
  private ownerPresent(t: OracleStore['locations'] | OracleStore['objects'], x: number): boolean {
    const k = t.ownerKind.get(x);
    if (k === OWNER.PERSON) return this.absent.persons[t.owner.get(x)] !== 1;
    if (k === OWNER.EVENT) return this.absent.events[t.owner.get(x)] !== 1;
    return true;
  }
  private locationOk(l: number): boolean {
    return this.s.locationLive(l) && this.absent.locations[l] !== 1 && this.ownerPresent(this.s.locations, l);
  }
  private objectOk(o: number): boolean {
    return this.s.objectLive(o) && this.absent.objects[o] !== 1 && this.ownerPresent(this.s.objects, o);
  }
  private auditOk(a: number): boolean {
    return this.s.audit.live.get(a) === 1 && this.absent.audit[a] !== 1;
  }
  private personLinkOk(e: number, p: number, role: number): boolean {
    return this.absent.links.size === 0 || !this.absent.links.has(`${e}:${p}:${role}`);
  }
  private objectLinkOk(e: number, o: number): boolean {
    return this.absent.links.size === 0 || !this.absent.links.has(`${e}:${o}`);
  }

  /** People having a name record that satisfies `ok`. */
  private peopleByNames(names: ArrayLike<number>, ok: (n: number) => boolean): Set<number> {
    const out = new Set<number>();
    const person = this.s.names.person;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const p = person.get(n);
      if (!out.has(p) && this.absent.names[n] !== 1 && this.personOk(p) && ok(n)) out.add(p);
    }
    return out;
  }

  private dobOverlaps(n: number, from: number, to: number): boolean {
    const f = this.s.names.dobFrom.get(n);
    return f > 0 && f <= to && this.s.names.dobTo.get(n) >= from;
  }

  /** Name records whose DOB period overlaps [from, to] (range scan of the DOB order). */
  private namesWithDobIn(from: number, to: number): number[] {
    const n = this.s.names;
    const keys = n.dobOrderFrom;
    let lo = 0;
    let hi = keys.length;
    const start = from - n.maxSpan;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys.get(mid) < start) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < keys.length && keys.get(i) <= to; i++) {
      const slot = n.dobOrder.get(i);
      if (n.dobTo.get(slot) >= from) out.push(slot);
    }
    return out;
  }

  private forenamesStartWith(n: number, prefixKey: string): boolean {
    return prefixKey === '' || this.s.names.forenames.get(n)!.startsWith(prefixKey);
  }

  S01(p: ParamsOf<'S01'>): Set<number> {
    const fk = nameMatchKey(p.forenames ?? null);
    return this.peopleByNames(this.s.names.bySurname.get(nameMatchKey(p.surname)), (n) => this.forenamesStartWith(n, fk));
  }

  S02(p: ParamsOf<'S02'>): Set<number> {
    const initial = p.forenameInitial === undefined ? '' : nameMatchKey(p.forenameInitial);
    const sx = soundex(p.surname);
    if (sx === null) return new Set();
    return this.peopleByNames(this.s.names.bySoundex.get(sx), (n) => initial === '' || this.s.names.forenames.get(n)!.startsWith(initial));
  }

  S03(p: ParamsOf<'S03'>): Set<number> {
    const re = surnamePattern(p.pattern);
    const n = this.s.names;
    const out = new Set<number>();
    for (const [surname, slots] of n.bySurname.entries()) {
      if (!re.test(surname)) continue;
      for (const slot of slots) {
        const person = n.person.get(slot);
        if (n.alias.get(slot) === -1 && this.personOk(person)) out.add(person);
      }
    }
    return out;
  }

  S04(p: ParamsOf<'S04'>): Set<number> {
    const d = parseCrimintDob(p.dob);
    const r = 'error' in d ? null : dobRange(d);
    if (!r) return new Set();
    return this.peopleByNames(this.namesWithDobIn(r[0], r[1]), () => true);
  }

  S05(p: ParamsOf<'S05'>): Set<number> {
    const on = isoToInt(p.onDate);
    const y = Math.floor(on / 10000);
    const md = on % 10000;
    // age on `on` ∈ [min, max]  ⇔  dob ∈ (anniversary(on, max + 1), anniversary(on, min)]  (tuple order)
    const latest = (y - p.minAge) * 10000 + md;
    const earliestExclusive = (y - p.maxAge - 1) * 10000 + md;
    return this.peopleByNames(this.namesWithDobIn(earliestExclusive + 1, latest), () => true);
  }

  S06(p: ParamsOf<'S06'>): Set<number> {
    const sx = soundex(p.surname);
    if (sx === null) return new Set();
    const from = (p.birthYear - p.tolerance) * 10000 + 101;
    const to = (p.birthYear + p.tolerance) * 10000 + 1231;
    return this.peopleByNames(this.s.names.bySoundex.get(sx), (n) => this.dobOverlaps(n, from, to));
  }

  S07(p: ParamsOf<'S07'>): Set<number> {
    const q = normalisePostcodeQuery(p.postcode);
    const t = this.s.locations;
    const out = new Set<number>();
    if (!q) return out;
    if (q.kind === 'full') {
      for (const l of t.byPostcode.get(q.value)) if (this.locationOk(l)) out.add(l);
    } else {
      const district = q.kind === 'district' ? q.value : q.value.slice(0, q.value.indexOf(' '));
      for (const l of t.byDistrict.get(district)) {
        if (this.locationOk(l) && (q.kind === 'district' || t.postcode.get(l)!.startsWith(q.value))) out.add(l);
      }
    }
    return out;
  }

  S08(p: ParamsOf<'S08'>): Set<number> {
    const t = this.s.locations;
    const words = tokenise(p.street);
    // a blank town is not given
    const town = p.town === undefined ? null : fieldKey(p.town);
    const out = new Set<number>();
    for (const l of intersectSorted(words.map((w) => t.street.docsOf(w)))) {
      if (this.locationOk(l) && (town === null || t.town.get(l) === town)) out.add(l);
    }
    return out;
  }

  private vehiclesByVrm(vrm: string): number[] {
    const v = normaliseVrm(vrm);
    if (v === null) return [];
    return Array.from(this.s.objects.byVrm.get(v)).filter((o) => this.objectOk(o));
  }

  S09(p: ParamsOf<'S09'>): Set<number> {
    return new Set(this.vehiclesByVrm(p.vrm));
  }

  S10(p: ParamsOf<'S10'>): Set<number> {
    const re = vrmPattern(p.pattern);
    const out = new Set<number>();
    for (const [vrm, slots] of this.s.objects.byVrm.entries()) {
      if (!re.test(vrm)) continue;
      for (const o of slots) if (this.objectOk(o)) out.add(o);
    }
    return out;
  }

  S11(p: ParamsOf<'S11'>): Set<number> {
    const t = this.s.objects;
    const given: [PagedStrings, string, ReturnType<typeof t.byMake.get>][] = [];
    for (const [col, idx, v] of [[t.make, t.byMake, p.make], [t.model, t.byModel, p.model], [t.colour, t.byColour, p.colour]] as const) {
      const k = v === undefined ? null : fieldKey(v);
      if (k !== null) given.push([col, k, idx.get(k)]);
    }
    const out = new Set<number>();
    if (given.length === 0) return out;
    given.sort((a, b) => a[2].length - b[2].length);
    for (const o of given[0]![2]) {
      if (t.kind.get(o) === OBJECT_KIND.VEHICLE && this.objectOk(o) && given.every(([col, k]) => col.get(o) === k)) out.add(o);
    }
    return out;
  }

  S12(p: ParamsOf<'S12'>): Set<number> {
    const k = phoneSearchKey(p.number);
    return new Set(Array.from(this.s.objects.byPhone.get(k)).filter((o) => this.objectOk(o)));
  }

  S13(p: ParamsOf<'S13'>): Set<number> {
    const k = refKey(p.reference);
    const out = new Set<number>();
    if (k) for (const e of this.s.events.byRef.get(k)) if (this.eventOk(e)) out.add(e);
    return out;
  }

  S14(p: ParamsOf<'S14'>): Set<number> {
    const idx = this.s.events.narrative;
    const lists: ArrayLike<number>[] = [];
    const folded = foldAccents(p.words.toLowerCase()).toLowerCase();
    for (const m of folded.matchAll(/([\p{L}\p{N}]+)(\*)?/gu)) {
      lists.push(m[2] ? idx.docsWithPrefix(m[1]!) : idx.docsOf(m[1]!));
    }
    const phrase = tokenise(p.phrase ?? null);
    const phraseIds: number[] = [];
    for (const w of phrase) {
      const id = idx.tokenId(w);
      if (id === undefined) return new Set();
      phraseIds.push(id);
      lists.push(idx.docsOf(w));
    }
    const out = new Set<number>();
    for (const e of intersectSorted(lists)) {
      if (this.eventOk(e) && (phraseIds.length === 0 || idx.hasRun(e, phraseIds))) out.add(e);
    }
    return out;
  }

  S15(p: ParamsOf<'S15'>): Set<number> {
    const t = this.s.events;
    const from = isoToInt(p.from);
    const to = isoToInt(p.to);
    const borough = p.borough === undefined ? null : codeKey(p.borough); // blank: not given
    const out = new Set<number>();
    for (const code of new Set(p.codes.map((c) => codeKey(c)!))) {
      for (const e of t.byHo.get(code)) {
        const d = t.date.get(e);
        if (d >= from && d < to && (borough === null || t.borough.get(e) === borough) && this.eventOk(e)) out.add(e);
      }
    }
    return out;
  }

  S16(p: ParamsOf<'S16'>): Set<number> {
    const t = this.s.events;
    const from = isoToInt(p.from);
    const to = isoToInt(p.to);
    const sources = new Set(p.sources);
    const handling = new Set(p.handling);
    const out = new Set<number>();
    for (const e of t.byScheme.get(p.scheme)) {
      const d = t.date.get(e);
      if (d < from || d >= to || !this.eventOk(e)) continue;
      const [src, hdl] = t.grading.get(e)!.split('|') as [string, string];
      if (sources.has(src) && handling.has(hdl)) out.add(e);
    }
    return out;
  }

  /** S17 `nominal`: a legacy key (`12345` CRIS, otherwise CRIMINT `N0001234`) or an identity. */
  resolveNominal(nominal: string): number | undefined {
    const v = nominal.trim();
    const persons = this.s.persons;
    if (v.startsWith('CRIS:NOMINAL:')) return persons.byKey[0]!.get(v.slice(13));
    if (v.startsWith('CRIMINT:nominals.json:')) return persons.byKey[1]!.get(v.slice(22));
    return /^\d+$/.test(v) ? persons.byKey[0]!.get(v) ?? persons.byKey[1]!.get(v) : persons.byKey[1]!.get(v) ?? persons.byKey[0]!.get(v);
  }

  S17(p: ParamsOf<'S17'>): Set<number> {
    const out = new Set<number>();
    const person = this.resolveNominal(p.nominal);
    if (person === undefined || !this.personOk(person)) return out;
    const roles = p.roles && p.roles.length > 0 ? new Set(p.roles.map((r) => TARGET_ROLES.indexOf(r))) : null;
    this.s.eventPerson.reverse(person, (e, role) => {
      if ((roles === null || roles.has(role)) && this.eventOk(e) && this.personLinkOk(e, person, role)) out.add(e);
    });
    return out;
  }

  S18(p: ParamsOf<'S18'>): Set<number> {
    const out = new Set<number>();
    for (const o of this.vehiclesByVrm(p.vrm)) {
      if (this.s.objects.kind.get(o) !== OBJECT_KIND.VEHICLE) continue;
      this.s.eventObject.reverse(o, (e) => {
        if (!this.eventOk(e) || !this.objectLinkOk(e, o)) return;
        this.s.eventPerson.forward(e, (person, role) => {
          if (this.personOk(person) && this.personLinkOk(e, person, role)) out.add(person);
        });
      });
      this.s.personObject.reverse(o, (person) => {
        if (this.personOk(person)) out.add(person);
      });
    }
    return out;
  }

  /** Audit entries about an event reference in [from, to): regardless of the event's state. */
  S19(p: ParamsOf<'S19'>): Set<number> {
    const a = this.s.audit;
    const from = isoToInt(p.from);
    const to = isoToInt(p.to);
    const out = new Set<number>();
    for (const slot of a.byTarget.get(`E:${refKey(p.reference)}`)) {
      const d = a.date.get(slot);
      if (this.auditOk(slot) && d >= from && d < to) out.add(slot);
    }
    return out;
  }

  /**
   * S20: people matched by S01 (surname, forenames prefix) whose same name record's DOB overlaps
   * the given DOB, live or restricted; all their aliases; their events (live or restricted); the
   * locations and objects linked to them or to those events; the PRINT/DISCLOSE audit entries
   * about any of those people, events, CRIS addresses and CRIS vehicles.
   */
  S20(p: ParamsOf<'S20'>): Found {
    const f = emptyFound();
    const d = parseCrimintDob(p.dob);
    const r = 'error' in d ? null : dobRange(d);
    if (!r) return f;
    const fk = nameMatchKey(p.forenames);
    const names = this.s.names;
    f.persons = this.peopleByNames(names.bySurname.get(nameMatchKey(p.surname)), (n) => this.forenamesStartWith(n, fk) && this.dobOverlaps(n, r[0], r[1]));
    for (const person of f.persons) {
      const start = this.s.persons.nameStart.get(person);
      const count = this.s.persons.nameCount.get(person);
      for (let n = start; n < start + count; n++) if (names.alias.get(n) >= 0 && this.absent.names[n] !== 1) f.names.add(n);
      this.s.eventPerson.reverse(person, (e, role) => {
        if (this.eventOk(e) && this.personLinkOk(e, person, role)) f.events.add(e);
      });
      this.s.personLocation.forward(person, (l) => {
        if (this.locationOk(l)) f.locations.add(l);
      });
      this.s.personObject.forward(person, (o) => {
        if (this.objectOk(o)) f.objects.add(o);
      });
    }
    for (const e of f.events) {
      this.s.eventLocation.forward(e, (l) => {
        if (this.locationOk(l)) f.locations.add(l);
      });
      this.s.eventObject.forward(e, (o) => {
        if (this.objectOk(o) && this.objectLinkOk(e, o)) f.objects.add(o);
      });
    }
    const a = this.s.audit;
    const disclosures = (target: string) => {
      for (const slot of a.byTarget.get(target)) {
        const act = a.action.get(slot);
        if (this.auditOk(slot) && (act === ACTION.PRINT || act === ACTION.DISCLOSE)) f.audit.add(slot);
      }
    };
    for (const person of f.persons) disclosures(`P:${this.s.persons.ent.get(person)}:${this.s.persons.key(person)}`);
    for (const e of f.events) disclosures(`E:${refKey(this.s.events.key(e))}`);
    for (const l of f.locations) if (this.s.locations.ent.get(l) === ENT.CRIS_ADDRESS) disclosures(`L:${ENT.CRIS_ADDRESS}:${this.s.locations.key(l)}`);
    for (const o of f.objects) if (this.s.objects.ent.get(o) === ENT.CRIS_VEHICLE) disclosures(`O:${ENT.CRIS_VEHICLE}:${this.s.objects.key(o)}`);
    return f;
  }
}
