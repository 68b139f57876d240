import { UsageError } from '../../core/errors.js';
import { openStore } from '../../store/open.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { storeFrom, storeOptions, type StoreArgs } from '../store-option.js';

interface DbArgs extends StoreArgs {
  action: string;
}

export default defineCommand<DbArgs>({
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['migrate'], describe: 'migrate: bring the case database to the schema of this rca' })
      .options(storeOptions)
      .epilogue('rca serve migrates at start too; a database migrated by a newer rca is refused (exit 4).'),
  async run(args: DbArgs, io: CliIo) {
    if (args.action !== 'migrate') throw new UsageError(`db: expected the action "migrate", got ${JSON.stringify(args.action)}`);
    const { db, migration } = await openStore(storeFrom(args, io.env));
    await db.close();
    const { location, from, to } = migration;
    io.stdout.write(from === to ? `case database ${location}: at schema version ${to}, nothing to do\n` : `case database ${location}: migrated from schema version ${from} to ${to}\n`);
    return 0;
  },
});
