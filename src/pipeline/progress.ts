// Progress on long work: a bar on a terminal, a log line every few seconds otherwise. Bars of
// work running side by side (the pipelines of a delta) are drawn together, one line each.
import { log } from '../core/log.ts';

export interface Progress {
  add(n: number): void;
  done(): void;
}

function fmtRate(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : String(Math.round(n));
}

function fmtEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** The bars a terminal shows now, as a block of lines ending at the cursor. */
interface Board { lines: Map<object, string>; drawn: number }
const boards = new WeakMap<NodeJS.WritableStream, Board>();

/** Draw `bar`'s line in the block; a finished bar's line is written above the block, for good. */
function drawOnBoard(stream: NodeJS.WriteStream, bar: object, text: string, final: boolean): void {
  let board = boards.get(stream);
  if (!board) boards.set(stream, (board = { lines: new Map(), drawn: 0 }));
  if (final) board.lines.delete(bar);
  else board.lines.set(bar, text);
  const up = board.drawn > 1 ? `\x1b[${board.drawn - 1}A` : '';
  const live = [...board.lines.values()];
  stream.write(`${up}\r\x1b[J${final ? `${text}\n` : ''}${live.join('\n')}`);
  board.drawn = live.length;
}

export function progress(label: string, total: number | null, opts: { stream?: NodeJS.WriteStream; intervalMs?: number } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && process.env.CUTOVER_QUIET !== '1' && !process.env.CI;
  const interval = opts.intervalMs ?? (tty ? 100 : 5000);
  const start = Date.now();
  let count = 0;
  let lastDraw = 0;
  const line = () => {
    const secs = (Date.now() - start) / 1000;
    const rate = secs > 0 ? count / secs : 0;
    const eta = total && rate > 0 ? (total - count) / rate : NaN;
    return { secs, rate, eta };
  };
  const draw = (final = false) => {
    const { rate, eta } = line();
    if (tty) {
      const width = 24;
      const frac = total ? Math.min(1, count / total) : 0;
      const bar = total ? '█'.repeat(Math.round(frac * width)).padEnd(width, '░') : '';
      drawOnBoard(stream, self, `${label.padEnd(28)} ${bar} ${count.toLocaleString('en-GB')}${total ? `/${total.toLocaleString('en-GB')}` : ''} rows  ${fmtRate(rate)}/s  ETA ${final ? '0s' : fmtEta(eta)}`, final);
    } else {
      log.info(`${label}: ${count.toLocaleString('en-GB')}${total ? `/${total.toLocaleString('en-GB')}` : ''} rows, ${fmtRate(rate)} rows/s${final ? ', done' : `, ETA ${fmtEta(eta)}`}`);
    }
  };
  const self: Progress = {
    add(n: number) {
      count += n;
      const now = Date.now();
      if (now - lastDraw >= interval) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      draw(true);
    },
  };
  return self;
}
