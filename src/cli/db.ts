import type { Command } from 'commander';
import { action, connectionOptions, connections, TARGET_ONLY, printJson, type GlobalOpts } from './common.ts';
import { migrate } from '../db/migrate.ts';
import { stopEmbedded, embeddedPaths } from '../db/embedded.ts';
import { log } from '../core/log.ts';

export function registerDb(program: Command) {
  const db = program.command('db').description('the target database: migrations and the embedded server');
  connectionOptions(db.command('migrate').description('apply the target schema migrations (safe to run concurrently: node-pg-migrate lock)'))
    .option('--json', 'print one JSON document')
    .action(action(async (opts: GlobalOpts) => {
      const c = await connections(opts, TARGET_ONLY);
      const applied = await migrate(c.databaseUrl);
      if (opts.json) printJson({ applied });
      else log.info(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date');
    }));
  db.command('stop')
    .description('stop the embedded PostgreSQL cleanly')
    .action(action(async () => {
      const stopped = await stopEmbedded();
      log.info(stopped ? `embedded PostgreSQL stopped (${embeddedPaths().dataDir})` : 'embedded PostgreSQL was not running');
    }));
}
