import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-template-'));
const facts = JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok' });

/** Runs `rca diagnose - --template FILE` in-process with the facts on stdin. */
async function diagnoseWith(template: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') => new PassThrough().on('data', (chunk: Buffer) => (out[name] += chunk.toString()));
  const io = { stdin: Readable.from([facts]), stdout: sink('stdout'), stderr: sink('stderr'), env: {} } as unknown as CliIo;
  const code = await main(['diagnose', '-', '--template', template], io);
  return { code, ...out };
}

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
