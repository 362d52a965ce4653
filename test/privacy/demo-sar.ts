// Manual check: load the privacy fixture into a scratch database and write a SAR + screenshot.
//   CUTOVER_DEMO_ADMIN_URL=postgres://cutover:cutover@127.0.0.1:54360/postgres npx tsx test/privacy/demo-sar.ts /tmp/sardemo
import pg from 'pg';
import path from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { subjectAccess, restrict } from '../../src/privacy/index.ts';
import { ids, loadFixture } from './fixture.ts';

const admin = process.env.CUTOVER_DEMO_ADMIN_URL!;
const out = path.resolve(process.argv[2] ?? 'sar-demo');
const c = new pg.Client(admin);
await c.connect();
await c.query('DROP DATABASE IF EXISTS privacy_demo WITH (FORCE)');
await c.query('CREATE DATABASE privacy_demo');
await c.end();
const u = new URL(admin);
u.pathname = '/privacy_demo';
const url = u.toString();
await migrate(url);
await loadFixture(url);
await restrict({ url, person: ids.P, actor: 'DPO0001', justification: 'accuracy contested' });
const r = await subjectAccess({ url, surname: "O'Brien", forenames: 'Sean', dob: '12/03/1985', outDir: out, actor: 'DPO0001' });
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(`file://${r.files.html}`);
await page.screenshot({ path: path.join(out, 'sar.png'), fullPage: true });
await browser.close();
console.log(JSON.stringify(r, null, 2));
