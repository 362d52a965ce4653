// Builds the CLI first (tests that spawn bin/cutover.js run dist/, never a stale build: tsc is
// incremental, so an unchanged tree costs a few seconds), then starts one embedded PostgreSQL for
// the whole suite (its own data dir and port, so it never touches the user's .cutover/pg). Each
// test file creates its own databases on it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ensureEmbedded, stopEmbedded, embeddedUrl } from '../../src/db/embedded.ts';

const home = process.env.CUTOVER_TEST_HOME ?? '.cutover/test';
const port = Number(process.env.CUTOVER_TEST_PORT ?? 54339);

export async function setup() {
  process.env.CUTOVER_QUIET = '1';
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`the build failed (npm run build):\n${(err as { stdout?: Buffer }).stdout?.toString() ?? ''}`);
  }
  const { started } = await ensureEmbedded({ home, port });
  process.env.CUTOVER_TEST_ADMIN_URL = embeddedUrl(port, 'postgres');
  process.env.CUTOVER_TEST_STARTED = started ? '1' : '0';
}

export async function teardown() {
  if (process.env.CUTOVER_TEST_STARTED === '1' && process.env.CUTOVER_TEST_KEEP_SERVER !== '1') {
    await stopEmbedded({ home, port });
  }
}
