// The s.45(2) information of a subject-access response (DPA 2018 Part 3):
//   (a) purposes of and legal basis for the processing; (b) categories of personal data;
//   (c) recipients (from the disclosure audit); (d) how long it is kept (MoPI group and review
//   date); (e) the rights to rectification (s.46) and erasure or restriction (s.47);
//   (f) the right to complain to the Information Commissioner, with contact details;
//   (g) where the data came from (legacy system and reference, via migration.lineage).

import type { DisclosureRow, S45Information, SarEvent, SarPerson, SarRecords } from './sar-document.ts';

export type { S45Information } from './sar-document.ts';

export const SYSTEM_NAMES: Record<string, string> = {
  CRIS: 'CRIS (Crime Reporting Information System)',
  CRIMINT: 'CRIMINT (criminal intelligence system)',
};

export const MOPI_GROUPS: Record<number, string> = {
  1: 'Group 1 — certain public protection matters: kept until you are deemed to have reached 100 years of age, reviewed at least every 10 years',
  2: 'Group 2 — other sexual, violent or serious offences: kept while you are assessed as a risk, reviewed at least every 10 years',
  3: 'Group 3 — all other offences and information: reviewed after a 6-year clearance period and deleted unless there is a reason to keep it',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function buildS45(records: SarRecords, disclosures: DisclosureRow[], today: string): S45Information {
  return {
    purposesAndLegalBasis: purposesAndLegalBasis(records.persons.some(hasEthnicity)),
    categoriesOfData: categoriesOfData(records, disclosures),
    recipients: recipients(disclosures),
    retention: retention(records.events, today),
    rights: rights(),
    origin: origin(records),
  };
}

const hasEthnicity = (p: SarPerson) => p.ethnicity !== null;

/** (a) */
function purposesAndLegalBasis(ethnicOrigin: boolean): S45Information['purposesAndLegalBasis'] {
  return {
    purposes:
      'Law enforcement purposes (DPA 2018 s.31): the prevention, investigation, detection or prosecution of criminal offences or the execution of criminal penalties, including safeguarding against and the prevention of threats to public security.',
    legalBasis:
      'Processing by a competent authority under Part 3 of the Data Protection Act 2018, lawful under s.35(2)(b) because it is necessary for the performance of a task carried out for a law enforcement purpose.',
    sensitiveProcessing: ethnicOrigin
      ? 'Your ethnic origin is processed as sensitive processing under s.35(5), where strictly necessary for a law enforcement purpose and meeting a condition of Schedule 8.'
      : null,
  };
}

/** (b): each category, in this order, with the number of records it covers; one that covers none is left out. */
const CATEGORIES: ReadonlyArray<{ category: string; description: string; count: (r: SarRecords, disclosures: DisclosureRow[]) => number }> = [
  { category: 'Identity', description: 'name, date of birth and sex', count: (r) => r.persons.length },
  { category: 'Other names', description: 'other names and dates of birth recorded for you (aliases)', count: (r) => r.otherNames.length },
  { category: 'Ethnic origin', description: 'ethnic appearance code (PNC IC code): sensitive processing under DPA 2018 s.35(8)', count: (r) => r.persons.filter(hasEthnicity).length },
  { category: 'Identification numbers', description: 'Police National Computer (PNC) ID and Criminal Records Office (CRO) number', count: (r) => r.persons.filter((p) => p.pnc_id || p.cro_no).length },
  { category: 'Addresses', description: 'addresses recorded as yours or linked to events about you', count: (r) => r.locations.length },
  { category: 'Vehicles', description: 'vehicles linked to you or to events about you', count: (r) => r.objects.filter((o) => o.kind === 'vehicle').length },
  { category: 'Telephone numbers', description: 'telephone numbers linked to you or to events about you', count: (r) => r.objects.filter((o) => o.kind === 'telephone').length },
  { category: 'Crime reports', description: 'crime reports in which you are recorded (your role is shown), with their narrative', count: (r) => r.events.filter((e) => e.kind === 'crime').length },
  { category: 'Intelligence reports', description: 'intelligence reports in which you are recorded, with their grading and text', count: (r) => r.events.filter((e) => e.kind === 'intelligence').length },
  { category: 'Disclosure records', description: 'records of information about you disclosed to others', count: (_, disclosures) => disclosures.length },
];

function categoriesOfData(records: SarRecords, disclosures: DisclosureRow[]): S45Information['categoriesOfData'] {
  return CATEGORIES.map((c) => ({ category: c.category, description: c.description, records: c.count(records, disclosures) })).filter((c) => c.records > 0);
}

/** (c): disclosures per recipient (blank ones together), with the first and last, by recipient name. */
function recipients(disclosures: DisclosureRow[]): S45Information['recipients'] {
  const byRecipient = new Map<string, { n: number; first: string; last: string }>();
  for (const d of disclosures) {
    const who = d.recipient !== null && d.recipient.trim() !== '' ? d.recipient.trim() : '(recipient not recorded)';
    const at = d.occurred_at.toISOString();
    const r = byRecipient.get(who);
    if (!r) byRecipient.set(who, { n: 1, first: at, last: at });
    else {
      r.n++;
      if (at < r.first) r.first = at;
      if (at > r.last) r.last = at;
    }
  }
  return [...byRecipient].map(([recipient, r]) => ({ recipient, disclosures: r.n, first: r.first, last: r.last })).sort((a, b) => a.recipient.localeCompare(b.recipient));
}

/** (d): the MoPI group and review date of each report; a review date before today is overdue. */
function retention(events: SarEvent[], today: string): S45Information['retention'] {
  return {
    policy:
      'Police information is kept and reviewed under the Management of Police Information (MoPI) guidance. Each record belongs to a MoPI group that sets how it is reviewed; at each review it is deleted unless it is still needed for a policing purpose.',
    records: events.map((e) => {
      const g = e.mopi_group;
      const due = e.review_due;
      return {
        reference: e.reference, kind: e.kind, mopiGroup: g,
        group: g !== null && MOPI_GROUPS[g] ? MOPI_GROUPS[g]! : 'MoPI group not recorded',
        reviewDue: due, reviewOverdue: due !== null && due < today,
      };
    }),
  };
}

/** (e), (f) */
function rights(): S45Information['rights'] {
  return {
    rectification: 'You have the right to ask us to correct personal data about you that is inaccurate, and to complete data that is incomplete (DPA 2018 s.46).',
    erasureAndRestriction:
      'You have the right to ask us to erase personal data about you, or to restrict its processing, where its processing infringes the data protection principles or we are under a legal obligation to erase it; where accuracy is contested, processing may be restricted instead of erased (DPA 2018 s.47).',
    complaint: {
      text: 'You have the right to complain to the Information Commissioner about how we process your personal data (DPA 2018 s.45(2)(f), s.165).',
      commissioner: {
        name: "Information Commissioner's Office",
        address: 'Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF',
        telephone: '0303 123 1113',
        website: 'ico.org.uk/make-a-complaint',
      },
    },
  };
}

/** The record type each list of records is named by in (g), in this order. */
const RECORD_TYPES: ReadonlyArray<[recordType: string, list: keyof SarRecords]> = [
  ['person', 'persons'], ['other name', 'otherNames'], ['event', 'events'], ['location', 'locations'], ['object', 'objects'],
];

/** (g): every record with a legacy origin, by record type. */
function origin(records: SarRecords): S45Information['origin'] {
  const list: S45Information['origin']['records'] = [];
  for (const [recordType, key] of RECORD_TYPES) {
    for (const r of records[key]) {
      if (!r.source) continue;
      list.push({
        recordType, id: r.id, sourceSystem: r.source.sourceSystem, sourceSystemName: SYSTEM_NAMES[r.source.sourceSystem] ?? r.source.sourceSystem,
        sourceEntity: r.source.sourceEntity, legacyReference: r.source.legacyReference,
      });
    }
  }
  const systems = [...new Set(list.map((o) => o.sourceSystemName))];
  return {
    summary: list.length
      ? `The data was migrated from ${systems.join(' and ')}: ${plural(list.length, 'record')}, each with its legacy reference below.`
      : 'No record with a legacy origin was found.',
    records: list,
  };
}
