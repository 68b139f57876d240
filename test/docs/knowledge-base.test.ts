import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_CHECKS, LOAD_CHECKS, TEST_CHECKS } from '../../src/core/checks/registry.js';
import { packageRoot } from '../../src/core/paths.js';

/**
 * docs/knowledge-base.md names every check of the registry where a curator looks for it; its
 * examples of what commands print are checked where those commands run (test/curation/kb-cli.test.ts
 * for kb lint, test/kb/rule-cases.test.ts for kb test).
 */
const DOC = readFileSync(join(packageRoot, 'docs', 'knowledge-base.md'), 'utf8');

/** The paragraph of the doc that starts with OPENING. */
const paragraph = (opening: string) => DOC.slice(DOC.indexOf(opening)).split('\n\n')[0] ?? '';

describe('docs/knowledge-base.md names every check', () => {
  it('each load check in the list of what the load checks refuse', () => {
    const loadList = paragraph('The load checks (exit 3 from every command) refuse');
    expect(LOAD_CHECKS.map((c) => c.meta.id).filter((id) => !loadList.includes(`(\`${id}\``))).toEqual([]);
  });

  it('each lint check in a row of the table of lint checks, with its severity', () => {
    const rows = DOC.split('\n').filter((line) => line.startsWith('| `'));
    const documented = (id: string, severity: string) => rows.some((row) => row.split(' | ')[0]?.includes(`\`${id}\``) && row.split(' | ')[1] === severity);
    expect(LINT_CHECKS.map((c) => c.meta).filter((m) => !documented(m.id, m.severity)).map((m) => m.id)).toEqual([]);
  });

  it('each check kb test runs beside the lintIgnore that waives it, and where lintIgnore is explained', () => {
    const waiver = paragraph('A rule that holds whenever its facts are known has no near miss');
    const lintIgnore = paragraph('The check is a lint check or');
    expect(TEST_CHECKS.map((c) => c.meta.id).filter((id) => !waiver.includes(`lintIgnore: [{check: ${id}, reason: "..."}]`) || !lintIgnore.includes(`\`${id}\``))).toEqual([]);
  });
});
