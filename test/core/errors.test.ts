import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ERRORS, exitCodeFor, formatKbProblem, InputError, KbError, RcaError, StoreError, TemplateError, UsageError, type ErrorCode } from '../../src/core/errors.js';
import { packageRoot } from '../../src/core/paths.js';
import { problem } from '../../src/server/problems.js';
import { pack } from '../fixtures.js';

async function run(argv: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdin: Readable.from([input]),
    stdout: new PassThrough().on('data', (c: Buffer) => (stdout += c.toString())),
    stderr: new PassThrough().on('data', (c: Buffer) => (stderr += c.toString())),
    env: {},
  } as unknown as CliIo;
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('one table of errors: exit code, HTTP status and problem type per code', () => {
  it('a problem takes its type, title and status from the table', () => {
    const source = { url: '/v1/diagnose?lang=en', id: 'r1' };
    expect(problem('E_INPUT', 'x: expected a number, got string "a"', source)).toEqual({
      type: 'https://rca.local/problems/invalid-input',
      title: 'The request does not validate',
      status: 400,
      detail: 'x: expected a number, got string "a"',
      instance: '/v1/diagnose',
      requestId: 'r1',
    });
    expect(problem('E_HEADERS_TOO_LARGE', 'd', source)).toMatchObject({ type: 'https://rca.local/problems/headers-too-large', status: 431 });
    expect(problem('E_USAGE', 'd', source, undefined, 405)).toMatchObject({ type: 'https://rca.local/problems/bad-request', title: 'Bad request', status: 405 });
  });

  it('a problem type has one title and one status wherever it appears in the table', () => {
    const bySlug = new Map<string, { title: string; status: number }>();
    for (const [code, { slug, title, status }] of Object.entries(ERRORS)) {
      const seen = bySlug.get(slug);
      if (seen) expect({ code, title, status }).toEqual({ code, ...seen });
      else bySlug.set(slug, { title, status });
    }
  });

  it('the README lists every problem type and every exit code of the table', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const types = readme.slice(readme.indexOf('(`https://rca.local/problems/'));
    const listed = new Set([...types.slice(0, types.indexOf(')')).matchAll(/`(?:https:\/\/rca\.local\/problems\/)?([a-z-]+)`/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual([...new Set(Object.values(ERRORS).map((e) => e.slug))].sort());
    const exitTable = readme.slice(readme.indexOf('### Exit codes'));
    const codes = [...exitTable.slice(0, exitTable.indexOf('\n\n', exitTable.indexOf('|'))).matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2, 3, 4, 130]);
    for (const { exit } of Object.values(ERRORS)) expect(codes).toContain(exit);
    // rca kb lint, test and eval exit 1 for findings: the row says so, not only "a bug".
    expect(exitTable).toMatch(/^\| 1 \| unexpected error \(a bug: .*; and, from `rca kb`, findings: `kb lint` errors .*, `kb test` failures .*, `kb eval` under its `--min-top1`\/`--min-top3` thresholds, `kb diff` differences .*\|$/m);
  });

  it('the exit code of each error comes from the table; anything else is a bug (1)', () => {
    const cases: [unknown, ErrorCode | 1][] = [
      [new KbError([{ file: 'f.yaml', path: '/rules/0', message: 'm' }]), 'E_KB'],
      [new InputError([{ field: 'a', expected: 'b', got: 'c' }]), 'E_INPUT'],
      [new UsageError('u'), 'E_USAGE'],
      [new TemplateError('t'), 'E_TEMPLATE'],
      [new Error('bug'), 1],
    ];
    expect(cases.map(([error]) => exitCodeFor(error))).toEqual([3, 2, 2, 2, 1]);
  });

  it('"file at path: message" has one form, and a problem about a whole file names the file alone', () => {
    expect(formatKbProblem({ file: 'rules/a.yaml', path: '/rules/3/id', message: 'duplicate' })).toBe('rules/a.yaml at /rules/3/id: duplicate');
    expect(formatKbProblem({ file: 'rules/a.yaml', path: '', message: 'changed since sealing' })).toBe('rules/a.yaml: changed since sealing');
  });
});

describe('an invalid knowledge base exits 3 from every command', () => {
  const broken = pack({ rules: [{ id: 'r1', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'nope.nothing', cf: 0.5 }] }] });
  const where = `${broken}/pack.yaml:10:9 at /rules/0/evidence/0/hypothesis: unknown hypothesis "nope.nothing"`;

  it('rca kb validate, seal, lint and test: the problems on stdout, exit 3', async () => {
    for (const action of ['validate', 'lint', 'test']) {
      expect(await run(['kb', action, '--kb', broken])).toEqual({ code: 3, stdout: `${where}\ninvalid: 1 problem\n`, stderr: '' });
    }
    expect(await run(['kb', 'seal', broken])).toEqual({ code: 3, stdout: `${where}\ninvalid: 1 problem\n`, stderr: '' });
  });

  it('rca diagnose and rca interview: the problems on stderr, exit 3', async () => {
    expect(await run(['diagnose', '-', '--kb', broken], '{"ping.result": "fail"}')).toEqual({ code: 3, stdout: '', stderr: `rca: knowledge-base error: ${where}\n` });
    expect(await run(['interview', '--kb', broken], '')).toMatchObject({ code: 3, stderr: `rca: knowledge-base error: ${where}\n` });
  });
});

describe('error names', () => {
  it('each error names its class whatever a minifier calls the class (the CLI bundle keeps no names)', () => {
    const made = [new RcaError('E_USAGE', 'm'), new UsageError('m'), new InputError([]), new StoreError('m'), new KbError([]), new TemplateError('m')];
    const classes = [RcaError, UsageError, InputError, StoreError, KbError, TemplateError];
    const names = classes.map((c) => c.name);
    try {
      // What the bundle's minifier does: the classes' own names become one letter.
      for (const c of classes) Object.defineProperty(c, 'name', { value: 'e' });
      const minified = [new RcaError('E_USAGE', 'm'), new UsageError('m'), new InputError([]), new StoreError('m'), new KbError([]), new TemplateError('m')];
      expect(minified.map((e) => e.name)).toEqual(['RcaError', 'UsageError', 'InputError', 'StoreError', 'KbError', 'TemplateError']);
    } finally {
      classes.forEach((c, i) => Object.defineProperty(c, 'name', { value: names[i] }));
    }
    expect(made.map((e) => e.name)).toEqual(['RcaError', 'UsageError', 'InputError', 'StoreError', 'KbError', 'TemplateError']);
  });
});
