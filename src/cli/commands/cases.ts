import { UsageError } from '../../core/errors.js';
import { visible } from '../../core/escape.js';
import { renderReport } from '../../core/render.js';
import { shellQuote } from '../../core/shell.js';
import type { CaseStats } from '../../generated/case-stats.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { actionRetention, checkTenant, retentionOption, storeFrom, storeOptions, withCases, type StoreArgs } from '../store-option.js';
import { forgetExpired } from '../../cases/retention.js';
import { counted } from '../../core/counted.js';

interface CasesArgs extends StoreArgs {
  action: 'list' | 'show' | 'report' | 'delete';
  id?: string;
  tenant: string;
  format: 'text' | 'json' | 'markdown' | 'html';
  status?: 'open' | 'resolved';
  limit: number;
  deletedRetention?: number;
}

const pct = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);
/** Other tenants named by an empty list's note, the most cases first; the rest are counted. */
const TENANTS_NAMED = 5;

/**
 * The one line an empty list (and a report of no resolved case) writes on stderr: whose cases, in what state, where, and which
 * other tenants have some. The README's round trip keeps its cases as tenant acme while the
 * CLI's default is tenant default, so an empty list was most often the wrong tenant. Naming
 * other tenants leaks nothing: whoever opens the store here holds the whole database (its
 * files, or a URL with its password), every tenant's rows included; tenants are a boundary of
 * the API's tokens, and the API never answers this.
 */
function emptyListNote(tenant: string, status: CasesArgs['status'], location: string, counts: ReadonlyArray<{ tenant: string; cases: number }>): string {
  const others = counts.filter((t) => t.tenant !== tenant);
  const head = `rca: no ${status ? `${status} ` : ''}cases of tenant ${visible(tenant)} in ${visible(location)}`;
  if (others.length === 0) return `${head}\n`;
  const named = others.slice(0, TENANTS_NAMED).map((t) => `${visible(t.tenant)} (${t.cases})`);
  if (others.length > TENANTS_NAMED) named.push(`and ${others.length - TENANTS_NAMED} more`);
  const [only] = others;
  const choose = others.length === 1 && only ? `choose it with --tenant ${shellQuote(only.tenant)}` : 'choose one with --tenant NAME';
  return `${head}; other tenants have some: ${named.join(', ')}; ${choose}\n`;
}

/** The statistics as a person reads them at a terminal; every value from a case is shown with its control characters escaped. */
function statsText(stats: CaseStats): string {
  const lines = [`resolved cases ${stats.cases}  top-1 ${pct(stats.top1)}  top-3 ${pct(stats.top3)}`, 'by knowledge base:'];
  for (const k of stats.byKb) lines.push(`  ${visible(k.version)} ${visible(k.hash.slice(0, 19))}  ${counted(k.cases, 'case')}  top-1 ${pct(k.top1)}  top-3 ${pct(k.top3)}`);
  lines.push('by month confirmed:');
  for (const m of stats.byMonth) lines.push(`  ${visible(m.month)}  ${counted(m.cases, 'case')}  top-1 ${pct(m.top1)}  top-3 ${pct(m.top3)}`);
  lines.push('per hypothesis: confirmed, led, precision, recall');
  for (const h of stats.perHypothesis) lines.push(`  ${visible(h.hypothesis)}  ${h.confirmed}  ${h.ledWith}  ${pct(h.precision)}  ${pct(h.recall)}`);
  lines.push('per rule: fired, for the confirmed cause, precision');
  for (const r of stats.perRule) lines.push(`  ${visible(r.rule)}  ${r.fired}  ${r.confirmed}  ${pct(r.precision)}`);
  lines.push(`calibration of the top-1 confidence (Brier ${stats.calibration.brier ?? '-'}):`);
  // An empty bin has no mean nor accuracy (its JSON says 0 for both): "right 0.0%" would read as every case wrong.
  for (const b of stats.calibration.bins) lines.push(`  (${b.from}, ${b.to}]  ${counted(b.count, 'case')}  mean ${b.count === 0 ? '-' : pct(b.meanConfidence)}  right ${b.count === 0 ? '-' : pct(b.accuracy)}`);
  return `${lines.join('\n')}\n`;
}

export default defineCommand<CasesArgs>({
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['list', 'show', 'report', 'delete'], describe: 'list the cases, show one (its latest diagnosis with similar past incidents), report how right rca was on resolved ones, or delete one (as DELETE /v1/cases/ID)' })
      .positional('id', { type: 'string', describe: 'The case id (show, delete)' })
      .options(storeOptions)
      .options(retentionOption)
      .option('tenant', { type: 'string', default: 'default', describe: 'Whose cases (the tenant of the API token that sent them)' })
      .option('format', { alias: ['f', 'o'], choices: ['text', 'json', 'markdown', 'html'] as const, default: 'text' as const, describe: 'Output format (markdown and html: show only)' })
      .option('status', { choices: ['open', 'resolved'] as const, describe: 'list: only cases in this state' })
      .option('limit', { type: 'number', default: 50, describe: 'list: at most this many, newest first (1 to 100)' }),
  async run(args: CasesArgs, io: CliIo) {
    if ((args.action === 'show' || args.action === 'delete') && !args.id) throw new UsageError(`cases ${args.action}: expected a case id, got nothing`);
    if (args.action !== 'show' && (args.format === 'markdown' || args.format === 'html')) throw new UsageError(`--format: expected text or json for cases ${args.action}, got ${args.format}`);
    if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > 100) throw new UsageError(`--limit: expected a whole number from 1 to 100, got ${args.limit}`);
    checkTenant(args.tenant);
    const retention = actionRetention('cases', args.action, ['delete'], args.deletedRetention, io.env);
    const settings = storeFrom(args, io.env);
    // list, show and report read the store as it is: they neither make one nor migrate it.
    const readOnly = args.action !== 'delete';
    return withCases(settings, async (cases) => {
      if (args.action === 'list') {
        const page = await cases.list(args.tenant, { limit: args.limit, ...(args.status && { status: args.status }) });
        if (args.format === 'json') io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        else for (const c of page.items) io.stdout.write(`${c.id}  ${c.status.padEnd(8)}  ${visible(c.source)} ${visible(c.externalId)}  ${visible(c.confirmedCause ?? c.topHypothesis ?? '-')}${c.summary ? `  ${visible(c.summary)}` : ''}\n`);
        if (page.items.length === 0) io.stderr.write(emptyListNote(args.tenant, args.status, cases.db.location, await cases.tenantCounts(args.status)));
        return 0;
      }
      if (args.action === 'report') {
        const stats = (await import('../../cases/stats.js')).caseStats(await cases.resolvedDiagnoses(args.tenant));
        io.stdout.write(args.format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : statsText(stats));
        // A report of nothing is most often the wrong tenant, as an empty list is.
        if (stats.cases === 0) io.stderr.write(emptyListNote(args.tenant, 'resolved', cases.db.location, await cases.tenantCounts('resolved')));
        return 0;
      }
      const noSuchCase = () => new UsageError(`cases ${args.action}: expected a case id of tenant ${visible(args.tenant)}, got ${visible(JSON.stringify(args.id))} (no such case)`);
      if (args.action === 'delete') {
        // What the API's DELETE does: the case and its history go, its Idempotency-Keys stay to refuse a retry.
        if (!(await cases.delete(args.tenant, args.id as string))) throw noSuchCase();
        io.stderr.write(`rca: deleted case ${visible(args.id as string)} of tenant ${visible(args.tenant)}\n`);
        // An embedded store may never be served (rca serve forgets what is past the retention
        // hourly): the command that adds to what deletions leave forgets what is past it. Only
        // this one, so the commands that read write nothing. PostgreSQL's replicas do it themselves.
        if (settings.dataDir !== undefined && retention !== undefined && retention > 0) await forgetExpired(cases, retention, Date.now());
        return 0;
      }
      const found = await cases.get(args.tenant, args.id as string);
      if (!found) throw noSuchCase();
      const latest = found.diagnoses.at(-1)?.diagnosis;
      if (args.format === 'json' || !latest) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
      // Markdown and HTML are documents, redirected to a file as they are: a line before them would make `> r.html` something else than HTML.
      else if (args.format !== 'text') io.stdout.write(renderReport(latest, args.format));
      else io.stdout.write(`case ${found.id}  ${found.status}  ${visible(found.source)} ${visible(found.externalId)}${found.outcome ? `  confirmed: ${visible(found.outcome.cause)}` : ''}\n\n${renderReport(latest, 'text')}`);
      return 0;
    }, { readOnly });
  },
});
