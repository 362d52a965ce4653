import type { Command } from 'commander';
import { action, connectionOptions, connections, CRIS_ONLY, parseIntOption, printJson, type GlobalOpts } from './common.ts';
import { generate } from '../synth/generate.ts';
import { generateChanges } from '../synth/changes.ts';
import { log } from '../core/log.ts';
import { ConfigError } from '../core/problems.ts';

interface GenOpts extends GlobalOpts {
  scale: number;
  seed: string;
  rates?: string;
  changes?: number;
  crimintOut?: string;
}

export function registerGenerate(program: Command) {
  connectionOptions(program.command('generate'))
    .description('write a synthetic legacy extract: the CRIS tables into the CRIS source database, the CRIMINT export into its directory')
    .option('--scale <n>', 'number of CRIS crime reports; other volumes follow in proportion (src/synth/README.md)', parseIntOption('--scale'), 2000)
    .option('--seed <s>', 'random seed: the same seed gives the same bytes', '1')
    .option('--rates <json>', 'quirk rates as JSON, e.g. \'{"partialDob":0.05}\' (defaults: a few per cent each)')
    .option('--changes <fraction>', 'instead of a new extract: change this share of the legacy records after the full load (CRIS in place, CRIMINT as a newer export in --crimint-out)', parseFraction)
    .option('--crimint-out <dir>', 'with --changes: where the newer CRIMINT export is written (the one in --crimint-dir is left as it was)')
    .option('--json', 'print the counts as one JSON document')
    .action(action(async (opts: GenOpts) => {
      const c = await connections(opts, CRIS_ONLY);
      if (/^mssql|^sqlserver/.test(c.crisUrl)) {
        throw new ConfigError('the generator writes a PostgreSQL stand-in of CRIS, not SQL Server', 'point --cris-url at a postgres:// database, or leave it unset for the embedded one');
      }
      if (opts.changes !== undefined) {
        if (!opts.crimintOut) throw new ConfigError('--changes needs --crimint-out <dir> for the newer CRIMINT export', 'give a directory other than --crimint-dir, e.g. --crimint-out .cutover/crimint-2');
        const t1 = Date.now();
        const changed = await generateChanges({ fraction: opts.changes, seed: opts.seed, crisUrl: c.crisUrl, crimintDir: c.crimintDir, crimintOut: opts.crimintOut });
        if (opts.json) printJson(changed);
        else console.log(`changes generated in ${((Date.now() - t1) / 1000).toFixed(1)} s (fraction ${opts.changes}, seed ${opts.seed}); the newer CRIMINT export is in ${opts.crimintOut}:\n${JSON.stringify(changed, null, 2)}`);
        return;
      }
      const rates = opts.rates ? JSON.parse(opts.rates) : undefined;
      const t0 = Date.now();
      const result = await generate({ scale: opts.scale, seed: opts.seed, crisUrl: c.crisUrl, crimintDir: c.crimintDir, rates, onProgress: (m: string) => log.info(m) });
      if (opts.json) printJson(result);
      else {
        console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (scale ${opts.scale}, seed ${opts.seed}):`);
        console.log(JSON.stringify(result, null, 2));
      }
    }));
}

function parseFraction(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new ConfigError(`--changes must be a fraction in (0, 1], got ${JSON.stringify(v)}`, 'e.g. --changes 0.01 for 1% of the records');
  return n;
}
