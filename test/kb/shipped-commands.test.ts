import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programOf, simpleCommands } from '../../src/core/command-program.js';
import { commandEnvironment } from '../../src/core/templates.js';
import { commandsAsWritten } from '../../src/core/variants.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { shippedKb } from '../support.js';

/**
 * The shipped commands as an engineer runs them: where the tools are on this host, each is run
 * (rendered from facts, a file it reads pointed at a fixture) and what it prints is what its
 * check says it shows.
 */
const kb = shippedKb();
const written = [...commandsAsWritten(kb)];

/** The one command of hypothesis ID's checks that holds TEXT, rendered from FACTS. */
function checkCommand(id: string, text: string, facts: FactMap): string {
  const found = written.filter((c) => c.id === id && c.text.includes(text));
  expect(found, `${id}: one check with ${text}`).toHaveLength(1);
  return commandEnvironment().commandTemplate(found[0]?.text as string, id)(facts);
}

const bash = (command: string) => spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 30_000 });
const tmp = mkdtempSync(join(tmpdir(), 'rca-shipped-commands-'));

describe('tls.version_mismatch: which versions the server accepts', () => {
  // A server that speaks TLS 1.0 to 1.3, as an old one left on its defaults does.
  let server: ReturnType<typeof spawn>;
  let port = 0;
  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const key = join(tmp, 'key.pem');
    const cert = join(tmp, 'cert.pem');
    expect(bash(`openssl req -x509 -newkey rsa:2048 -nodes -keyout ${key} -out ${cert} -days 2 -subj /CN=localhost`).status).toBe(0);
    server = spawn('openssl', ['s_server', '-accept', String(port), '-cert', cert, '-key', key, '-cipher', 'DEFAULT:@SECLEVEL=0', '-www'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => server.stdout?.on('data', (d: Buffer) => d.toString().includes('ACCEPT') && resolve()));
  });
  afterAll(() => server.kill());

  it("reports TLS 1.0 and 1.1 as the server's answer, not as OpenSSL 3's own refusal below security level 0", () => {
    // OpenSSL 3 refuses TLS 1.0 and 1.1 itself at its default security level 1
    // (openssl-ciphers(1), "@SECLEVEL"): without -cipher ...@SECLEVEL=0 both read "fail".
    const command = checkCommand('tls.version_mismatch', 'for v in tls1', { 'target.host': 'localhost', 'target.port': port });
    expect(bash(command).stdout).toBe('tls1 ok\ntls1_1 ok\ntls1_2 ok\ntls1_3 ok\n');
  });
});

describe('the shipped commands, run', () => {
  it("dns.stale_record greps /etc/hosts for the host itself: 10.0.0.2 is neither 10.0.0.20 nor 10a0b0c2 (grep -F -w)", () => {
    const hosts = join(tmp, 'hosts');
    writeFileSync(hosts, '10.0.0.20 api-old\n10a0b0c2 typo\n10.0.0.2 pinned\n');
    const command = checkCommand('dns.stale_record', '/etc/hosts', { 'target.host': '10.0.0.2' }).split('; ')[1] as string;
    expect(bash(command.replace('/etc/hosts', hosts)).stdout).toBe('3:10.0.0.2 pinned\n');
  });

  it("system.oom_killed reads the cgroup v2 path of the process: on a hybrid host its v1 lines are not read as paths too", () => {
    // /proc/PID/cgroup on a systemd host with cgroup v1 controllers and the unified hierarchy.
    const cgroup = join(tmp, 'cgroup');
    writeFileSync(cgroup, '12:memory:/system.slice/app.service\n11:cpu,cpuacct:/system.slice/app.service\n1:name=systemd:/system.slice/app.service\n0::/system.slice/app.service\n');
    const command = checkCommand('system.oom_killed', 'memory.events', { 'proc.app_pid': 4242 });
    expect(bash(command.replace('/proc/4242/cgroup', cgroup).replace(/^cat /, 'printf "%s\\n" ')).stdout).toBe('/sys/fs/cgroup/system.slice/app.service/memory.events\n');
  });

  it('system.close_wait_leak counts sockets, not the header ss prints above them (ss -H)', () => {
    const command = checkCommand('system.close_wait_leak', 'wc -l', {});
    const listing = bash(command.replace(/ \| wc -l$/, ''));
    expect(listing.status).toBe(0);
    expect(listing.stdout).not.toMatch(/Recv-Q|State/);
  });
});

describe('the shipped commands, read', () => {
  it('give every nc a connect timeout (-w): a dropped SYN otherwise holds nc for the kernel\'s SYN retries, about two minutes', () => {
    const without = written.flatMap(({ text, id }) =>
      simpleCommands(text)
        .map(programOf)
        .filter((p) => p?.name === 'nc' && !p.args.some((a) => /^-[a-zA-Z]*w/.test(a)))
        .map(() => `${id}: ${text}`),
    );
    expect(without).toEqual([]);
  });
});
