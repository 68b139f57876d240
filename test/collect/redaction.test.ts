import { describe, expect, it } from 'vitest';
import { MAX_PROCESS_NAME, processName } from '../../src/collect/process-tree.js';
import { runCli } from '../cli/run.js';
import { testServer } from '../server/helpers.js';

const SECRET_TOP = [
  'top - 18:20:42 up 52 min,  0 user,  load average: 1.12, 1.30, 1.13',
  '%Cpu(s): 50.0 us,  0.0 sy,  0.0 ni, 50.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st',
  '',
  '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND',
  ' 4242 app       20   0  991660  46396  37868 R  99.0   0.2   0:01.16 /usr/bin/pg_dump --dbname=postgres://backup:hunter2@db:5432/shop --password=s3cret',
  '    2 root      20   0       0      0      0 S   0.0   0.0   0:00.00 [kthreadd]',
  '',
].join('\n');

describe('process names in collected facts', () => {
  it.each([
    ['/usr/share/filebeat/bin/filebeat -c /etc/filebeat/filebeat.yml', '/usr/share/filebeat/bin/filebeat'],
    ['java -Dspring.datasource.password=hunter2 -jar app.jar', 'java'],
    ['mysql -uroot -phunter2 shop', 'mysql'],
    ['php-fpm: pool www', 'php-fpm'],
    ['postgres: alice shop 10.0.0.5(5432) idle', 'postgres'],
    ['  kswapd0', 'kswapd0'],
    ['redis://default:hunter2@cache:6379', 'redis://<redacted>@cache:6379'],
    ['node', 'node'],
  ])('program of %j is %j', (commandLine, program) => {
    expect(processName(commandLine)).toBe(program);
    expect(processName(commandLine, 'program')).toBe(program);
  });

  it('keeps the whole command line only when asked, still within the vocabulary bound', () => {
    expect(processName('java -Dspring.datasource.password=hunter2 -jar app.jar', 'command_line')).toBe('java -Dspring.datasource.password=hunter2 -jar app.jar');
    expect(processName(`x${' -v'.repeat(200)}`, 'command_line')).toHaveLength(MAX_PROCESS_NAME);
    expect(processName('sh -c printf\t"\x1b]52;c;cHduZWQ=\x07"\n', 'command_line')).toBe('sh -c printf\\t"\\x1b]52;c;cHduZWQ=\\x07"\\n');
    expect(processName('\x1b[2Kevil --x')).toBe('\\x1b[2Kevil');
    expect(processName(`/${'a'.repeat(400)} --token=t`)).toHaveLength(MAX_PROCESS_NAME);
  });

  it('rca parse top names the program by default and the command line with --no-redact', async () => {
    const redacted = await runCli(['parse', 'top', '-'], { input: SECRET_TOP });
    expect(redacted.code).toBe(0);
    expect(JSON.parse(redacted.stdout).facts['proc.top_name']).toBe('/usr/bin/pg_dump');
    expect(redacted.stdout).not.toMatch(/hunter2|s3cret/);
    const raw = await runCli(['parse', 'top', '-', '--no-redact'], { input: SECRET_TOP });
    expect(raw.code).toBe(0);
    expect(JSON.parse(raw.stdout).facts['proc.top_name']).toBe('/usr/bin/pg_dump --dbname=postgres://backup:hunter2@db:5432/shop --password=s3cret');
  });

  it('an artifact pasted into the API or rca diagnose never turns a secret into a fact', async () => {
    const body = JSON.stringify({ facts: {}, artifacts: [{ kind: 'top', text: SECRET_TOP }] });
    const run = await runCli(['diagnose', '-', '--format', 'json'], { input: body });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).facts['proc.top_name']).toBe('/usr/bin/pg_dump');
    expect(run.stdout).not.toMatch(/hunter2|s3cret/);
    const app = await testServer();
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', headers: { 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json().facts['proc.top_name']).toBe('/usr/bin/pg_dump');
    expect(res.body).not.toMatch(/hunter2|s3cret/);
    await app.close();
  });
});
