// Opens the written index.html in headless Chromium from a file:// URL, as a board member would.
// Skipped only when Chromium is absent AND not under CI; under CI it must run.
import { existsSync, mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeReport, buildSummary, evaluateGate, rehearsalOf, type Rehearsal } from '../../src/report/index.ts';
import * as F from './fixtures.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.ts';

const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe.skipIf(skip)('the report in a browser', () => {
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-browser-'));
  const shots = process.env.CUTOVER_SCREENSHOT_DIR ?? dir;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, results: F.Results, history?: Rehearsal[]) {
    const { files } = writeReport({ outDir: path.join(dir, name), results, history, provenance: { codeVersion: { version: '0.1.0', commit: 'abc1234' } } });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`); // a hostile value that ran as script would alert()
      void d.dismiss();
    });
    await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
    return { page, problems, files };
  }

  async function screenshot(page: Page, name: string) {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(file).size).toBeGreaterThan(50_000);
    expect(png.readUInt32BE(16)).toBe(1280); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(2000); // full page height
    return file;
  }

  it('clean: the summary shows GO, no network, no console errors', async () => {
    const { page, problems } = await open('clean', F.cleanResults());
    const verdict = (await page.locator('#verdict .word').innerText()).trim();
    expect(verdict).toMatch(/^✓?\s*GO$/);
    expect(await page.locator('#verdict').innerText()).toContain('All 12 criteria met');
    expect(await page.title()).toBe('Cutover parity report: GO');
    expect(await page.locator('.lights li').count()).toBe(7);
    expect(await page.locator('svg[role="img"]').count()).toBe(4); // no mismatch chart when nothing differs
    await screenshot(page, 'report-clean');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('degraded: the summary shows NO-GO naming the failing capabilities; hostile values stay text', async () => {
    const { page, problems } = await open('degraded', F.degradedResults());
    const banner = await page.locator('#verdict').innerText();
    expect(banner).toContain('NO-GO');
    expect(banner).toContain('S02 LOST; S04, S07, S14 DEGRADED');
    expect(banner).toContain('2 missing, 3 mismatched values');
    const parityLight = page.locator('.lights li', { hasText: 'Search parity' });
    expect(await parityLight.innerText()).toMatch(/DEFECT[\s\S]*LOST: S02; DEGRADED: S04, S07, S14/);
    const s02 = page.locator('tr', { has: page.locator('#cap-S02') });
    expect(await s02.innerText()).toContain('LOST');
    // the hostile key is shown as text, the hostile surname (a value) not at all, and no element was injected
    expect(await page.getByText('<b>9</b>&amp;').first().isVisible()).toBe(true);
    expect(await page.getByText('O\'Brien').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    // drill-downs open for printing
    await page.emulateMedia({ media: 'print' });
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))"); // tsconfig has no DOM lib: expressions as strings
    expect(await page.locator('details:not([open])').count()).toBe(0);
    const bg = await page.evaluate("getComputedStyle(document.querySelector('#verdict')).backgroundColor");
    expect(bg).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'report-degraded');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the rehearsal history: a trend per measure, from the first rehearsal to this one, readable at a glance', async () => {
    // three rehearsals: degraded, degraded again, clean
    const rehearsal = (results: F.Results, at: string): Rehearsal => {
      const s = buildSummary(results, undefined, { now: new Date(at) });
      return rehearsalOf({ ...s, gate: evaluateGate(s) }, results);
    };
    const history = [rehearsal(F.degradedResults(), '2024-04-01T10:00:00Z'), rehearsal(F.degradedResults(), '2024-04-15T10:00:00Z'), rehearsal(F.cleanResults(), '2024-05-01T10:00:00Z')];
    const { page, problems } = await open('history', F.cleanResults(), history);
    const section = page.locator('#history');
    expect(await section.isVisible()).toBe(true);
    expect(await section.locator('p.reason').innerText()).toMatch(/^3 rehearsals on this target, from 1 Apr 2024 10:00 UTC to 1 May 2024 10:00 UTC/);
    expect(await section.locator('thead th').allInnerTexts()).toEqual(['Measure', 'Trend', '#1\n1 Apr 2024 10:00 UTC', '#2\n15 Apr 2024 10:00 UTC', '#3\n1 May 2024 10:00 UTC', 'Change']);
    const row = (name: string) => section.locator('tr', { has: page.locator('th', { hasText: name }) });
    expect(await row('Verdict: gate').innerText()).toMatch(/NO-GO\s+NO-GO\s+GO\s+▲ better/);
    expect(await row('Search parity: S02').innerText()).toMatch(/LOST\s+LOST\s+PARITY\s+▲ better/);
    expect(await row('Records: missing').innerText()).toMatch(/2\s+2\s+0\s+▲ better/);
    // every row has its trend drawn: a sparkline or a strip of lights, labelled for screen readers
    const rows = await section.locator('tbody tr').count();
    expect(await section.locator('svg.spark[role="img"]').count()).toBe(rows);
    expect(await row('Records: missing').locator('svg').getAttribute('aria-label')).toBe('missing: 2 → 2 → 0');
    const box = await section.locator('svg.spark').first().boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    await section.screenshot({ path: path.join(shots, 'report-history.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the rehearsal history with one rehearsal says the trend starts with the second', async () => {
    const s = buildSummary(F.cleanResults());
    const { page, problems } = await open('history-one', F.cleanResults(), [rehearsalOf({ ...s, gate: evaluateGate(s) }, F.cleanResults())]);
    expect(await page.locator('#history p.reason').innerText()).toBe('This is the first rehearsal on this target: the trend appears from the second.');
    expect(problems).toEqual([]);
    await page.close();
  });
});
