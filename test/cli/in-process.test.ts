import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { embeddedDataDir } from '../store/stores.js';
import { inProcessIo, written } from './run.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const processListeners = () => SIGNALS.map((s) => process.listenerCount(s));

// main(argv, io) runs the commands in-process (the tests rely on it): a command may touch its
// process only through io, never process.stdout, process.env or process's signal listeners.
describe('main(argv, io) touches nothing process-wide', () => {
  it('rca serve: logs to io.stdout, listens on io.signals only, and stops on SIGTERM from there', async () => {
    const before = processListeners();
    const run = inProcessIo({ env: { RCA_DATA_DIR: await embeddedDataDir(), RCA_DRAIN_SECONDS: '0' } });
    const exit = main(['serve', '--host', '127.0.0.1', '--port', '0', '--kb', FIXTURE_KB], run.io);
    const base = (await written(run.stderr, /^rca: serving .* on (http:\/\/127\.0\.0\.1:\d+) \(no tokens: loopback only\)\n$/))[1];
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(processListeners()).toEqual(before);
    expect(SIGNALS.map((s) => run.io.signals.listenerCount(s))).toEqual([1, 1, 1]);
    run.io.signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    const logs = run.stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', drainSeconds: 0 });
    expect(SIGNALS.map((s) => run.io.signals.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('rca interview: Ctrl-C arrives through io.signals, saves the facts so far and exits 130', async () => {
    const before = processListeners();
    const save = join(mkdtempSync(join(tmpdir(), 'rca-in-process-')), 'facts.json');
    const run = inProcessIo();
    const answers = Object.assign(new PassThrough(), { isTTY: false });
    const exit = main(['interview', '--kb', FIXTURE_KB, '--save', save], { ...run.io, stdin: answers });
    await written(run.stderr, /^Q1 \[ping\.result\]/m);
    answers.write('fail\n');
    await written(run.stderr, /^Q2 \[tcp\.connect\]/m);
    expect(processListeners()).toEqual(before);
    run.io.signals.emit('SIGINT');
    expect(await exit).toBe(130);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toEqual({ facts: { 'ping.result': 'fail' }, unknown: [] });
    expect(run.io.signals.listenerCount('SIGINT')).toBe(0);
  });
});
