#!/usr/bin/env -S node --max-old-space-size=256
// The heap cap keeps V8 from growing lazily far past what a streaming run holds (measured:
// migrate at scale 100000 peaks at 290 MB RSS with a 192 MB heap, 543 MB uncapped, same speed).
// Work that holds what grows with the legacy data (the parity oracle: scale 200,000 needs more
// than 256 MB) stops with an error that names CUTOVER_HEAP_MB: set, it starts the CLI again in a
// child process with that cap (Node takes the heap limit only at start-up).
// Runs the compiled CLI (dist/), which `npm install` builds (the `prepare` script; again with
// `npm run build`): no TypeScript compiled at run time.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('cutover: the CLI is not built (no dist/src/cli/main.js) — run `npm install` or `npm run build`\n');
  process.exit(2);
}

const heapMb = process.env.CUTOVER_HEAP_MB;
if (heapMb !== undefined && heapMb !== '') {
  if (!/^\d+$/.test(heapMb) || Number(heapMb) < 64) {
    process.stderr.write(`cutover: CUTOVER_HEAP_MB=${heapMb}: give the JavaScript heap's limit in MB, a whole number of at least 64 (e.g. 1024)\n`);
    process.exit(2);
  }
  if (process.env.CUTOVER_HEAP_STARTED !== heapMb) {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit', env: { ...process.env, CUTOVER_HEAP_STARTED: heapMb },
    });
    // Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2)));
  } else await import(main.href);
} else await import(main.href);
