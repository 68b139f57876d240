import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-template-'));
const facts = JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok' });

/** Runs `rca diagnose - --template FILE` with the facts on stdin. */
const diagnoseWith = (template: string) => runCli(['diagnose', '-', '--template', template], { input: facts });

const LIMIT = 1024 * 1024;

describe('rca diagnose --template obeys the input size limit', () => {
  it('renders a template of exactly 1 MiB', async () => {
    const template = join(tmp, 'limit.hbs');
    writeFileSync(template, `${'x'.repeat(LIMIT - 8)}{{lang}}`);
    const run = await diagnoseWith(template);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout === `${'x'.repeat(LIMIT - 8)}en`).toBe(true);
  });

  it('refuses one byte more, unread, with exit 2 and the message input files get', async () => {
    const template = join(tmp, 'over.hbs');
    writeFileSync(template, 'x'.repeat(LIMIT + 1));
    const run = await diagnoseWith(template);
    expect(run.stderr).toBe(`rca: input error: --template: expected at most ${LIMIT} bytes, got ${LIMIT + 1} bytes\n`);
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
  });

  it('refuses a directory or a device, which have no size to check', async () => {
    expect(await diagnoseWith(tmp)).toEqual({ code: 2, stdout: '', stderr: `rca: input error: --template: expected a readable handlebars file, got ${tmp}: a directory or special file\n` });
    expect(await diagnoseWith('/dev/zero')).toEqual({ code: 2, stdout: '', stderr: 'rca: input error: --template: expected a readable handlebars file, got /dev/zero: a directory or special file\n' });
  });
});

describe('rca diagnose --template errors', () => {
  it('names the line, the text up to the mistake, what was expected and what came, on one line', async () => {
    const template = join(tmp, 'unclosed.hbs');
    writeFileSync(template, '{{#each hypotheses}}\n{{id}}\n');
    const run = await diagnoseWith(template);
    expect(run.stderr).toBe(`rca: template error: ${template}: parse error on line 3 at "...hypotheses}}{{id}}": expected "{{else ...}}", "{{else}}", a closing "{{/...}}", got the end of the template\n`);
    expect(run.code).toBe(2);
  });

  // Handlebars said these in its own terms: "You specified knownHelpersOnly, but used the unknown helper nosuchhelper - 1:20".
  it.each([
    ['{{#each hypotheses}}{{nosuchhelper id}}{{/each}}', '1:21: expected a known helper (and, aside, bar, between, cell, cf, code, colon, concat, elementId, eq, fence, inc, json, leaderConfidence, lt, op, or, pct, percent, probability, ratios, raw, strongLabel, style, t, times, value, if, unless, each, with, lookup, log), got "nosuchhelper"'],
    ['{{summary}}\n{{nosuchvalue}}', '2:3: expected a value of the data here or a known helper (and, aside, bar, between, cell, cf, code, colon, concat, elementId, eq, fence, inc, json, leaderConfidence, lt, op, or, pct, percent, probability, ratios, raw, strongLabel, style, t, times, value, if, unless, each, with, lookup, log), got "nosuchvalue"'],
    ['{{#nosuchblock}}x{{/nosuchblock}}', '1:4: expected a value of the data here or a known helper (and, aside, bar, between, cell, cf, code, colon, concat, elementId, eq, fence, inc, json, leaderConfidence, lt, op, or, pct, percent, probability, ratios, raw, strongLabel, style, t, times, value, if, unless, each, with, lookup, log), got "nosuchblock"'],
  ])('names the place (line:column) of a name it does not know, and the helpers it does: %j', async (text, problem) => {
    const template = join(tmp, 'unknown-name.hbs');
    writeFileSync(template, text);
    expect(await diagnoseWith(template)).toEqual({ code: 2, stdout: '', stderr: `rca: template error: ${template}:${problem}\n` });
  });
});
