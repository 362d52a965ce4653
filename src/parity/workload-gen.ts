// Generated workload: for each capability at least `perCapability` queries, made deterministically
// (seeded) from the values sampled while the oracle streamed the legacy data, hard cases first:
// Soundex misspellings, aliases (with and without DOB), partial DOBs on both sides, accents and
// apostrophes, SE1 vs SE10, sectors, wildcard VRMs, phone forms, 4-digit-year CRIS numbers,
// hyphenated words, restricted records (S01/S02/S13 must not find them, S20 must), legacy-deleted
// records (never found).
import { CAPABILITY_IDS, type CapabilityId, type Query } from './types.ts';
import { validateParams } from './catalog.ts';
import { mulberry32 } from './compact.ts';
import { intToIso, isoToInt } from './keys.ts';
import type { Oracle } from './oracle.ts';
import type { PersonSample } from './sampler.ts';
import { nameMatchKey, soundex } from '../transform/names.ts';
import { foldAccents } from '../transform/text.ts';
import { normalisePostcode } from '../transform/postcode.ts';
import { parseIdentity, ENT } from './oracle-store.ts';

export interface GenerateOptions {
  /** Queries per capability (default 50). */
  perCapability?: number;
  /** Identities the target flags restricted (from the runner): hard cases for S01/S02/S13/S20. */
  restricted?: Set<string>;
  capabilities?: readonly CapabilityId[];
  seed?: number;
}

type P = Record<string, unknown>;

class Bucket {
  readonly queries: Query[] = [];
  private seen = new Set<string>();
  private perNote = new Map<string, number>();
  constructor(
    readonly capability: CapabilityId,
    readonly target: number,
  ) {}
  get full(): boolean {
    return this.queries.length >= this.target;
  }
  /** Add a query if valid and new; `cap` limits how many of one note are taken. */
  add(params: P, note: string, cap = Infinity): void {
    if (this.full || (this.perNote.get(note) ?? 0) >= cap) return;
    const v = validateParams(this.capability, params);
    if (!v.ok) return;
    const key = JSON.stringify(v.params);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.perNote.set(note, (this.perNote.get(note) ?? 0) + 1);
    this.queries.push({ capability: this.capability, params: v.params as P, origin: 'generated', note });
  }
}

export function generateWorkload(oracle: Oracle, opts: GenerateOptions = {}): { queries: Query[]; shortfall: { capability: CapabilityId; generated: number }[] } {
  const n = opts.perCapability ?? 50;
  const rng = mulberry32((opts.seed ?? 20240601) ^ 0x5eed);
  const g = new Gen(oracle, rng, opts.restricted ?? new Set(), n);
  const queries: Query[] = [];
  const shortfall: { capability: CapabilityId; generated: number }[] = [];
  for (const c of opts.capabilities ?? CAPABILITY_IDS) {
    const b = new Bucket(c, n);
    g.fill(b);
    queries.push(...b.queries);
    if (b.queries.length < n) shortfall.push({ capability: c, generated: b.queries.length });
  }
  return { queries, shortfall };
}

// ---- value variants ----

const stripPunct = (s: string) => s.replace(/['’\-\s]+/g, '');
const fold = (s: string) => foldAccents(s);

/** A misspelling with the same Soundex key and a different name key, or null. */
export function soundexMisspelling(surname: string): string | null {
  const key = soundex(surname);
  if (key === null) return null;
  const base = fold(surname).toUpperCase().replace(/[^A-Z]/g, '');
  const swaps: Record<string, string> = { A: 'E', E: 'A', I: 'Y', Y: 'I', O: 'U', U: 'O' };
  const tries: string[] = [];
  for (let i = 1; i < base.length; i++) {
    const c = base[i]!;
    if (swaps[c]) tries.push(base.slice(0, i) + swaps[c] + base.slice(i + 1));
    if (c === base[i - 1]) tries.push(base.slice(0, i) + base.slice(i + 1)); // drop a doubled letter
  }
  tries.push(base + 'E', base.length > 1 ? base.slice(0, 1) + base.slice(1).replace(/[AEIOUY]/, '') : base);
  for (const t of tries) if (t !== base && t.length > 0 && soundex(t) === key && nameMatchKey(t) !== nameMatchKey(surname)) return cap(t);
  return null;
}

const cap = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** Age in whole years on `on` of someone born on `dob` (both yyyymmdd). */
function ageOn(dob: number, on: number): number {
  return Math.floor(on / 10000) - Math.floor(dob / 10000) - (on % 10000 < dob % 10000 ? 1 : 0);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Phone number forms: national `0…`, `+44 …`, `0044 …`, spaced national. */
export function phoneForms(raw: string): { note: string; number: string }[] {
  let d = raw.replace(/[^0-9]/g, '');
  if (d.startsWith('0044')) d = '0' + d.slice(4);
  else if (d.startsWith('44')) d = '0' + d.slice(2);
  if (!d.startsWith('0') || d.length < 6) return [{ note: 'phone-as-recorded', number: raw }];
  const nsn = d.slice(1);
  return [
    { note: 'phone-as-recorded', number: raw },
    { note: 'phone-0', number: `0${nsn.slice(0, 4)} ${nsn.slice(4)}` },
    { note: 'phone-+44', number: `+44 ${nsn.slice(0, 4)} ${nsn.slice(4)}` },
    { note: 'phone-0044', number: `0044${nsn}` },
  ];
}

/** CRIS number forms: as recorded, 4-digit year, no leading zeros. */
export function referenceForms(ref: string): { note: string; reference: string }[] {
  const m = /^(\d+)\/(\d{2})$/.exec(ref.trim());
  if (!m) return [{ note: 'urn', reference: ref }, { note: 'urn-lower-case', reference: ref.toLowerCase() }];
  const yy = Number(m[2]);
  const yyyy = String(yy >= 70 ? 1900 + yy : 2000 + yy);
  return [
    { note: 'cris-number', reference: ref },
    { note: 'cris-4-digit-year', reference: `${m[1]}/${yyyy}` },
    { note: 'cris-no-leading-zeros', reference: `${Number(m[1])}/${m[2]}` },
  ];
}

function vrmForms(vrm: string): { note: string; vrm: string }[] {
  const c = vrm.replace(/\s+/g, '').toUpperCase();
  const spaced = c.length > 4 ? `${c.slice(0, c.length - 3)} ${c.slice(-3)}` : c;
  return [
    { note: 'vrm-as-recorded', vrm },
    { note: 'vrm-lower-case', vrm: c.toLowerCase() },
    { note: 'vrm-spaced', vrm: spaced },
  ];
}

class Gen {
  private readonly s;
  constructor(
    private readonly oracle: Oracle,
    private readonly rng: () => number,
    private readonly restricted: Set<string>,
    private readonly n: number,
  ) {
    this.s = oracle.sampler;
  }

  private pick<T>(items: T[]): T | undefined {
    return items.length ? items[Math.floor(this.rng() * items.length)] : undefined;
  }
  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }
  /** Up to `share` of the bucket per hard-case note. */
  private get hardCap(): number {
    return Math.max(2, Math.ceil(this.n / 8));
  }

  /** Restricted people as search input (their name-match keys and DOB). */
  private restrictedPeople(): { surname: string; forenames: string; dob: string }[] {
    const out: { surname: string; forenames: string; dob: string }[] = [];
    for (const id of [...this.restricted].sort()) {
      const slot = this.oracle.personSlot(id);
      if (slot === undefined || !this.oracle.store.personLive(slot)) continue;
      const p = this.oracle.personSearchInput(slot);
      if (p) out.push(p);
      if (out.length >= 20) break;
    }
    return out;
  }

  private restrictedEvents(): string[] {
    const out: string[] = [];
    for (const id of [...this.restricted].sort()) {
      const r = parseIdentity(id);
      if (r && (r.ent === ENT.CRIS_CRIME || r.ent === ENT.CRIMINT_INTEL)) out.push(r.key);
      if (out.length >= 20) break;
    }
    return out;
  }

  /** Name variants that name matching must absorb. */
  private nameForms(surname: string): { note: string; surname: string }[] {
    const out = [{ note: 'name-as-recorded', surname }];
    if (/['’\-\s]/.test(surname.trim())) out.push({ note: 'apostrophe-hyphen-blank', surname: cap(stripPunct(surname)) });
    if (fold(surname) !== surname) out.push({ note: 'accents', surname: fold(surname) });
    out.push({ note: 'case', surname: surname.toLowerCase() });
    return out;
  }

  private people(): PersonSample[] {
    return this.s.persons.items;
  }

  fill(b: Bucket): void {
    const fn = (this as unknown as Record<string, (b: Bucket) => void>)[b.capability]!;
    // two passes over the samples: the first takes hard cases, the second fills up
    fn.call(this, b);
    for (let i = 0; i < 4 && !b.full; i++) fn.call(this, b);
  }

  S01(b: Bucket): void {
    const h = this.hardCap;
    for (const r of this.restrictedPeople()) b.add({ surname: r.surname, forenames: r.forenames.slice(0, 3) }, 'restricted', h);
    for (const d of this.s.deletedPersons.items) b.add({ surname: d.surname }, 'deleted', h);
    for (const p of this.s.hardNames.items) for (const f of this.nameForms(p.surname).slice(1)) b.add({ surname: f.surname }, f.note, h);
    for (const a of this.s.aliases.items) b.add({ surname: a.surname, forenames: a.forenames }, 'alias', h);
    for (const p of this.people()) {
      const f = this.pick(this.nameForms(p.surname))!;
      const fore = p.forenames.trim();
      const mode = this.int(0, 2);
      b.add(mode === 0 || !fore ? { surname: f.surname } : { surname: f.surname, forenames: mode === 1 ? fore.split(/\s+/)[0] : fold(fore.slice(0, 2)) }, f.note);
    }
  }

  S02(b: Bucket): void {
    const h = this.hardCap;
    for (const r of this.restrictedPeople()) b.add({ surname: r.surname }, 'restricted', h);
    for (const d of this.s.deletedPersons.items) b.add({ surname: d.surname }, 'deleted', h);
    for (const p of [...this.s.hardNames.items, ...this.people()]) {
      const m = soundexMisspelling(p.surname);
      if (m) b.add({ surname: m }, 'soundex-misspelling', h * 2);
    }
    for (const a of this.s.aliases.items) b.add({ surname: a.surname }, 'alias', h);
    for (const p of this.people()) {
      const initial = fold(p.forenames.trim()).charAt(0);
      b.add(this.rng() < 0.5 && /[A-Za-z]/.test(initial) ? { surname: p.surname, forenameInitial: initial } : { surname: p.surname }, 'phonetic');
    }
  }

  S03(b: Bucket): void {
    const h = this.hardCap;
    for (const p of this.s.hardNames.items) b.add({ pattern: `${p.surname.slice(0, Math.max(2, Math.ceil(p.surname.length / 2)))}*` }, 'wildcard-punctuated-name', h);
    for (const a of this.s.aliases.items) b.add({ pattern: `${a.surname.slice(0, 3)}*` }, 'alias-not-searched', h);
    for (const p of this.people()) {
      const k = nameMatchKey(p.surname);
      if (k.length < 3) continue;
      const mode = this.int(0, 2);
      const i = this.int(1, k.length - 1);
      const pattern = mode === 0 ? `${k.slice(0, Math.max(3, k.length - 2))}*` : mode === 1 ? k.slice(0, i) + '?' + k.slice(i + 1) : `*${k.slice(-3)}`;
      b.add({ pattern }, mode === 2 ? 'wildcard-leading' : 'wildcard');
    }
  }

  S04(b: Bucket): void {
    const h = this.hardCap;
    for (const p of this.s.partialDobs.items) {
      b.add({ dob: p.dob }, 'partial-dob-legacy', h);
      const [, mm, yyyy] = p.dob.split('/');
      b.add({ dob: `15/${mm === '00' ? '07' : mm}/${yyyy}` }, 'full-input-partial-legacy', h);
    }
    for (const a of this.s.aliases.items) if (a.ownDob) b.add({ dob: a.ownDob }, 'alias', h);
    for (const d of this.s.deletedPersons.items) if (d.dob) b.add({ dob: d.dob }, 'deleted', h);
    for (const p of this.people()) {
      if (!p.dob) continue;
      const [, mm, yyyy] = p.dob.split('/');
      const mode = this.int(0, 3);
      b.add({ dob: mode <= 1 ? p.dob : mode === 2 ? `00/${mm}/${yyyy}` : `00/00/${yyyy}` }, mode <= 1 ? 'dob' : 'partial-dob-input');
    }
  }

  S05(b: Bucket): void {
    const h = this.hardCap;
    for (const p of [...this.s.partialDobs.items, ...this.people()]) {
      if (!p.dob) continue;
      const partial = p.dob.startsWith('00');
      const [dd, mm, yyyy] = p.dob.split('/');
      const dob = Number(yyyy) * 10000 + Number(mm === '00' ? '01' : mm) * 100 + Number(dd === '00' ? '01' : dd);
      const on = isoToInt(addDays('2015-01-01', this.int(0, 3650)));
      const age = ageOn(dob, on);
      if (age < 0) continue;
      const min = Math.max(0, age - this.int(0, 1));
      b.add({ minAge: min, maxAge: min + this.int(0, 2), onDate: intToIso(on) }, partial ? 'partial-dob-legacy' : 'age-range', partial ? h * 2 : Infinity);
    }
  }

  S06(b: Bucket): void {
    const h = this.hardCap;
    for (const p of [...this.s.partialDobs.items, ...this.people()]) {
      if (!p.dob) continue;
      const y = Number(p.dob.slice(-4));
      const m = this.rng() < 0.3 ? soundexMisspelling(p.surname) : null;
      const note = m ? 'soundex-misspelling' : p.dob.startsWith('00') ? 'partial-dob-legacy' : 'name-year';
      b.add({ surname: m ?? p.surname, birthYear: y + this.int(-2, 2), tolerance: this.int(0, 5) }, note, note === 'name-year' ? Infinity : h * 2);
    }
  }

  S07(b: Bucket): void {
    const h = this.hardCap;
    // districts that are a prefix of another district (SE1 vs SE10)
    const districts = [...this.oracle.store.locations.byDistrict.keys()].sort();
    const all = new Set(districts);
    for (const d of districts) if ([...'0123456789'].some((x) => all.has(d + x))) b.add({ postcode: d }, 'district-vs-longer', h * 2);
    for (const l of this.s.locations.items) {
      const pc = normalisePostcode(l.postcode);
      if (!pc) continue;
      const [out, inw] = pc.split(' ') as [string, string];
      b.add({ postcode: `${out} ${inw[0]}` }, 'sector', h);
      b.add({ postcode: pc.replace(' ', '').toLowerCase() }, 'postcode-case-space', h);
    }
    for (const l of this.s.locations.items) {
      const pc = normalisePostcode(l.postcode);
      if (!pc) continue;
      const mode = this.int(0, 2);
      b.add({ postcode: mode === 0 ? l.postcode : mode === 1 ? pc : pc.split(' ')[0] }, mode === 2 ? 'district' : 'full');
    }
  }

  S08(b: Bucket): void {
    const h = this.hardCap;
    for (const l of this.s.locations.items) {
      if (/\p{L}-\p{L}/u.test(l.street)) b.add({ street: l.street.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/u)![0] }, 'hyphenated', h);
      if (/[^\x00-\x7f]/.test(l.street)) b.add({ street: fold(l.street) }, 'accents', h);
    }
    for (const l of this.s.locations.items) {
      const words = l.street.match(/[\p{L}\p{N}]+/gu) ?? [];
      if (words.length === 0) continue;
      const street = this.rng() < 0.5 ? words.join(' ') : this.pick(words.filter((w) => w.length > 2)) ?? words[0]!;
      b.add(this.rng() < 0.4 && l.town.trim() ? { street, town: ` ${l.town.toUpperCase()} ` } : { street }, 'street');
    }
  }

  S09(b: Bucket): void {
    for (const v of [...this.s.vehicleLinks.items.map((vrm) => ({ vrm })), ...this.s.vehicles.items]) {
      if (!v.vrm.trim()) continue;
      const f = this.pick(vrmForms(v.vrm))!;
      b.add({ vrm: f.vrm }, f.note);
    }
  }

  S10(b: Bucket): void {
    for (const v of this.s.vehicles.items) {
      const c = v.vrm.replace(/\s+/g, '').toUpperCase();
      if (c.length < 4) continue;
      const mode = this.int(0, 3);
      const i = this.int(0, c.length - 1);
      const pattern = mode === 0 ? `${c.slice(0, 4)}*` : mode === 1 ? c.slice(0, i) + '?' + c.slice(i + 1) : mode === 2 ? `*${c.slice(-3)}` : `${c.slice(0, 2)}?${c.slice(3, 5)}*`;
      b.add({ pattern: this.rng() < 0.3 ? pattern.toLowerCase() : pattern }, ['wildcard-prefix', 'wildcard-one', 'wildcard-suffix', 'wildcard-mixed'][mode]!);
    }
  }

  S11(b: Bucket): void {
    for (const v of this.s.vehicles.items) {
      const mode = this.int(0, 3);
      const up = (s: string) => (this.rng() < 0.3 ? ` ${s.toUpperCase()} ` : s);
      const p: P = mode === 0 ? { make: up(v.make) } : mode === 1 ? { make: up(v.make), model: v.model } : mode === 2 ? { colour: up(v.colour) } : { make: v.make, colour: v.colour };
      for (const k of Object.keys(p)) if (typeof p[k] !== 'string' || !(p[k] as string).trim()) delete p[k];
      b.add(p, 'description');
    }
  }

  S12(b: Bucket): void {
    for (const ph of this.s.phones.items) {
      const forms = phoneForms(ph);
      const f = this.pick(forms)!;
      b.add({ number: f.number }, f.note);
    }
  }

  S13(b: Bucket): void {
    const h = this.hardCap;
    for (const r of this.restrictedEvents()) b.add({ reference: r }, 'restricted', h);
    for (const d of this.s.deletedEvents.items) b.add({ reference: d }, 'deleted', h);
    for (const c of [...this.s.crimes.items.map((c) => c.ref), ...this.s.intel.items.map((i) => i.ref)]) {
      const f = this.pick(referenceForms(c))!;
      b.add({ reference: f.reference }, f.note);
    }
  }

  S14(b: Bucket): void {
    const h = this.hardCap;
    for (const s of this.s.hyphenated.items) for (const w of s.hyphenated) b.add({ words: w }, 'hyphenated', h);
    for (const s of this.s.accented.items) for (const w of s.accented) b.add({ words: this.rng() < 0.5 ? w : fold(w) }, 'accents', h);
    for (const s of this.s.narratives.items) {
      const long = s.tokens.filter((t) => t.length >= 4);
      const mode = this.int(0, 3);
      if (mode === 0 && long.length) b.add({ words: this.pick(long)! }, 'word');
      else if (mode === 1 && long.length >= 2) b.add({ words: `${this.pick(long)} ${this.pick(long)}` }, 'words');
      else if (mode === 2 && long.length) b.add({ words: `${this.pick(long)!.slice(0, 4)}*` }, 'prefix');
      else if (s.tokens.length >= 3) {
        const i = this.int(0, s.tokens.length - 3);
        const len = this.int(2, 3);
        const phrase = s.tokens.slice(i, i + len).join(' ');
        b.add({ words: s.tokens[i]!, phrase }, 'phrase');
      }
    }
  }

  S15(b: Bucket): void {
    const crimes = this.s.crimes.items.filter((c) => c.date > 0 && c.ho.trim());
    for (const c of crimes) {
      const iso = intToIso(c.date);
      const codes = [c.ho];
      if (this.rng() < 0.3) {
        const other = this.pick(crimes);
        if (other && other.ho !== c.ho) codes.push(other.ho);
      }
      const mode = this.int(0, 2);
      const from = mode === 0 ? iso : addDays(iso, -this.int(0, 60));
      const to = mode === 1 ? addDays(iso, 1) : addDays(iso, this.int(1, 120));
      b.add(this.rng() < 0.4 && c.borough.trim() ? { codes, from, to, borough: c.borough } : { codes, from, to }, mode === 0 ? 'from-boundary' : 'period');
    }
  }

  S16(b: Bucket): void {
    const schemes: Record<string, [string[], string[]]> = { '5x5x5': [['A', 'B', 'C', 'D', 'E'], ['1', '2', '3', '4', '5']], '3x5x2': [['1', '2', '3'], ['P', 'C']] };
    for (const r of this.s.intel.items) {
      if (!schemes[r.scheme] || r.date === 0) continue;
      const [srcs, hdls] = schemes[r.scheme]!;
      const sources = [r.source, ...(this.rng() < 0.3 ? [this.pick(srcs)!] : [])];
      const handling = [r.handling, ...(this.rng() < 0.3 ? [this.pick(hdls)!] : [])];
      const iso = intToIso(r.date);
      b.add({ scheme: r.scheme, sources: [...new Set(sources)], handling: [...new Set(handling)], from: addDays(iso, -this.int(0, 180)), to: addDays(iso, this.int(1, 180)) }, `grading-${r.scheme}`);
    }
  }

  S17(b: Bucket): void {
    const h = this.hardCap;
    for (const id of [...this.restricted].sort()) {
      const r = parseIdentity(id);
      if (r && (r.ent === ENT.CRIS_NOMINAL || r.ent === ENT.CRIMINT_NOMINAL)) b.add({ nominal: r.key }, 'restricted', h);
    }
    for (const l of this.s.personLinks.items) {
      const mode = this.int(0, 2);
      b.add(mode === 0 ? { nominal: l.nominal } : mode === 1 ? { nominal: l.nominal, roles: [l.role] } : { nominal: l.nominal, roles: [l.role.toLowerCase()] }, mode === 0 ? 'all-roles' : 'role');
    }
  }

  S18(b: Bucket): void {
    for (const v of this.s.vehicleLinks.items) {
      const f = this.pick(vrmForms(v))!;
      b.add({ vrm: f.vrm }, 'linked-vehicle');
    }
    for (const v of this.s.vehicles.items) if (v.vrm.trim()) b.add({ vrm: v.vrm }, 'vehicle');
  }

  S19(b: Bucket): void {
    const h = this.hardCap;
    for (const a of this.s.auditNoLiveEvent.items) b.add({ reference: a.ref, from: addDays(intToIso(a.date), -this.int(0, 30)), to: addDays(intToIso(a.date), this.int(1, 30)) }, 'deleted-event', h);
    for (const r of this.restrictedEvents()) b.add({ reference: r, from: '1900-01-01', to: '2100-01-01' }, 'restricted-event', h);
    for (const a of this.s.auditEvents.items) {
      if (a.date === 0) continue;
      const iso = intToIso(a.date);
      const f = this.pick(referenceForms(a.ref))!;
      const mode = this.int(0, 2);
      b.add({ reference: f.reference, from: mode === 0 ? iso : addDays(iso, -this.int(1, 365)), to: mode === 1 ? iso : addDays(iso, this.int(1, 365)) }, mode === 1 ? 'to-exclusive' : f.note);
    }
  }

  S20(b: Bucket): void {
    const h = this.hardCap;
    for (const r of this.restrictedPeople()) if (r.dob && r.forenames) b.add({ surname: r.surname, forenames: r.forenames, dob: r.dob }, 'restricted', h);
    for (const d of this.s.deletedPersons.items) if (d.dob && d.forenames.trim()) b.add({ surname: d.surname, forenames: d.forenames, dob: d.dob }, 'deleted', h);
    for (const a of this.s.aliasesNoDob.items) if (a.dob && a.forenames.trim()) b.add({ surname: a.surname, forenames: a.forenames, dob: a.dob }, 'alias-no-dob', h);
    for (const a of this.s.aliases.items) if (a.dob && a.forenames.trim()) b.add({ surname: a.surname, forenames: a.forenames.split(/\s+/)[0], dob: a.dob }, 'alias', h);
    for (const p of this.s.partialDobs.items) if (p.forenames.trim()) b.add({ surname: p.surname, forenames: p.forenames, dob: p.dob }, 'partial-dob-legacy', h);
    for (const p of [...this.s.hardNames.items, ...this.s.sarCandidates.items]) {
      if (!p.dob || !p.forenames.trim()) continue;
      const f = this.pick(this.nameForms(p.surname))!;
      b.add({ surname: f.surname, forenames: this.rng() < 0.5 ? p.forenames : p.forenames.split(/\s+/)[0], dob: p.dob }, f.note === 'name-as-recorded' ? 'sar' : f.note);
    }
  }
}
