// sar.html: one self-contained, printable page (inline CSS with print styles, no scripts, no
// external resources of any kind). Every value goes through esc().
import type { DisclosureRow, OtherNameRow, SarDocument, SarEvent, SarLocation, SarObject, SarPerson, SarSource } from './sar-document.ts';
import { SYSTEM_NAMES } from './sar-info.ts';
// the report's escaping: besides the five characters, controls made visible and bidi overrides
// named, so a hostile legacy name or narrative cannot reorder the printed text around it
import { esc } from '../report/html-util.ts';

/** What a cell shows: a column's value (text, number, boolean, timestamp, list) or nothing. */
type CellValue = string | number | boolean | Date | readonly string[] | null | undefined;


/** A cell value: dates as ISO/local text, arrays joined, null as a dash. */
function val(v: CellValue): string {
  if (v === null || v === undefined || v === '') return '<span class="none">—</span>';
  if (v instanceof Date) return esc(v.toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z'));
  if (Array.isArray(v)) return v.length ? v.map(esc).join('<br>') : '<span class="none">—</span>';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return esc(v);
}

function dob(r: Pick<OtherNameRow, 'date_of_birth' | 'dob_precision'>): string {
  const d = r.date_of_birth;
  if (!d) return val(null);
  switch (r.dob_precision) {
    case 'month': return `${esc(d.slice(0, 7))} (month known)`;
    case 'year': return `${esc(d.slice(0, 4))} (year known)`;
    default: return esc(d);
  }
}

function source(r: { source: SarSource | null }): string {
  const s = r.source;
  return s ? `${esc(s.sourceSystem)} ${esc(s.legacyReference)}` : val(null);
}

const restrictedBadge = (r: { restricted: boolean }) => (r.restricted ? ' <span class="badge">processing restricted</span>' : '');

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="none">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function dl(pairs: Array<[string, string]>): string {
  return `<dl>${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1d3b6a; color: #1d3b6a; margin: 2rem 0 .6rem; padding-bottom: .15rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.sub { color: #444; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
dl { display: grid; grid-template-columns: 13rem 1fr; gap: .15rem .8rem; margin: .3rem 0 .8rem; }
dt { font-weight: bold; color: #333; }
dd { margin: 0; }
.card { border: 1px solid #bbb; border-radius: 4px; padding: .6rem .9rem; margin: .7rem 0; break-inside: avoid; page-break-inside: avoid; }
.narrative { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; border-left: 3px solid #999; padding: .4rem .6rem; font-family: inherit; margin: .4rem 0 0; }
.badge { display: inline-block; font: bold .75em sans-serif; background: #8a1c1c; color: #fff; border-radius: 3px; padding: .05rem .35rem; vertical-align: middle; }
.none { color: #777; }
.box { border: 2px solid #1d3b6a; padding: .6rem .9rem; margin: 1rem 0; }
.overdue { color: #8a1c1c; font-weight: bold; }
footer { margin-top: 2.5rem; font-size: .85em; color: #555; border-top: 1px solid #bbb; padding-top: .5rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .card, dl { break-inside: avoid; page-break-inside: avoid; }
  .narrative { background: none; }
}`;

/** The page's sections, in order; each gives its parts (written one to a line). */
const SECTIONS: ReadonlyArray<(doc: SarDocument) => string[]> = [header, summary, records, purposes, categories, recipients, retention, rights, origin, footer];

export function renderSarHtml(doc: SarDocument): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>Subject access response ${esc(doc.sarId)}</title>
<style>${CSS}</style>
</head>
<body>
${SECTIONS.flatMap((section) => section(doc)).join('\n')}
</body>
</html>
`;
}

function header(doc: SarDocument): string[] {
  return [
    `<header><h1>Subject access response</h1><p class="sub">Data Protection Act 2018, Part 3 (law enforcement processing), section 45: right of access by the data subject</p></header>`,
    `<div class="box">${dl([
      ['Request: surname', esc(doc.request.surname)],
      ['Request: forenames', doc.request.forenames ? esc(doc.request.forenames) : val(null)],
      ['Request: date of birth', esc(doc.request.dob)],
      ['Response reference', esc(doc.sarId)],
      ['Produced', val(doc.generatedAt)],
    ])}</div>`,
  ];
}

function summary({ counts }: SarDocument): string[] {
  return [
    '<h2 id="summary">Summary</h2>',
    table(['What we hold', 'Number'], [
      ['People records matching you', esc(counts.persons)],
      ['Other names (aliases)', esc(counts.otherNames)],
      ['Crime and intelligence reports', esc(counts.events)],
      ['Addresses', esc(counts.locations)],
      ['Vehicles and telephones', esc(counts.objects)],
      ['Disclosures to others', esc(counts.disclosures)],
    ], ''),
    ...(counts.persons === 0 ? ['<p>We found no personal data about a person with the name and date of birth given.</p>'] : []),
  ];
}

/** 1. The records, by kind. */
function records({ records: r }: SarDocument): string[] {
  return [
    '<h2 id="records">1. The personal data we hold about you</h2>',
    '<h3>Your details</h3>',
    ...r.persons.map(personCard),
    '<h3>Other names</h3>',
    table(['Surname', 'Forenames', 'Date of birth', 'Recorded in'], r.otherNames.map((n) => [val(n.surname), val(n.forenames), dob(n), source(n)]), 'No other names are recorded.'),
    '<h3>Addresses</h3>',
    table(['Address', 'Postcode', 'How it relates to you', 'Recorded in'], r.locations.map(locationRow), 'No addresses are recorded.'),
    '<h3>Vehicles and telephones</h3>',
    table(['Kind', 'Details', 'How it relates to you', 'Recorded in'], r.objects.map(objectRow), 'No vehicles or telephones are recorded.'),
    '<h3>Crime and intelligence reports</h3>',
    ...(r.events.length === 0 ? ['<p class="none">No reports are recorded.</p>'] : []),
    ...r.events.map(eventCard),
  ];
}

function personCard(p: SarPerson): string {
  return `<div class="card person"><h3 class="name">${esc(p.surname)}${p.forenames ? `, ${esc(p.forenames)}` : ''}${restrictedBadge(p)}</h3>${dl([
    ['Surname', val(p.surname)], ['Forenames', val(p.forenames)], ['Date of birth', dob(p)], ['Sex', val(p.sex)],
    ['Ethnic appearance code', val(p.ethnicity)], ['PNC ID', val(p.pnc_id)], ['CRO number', val(p.cro_no)],
    ['Recorded in', source(p)], ['Record id', val(p.id)],
  ])}</div>`;
}

/** The parts given, escaped and joined by `sep`; a dash when none is. */
const joined = (parts: Array<string | null>, sep: string) => parts.filter((x) => x !== null && x !== '').map(esc).join(sep) || val(null);

function locationRow(l: SarLocation): string[] {
  return [joined([l.premises, l.street, l.locality, l.town], ', '), val(l.postcode), val(l.links), source(l)];
}

function objectRow(o: SarObject): string[] {
  return [val(o.kind), o.kind === 'telephone' ? val(o.telephone) : joined([o.vrm, o.make, o.model, o.colour], ' '), val(o.links), source(o)];
}

function eventCard(e: SarEvent): string {
  const grading: Array<[string, string]> = e.kind === 'intelligence'
    ? [['Grading (3x5x2)', val([e.grading_source, e.grading_intel, e.grading_handling].filter(Boolean).join(''))], ['Grading as recorded', val(e.legacy_grading)]]
    : [];
  return `<div class="card event"><h3>${esc(e.kind === 'crime' ? 'Crime report' : 'Intelligence report')} ${esc(e.reference)}${restrictedBadge(e)}</h3>${dl([
    ['Your role', val(e.yourRoles)], ['Reported', val(e.reported_at)], ['Occurred from', val(e.occurred_from)], ['Occurred to', val(e.occurred_to)],
    ['Classification', val([e.classification_code, e.classification_label].filter(Boolean).join(' — '))], ['Borough', val(e.borough)],
    ['Status', val(e.status)], ['Officer', val(e.officer)], ...grading,
    ['MoPI group', val(e.mopi_group)], ['Review date', val(e.review_due)], ['Recorded in', source(e)],
  ])}${e.narrative ? `<div class="narrative">${esc(e.narrative)}</div>` : ''}</div>`;
}

/** 2. */
function purposes({ s45: { purposesAndLegalBasis: p } }: SarDocument): string[] {
  return [
    '<h2 id="purposes">2. Why we process it, and the legal basis</h2>',
    `<p>${esc(p.purposes)}</p><p>${esc(p.legalBasis)}</p>`,
    ...(p.sensitiveProcessing ? [`<p>${esc(p.sensitiveProcessing)}</p>`] : []),
  ];
}

/** 3. */
function categories({ s45: s }: SarDocument): string[] {
  return [
    '<h2 id="categories">3. Categories of personal data</h2>',
    table(['Category', 'What it is', 'Records'], s.categoriesOfData.map((c) => [esc(c.category), esc(c.description), esc(c.records)]), 'None.'),
  ];
}

/** 4. Recipients, then each disclosure. */
function recipients({ s45, disclosures }: SarDocument): string[] {
  return [
    '<h2 id="recipients">4. Who it has been disclosed to</h2>',
    table(['Recipient', 'Disclosures', 'First', 'Last'], s45.recipients.map((x) => [esc(x.recipient), esc(x.disclosures), val(x.first.slice(0, 10)), val(x.last.slice(0, 10))]), 'Our records show no disclosure of this information to others.'),
    ...(disclosures.length ? ['<h3>Disclosure record</h3>', table(['Date', 'Recipient', 'Reason given', 'About', 'Logged in'], disclosures.map(disclosureRow), '')] : []),
  ];
}

function disclosureRow(d: DisclosureRow): string[] {
  return [
    val(d.occurred_at), val(d.recipient), val(d.justification), val([d.entity_type, d.entity_ref].filter(Boolean).join(' ')),
    val(d.origin === 'RMS' ? 'new records system' : `${d.origin} audit ${d.legacy_audit_id}`),
  ];
}

/** 5. */
function retention({ s45: { retention: r } }: SarDocument): string[] {
  return [
    '<h2 id="retention">5. How long we keep it</h2>',
    `<p>${esc(r.policy)}</p>`,
    table(['Report', 'MoPI group', 'Next review'], r.records.map((x) => [
      esc(x.reference), esc(x.group), x.reviewDue ? `${esc(x.reviewDue)}${x.reviewOverdue ? ' <span class="overdue">(review due)</span>' : ''}` : val(null),
    ]), 'No reports are held, so no review dates apply.'),
  ];
}

/** 6. */
function rights({ s45: { rights: r } }: SarDocument): string[] {
  const ico = r.complaint.commissioner;
  return [
    '<h2 id="rights">6. Your rights</h2>',
    `<p><strong>Rectification.</strong> ${esc(r.rectification)}</p>`,
    `<p><strong>Erasure and restriction.</strong> ${esc(r.erasureAndRestriction)}</p>`,
    `<p><strong>Complaint.</strong> ${esc(r.complaint.text)}</p>${dl([['Name', esc(ico.name)], ['Address', esc(ico.address)], ['Telephone', esc(ico.telephone)], ['Website', esc(ico.website)]])}`,
  ];
}

/** 7. */
function origin({ s45: { origin: o } }: SarDocument): string[] {
  return [
    '<h2 id="origin">7. Where the data came from</h2>',
    `<p>${esc(o.summary)}</p>`,
    table(['Record', 'Legacy system', 'Legacy table or file', 'Legacy reference'], o.records.map((x) => [
      esc(x.recordType), esc(SYSTEM_NAMES[x.sourceSystem] ?? x.sourceSystem), esc(x.sourceEntity), esc(x.legacyReference),
    ]), 'None.'),
  ];
}

function footer(doc: SarDocument): string[] {
  return [`<footer>${doc.notes.map((n) => `<p>${esc(n)}</p>`).join('')}<p>Reference ${esc(doc.sarId)} · produced ${esc(doc.generatedAt)}</p></footer>`];
}
