// Progress bars on a terminal: bars of work running side by side (the pipelines of a delta) each
// keep a line of their own, and a finished bar's last line stays. The terminal here is a small
// emulator of the control sequences the bars write (\r, \n, cursor up, clear to the end).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import { progress } from '../../src/pipeline/progress.ts';

/** A terminal screen: what `\r`, `\n`, `ESC[nA`, `ESC[J` and `ESC[2K` do to its lines. */
function terminal() {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const stream = new Writable({
    write(chunk, _enc, done) {
      const s = String(chunk);
      for (let i = 0; i < s.length; i++) {
        const ch = s[i]!;
        if (ch === '\x1b') {
          const m = /^\x1b\[(\d*)([AJK])/.exec(s.slice(i))!;
          if (m[2] === 'A') row = Math.max(0, row - Number(m[1] || 1));
          else if (m[2] === 'K') lines[row] = '';
          else {
            lines[row] = lines[row]!.slice(0, col);
            lines.length = row + 1;
          }
          i += m[0].length - 1;
        } else if (ch === '\r') col = 0;
        else if (ch === '\n') {
          row++;
          col = 0;
          if (lines.length <= row) lines.push('');
        } else {
          const line = lines[row]!.padEnd(col);
          lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
          col++;
        }
      }
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  stream.isTTY = true;
  return { stream, screen: () => lines.map((l) => l.replace(/\s+$/, '')).filter((l, i, all) => l || i < all.length - 1) };
}

describe('progress on a terminal', () => {
  const saved = { CI: process.env.CI, CUTOVER_QUIET: process.env.CUTOVER_QUIET };
  beforeEach(() => {
    delete process.env.CI;
    delete process.env.CUTOVER_QUIET;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  });

  it('draws one bar on one line, and leaves its last line when done', () => {
    const t = terminal();
    const a = progress('cris:ADDRESS', 100, { stream: t.stream, intervalMs: 0 });
    a.add(10);
    a.add(40);
    expect(t.screen()).toHaveLength(1);
    expect(t.screen()[0]).toMatch(/^cris:ADDRESS .* 50\/100 rows/);
    a.done();
    expect(t.screen()).toHaveLength(1);
    expect(t.screen()[0]).toMatch(/^cris:ADDRESS .* 50\/100 rows .*ETA 0s$/);
  });

  it('gives bars running side by side a line each, and keeps each finished line above the running ones', () => {
    const t = terminal();
    const a = progress('cris:NOMINAL (delta)', null, { stream: t.stream, intervalMs: 0 });
    const b = progress('crimint:nominals.json (delta)', null, { stream: t.stream, intervalMs: 0 });
    a.add(5);
    b.add(7);
    a.add(5);
    b.add(1);
    expect(t.screen().map((l) => l.match(/^(\S+).* (\d+) rows/)!.slice(1).join(' '))).toEqual(['cris:NOMINAL 10', 'crimint:nominals.json 8']);
    a.done();
    const c = progress('cris:CRIME_REPORT (delta)', null, { stream: t.stream, intervalMs: 0 });
    c.add(3);
    b.add(2);
    expect(t.screen().map((l) => l.match(/^(\S+).* (\d+) rows/)!.slice(1).join(' '))).toEqual(['cris:NOMINAL 10', 'crimint:nominals.json 10', 'cris:CRIME_REPORT 3']);
    expect(t.screen()[0]).toMatch(/ETA 0s$/);
    b.done();
    c.done();
    expect(t.screen().map((l) => l.match(/^(\S+).* (\d+) rows/)!.slice(1).join(' '))).toEqual(['cris:NOMINAL 10', 'crimint:nominals.json 10', 'cris:CRIME_REPORT 3']);
    expect(t.screen().every((l) => l.endsWith('ETA 0s'))).toBe(true);
  });
});
