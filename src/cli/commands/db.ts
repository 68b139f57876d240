import { forgetExpired, forgottenText } from '../../cases/retention.js';
import { UsageError } from '../../core/errors.js';
import { openStore } from '../../store/open.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { actionRetention, retentionOption, storeFrom, storeOptions, withCases, type StoreArgs } from '../store-option.js';

interface DbArgs extends StoreArgs {
  action: string;
  deletedRetention?: number;
}

const ACTIONS = ['migrate', 'forget-deleted'];

export default defineCommand<DbArgs>({
  builder: (y) =>
    y
      .positional('action', {
        type: 'string',
        choices: ACTIONS,
        describe: 'migrate: bring the case database to the schema of this rca; forget-deleted: forget the tombstones and Idempotency-Keys of cases deleted over --deleted-retention days ago (as rca serve does hourly, and rca cases delete on an embedded store)',
      })
      .options(storeOptions)
      .options(retentionOption)
      .epilogue('rca serve migrates at start too; a database migrated by a newer rca is refused (exit 4).'),
  async run(args: DbArgs, io: CliIo) {
    if (!ACTIONS.includes(args.action)) throw new UsageError(`db: expected the action "migrate" or "forget-deleted", got ${JSON.stringify(args.action)}`);
    const retention = actionRetention('db', args.action, ['forget-deleted'], args.deletedRetention, io.env);
    const settings = storeFrom(args, io.env);
    if (retention === undefined) {
      const { db, migration } = await openStore(settings);
      await db.close();
      const { location, from, to } = migration;
      io.stdout.write(from === to ? `case database ${location}: at schema version ${to}, nothing to do\n` : `case database ${location}: migrated from schema version ${from} to ${to}\n`);
      return 0;
    }
    return withCases(settings, async (cases) => {
      const done = retention === 0 ? 'a retention of 0 keeps what deletions left for ever: nothing forgotten' : forgottenText(await forgetExpired(cases, retention, Date.now()), retention);
      io.stdout.write(`case database ${cases.db.location}: ${done}\n`);
      return 0;
    });
  },
});
