// The data-completeness section of the board's HTML report: which drill-downs it shows, which are
// opened (for a defect), and how an unknown count and an unbalanced step read.
import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/report/summary.ts';
import { completenessSection } from '../../src/report/html-areas.ts';
import * as F from './fixtures.ts';

type Stored = Record<string, any>;
const section = (r: Stored) => completenessSection(buildSummary(r as F.Results, { codeVersion: { version: '0.1.0', commit: 'abc1234' } }).areas.completeness);
const drill = (html: string, summary: string) => new RegExp(`<details( open)?><summary>${summary.replace(/[()]/g, '\\$&')}</summary>`).exec(html);

describe('completeness section', () => {
  it('clean: the chart, the steps, closed drill-downs with counts, the runs, no problems', () => {
    const html = section(F.cleanResults());
    expect(html).toMatch(/^<section class="area" aria-labelledby="area-completeness"><h2 id="area-completeness">Data completeness /);
    expect(html).toContain('<caption>Conservation per step: read = loaded + quarantined + excluded + superseded</caption>');
    expect(html).toContain('50,000 read · 120 quar. · 800 excl. · 10 sup.');
    expect(html).not.toContain('UNBALANCED');
    expect(drill(html, 'Missing records: 0')?.[1]).toBeUndefined();
    expect(drill(html, 'Unexpected records: 0')?.[1]).toBeUndefined();
    expect(drill(html, 'Reconciliation per entity (4)')).not.toBeNull();
    expect(drill(html, 'Control totals (2) and links (1)')).not.toBeNull();
    expect(drill(html, 'Runs (2)')).not.toBeNull();
    expect(html).not.toContain('Reconciliation problems');
    expect(html).toMatch(/<\/details><\/section>$/);
  });

  it('degraded: missing records and the problems open, with the keys', () => {
    const html = section(F.degradedResults());
    expect(drill(html, 'Missing records: 2')?.[1]).toBe(' open');
    expect(html).toContain('<code>100555</code>');
    expect(drill(html, 'Reconciliation problems (2)')?.[1]).toBe(' open');
  });

  it('nothing stored: unknown counts as —, the empty tables say why, no chart, no runs', () => {
    const html = section({});
    expect(drill(html, 'Missing records: —')?.[1]).toBeUndefined();
    expect(html).toContain('Conservation per step: read = loaded + quarantined + excluded + superseded: no run result stored');
    expect(html).toContain('Reconciliation per entity and target table: no reconciliation stored');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('Runs (');
  });

  it('an unbalanced step is marked in the chart and the table', () => {
    const r: Stored = JSON.parse(JSON.stringify(F.cleanResults()));
    r.run.result.runs[0].steps[1].loaded -= 3;
    const html = section(r);
    expect(html).toContain('30,000 read · 30 quar. ✗ UNBALANCED');
    expect(html).toContain('<strong class="bad">NO</strong>');
  });
});
