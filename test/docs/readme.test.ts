import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactKinds } from '../../src/collect/parsers/index.js';
import { packageRoot } from '../../src/core/paths.js';
import { runCli } from '../cli/run.js';
import { pack } from '../fixtures.js';

/**
 * The README cannot drift: every `npx rca ...` line in its sh code blocks is run in-process, in
 * README order (an interview saved by one line is resumed by a later one), and must exit 0.
 */
const README = readFileSync(join(packageRoot, 'README.md'), 'utf8');

/**
 * Lines not run, each for a reason; the test fails when one is no longer in the README, so the
 * list cannot outlive what it excuses.
 */
const NOT_RUN: Record<string, string> = {
  'strace -c -f -p 4242 2>&1 | npx rca parse strace-c -': 'needs strace and a live process 4242; the strace-c parser is tested on captured output in test/collect',
  'npx rca collect --url https://api.example.com/health --pid 4242 | npx rca diagnose -': 'probes a remote host; collect is tested against 127.0.0.1 servers in test/collect',
  'npx rca collect --host db1 --port 5432 --diagnose': 'probes a remote host; collect is tested against 127.0.0.1 servers in test/collect',
  'TOKEN=$(openssl rand -hex 24); RCA_API_TOKENS=$TOKEN npx rca serve --host 0.0.0.0 --port 8080': 'runs until stopped and binds every interface; serve is tested in-process in test/cli and test/server',
  'npx rca diagnose ticket.json --artifact top=<(top -b -n 2 -d 1 -c -w 512)': 'process substitution needs a shell and top; a pipe given as a file is read in test/cli/input.test.ts',
  'npx rca kb seal': 'rewrites rules/kb.lock.json in the checkout, which other test files read at the same time; sealing is tested on copies in test/core/kb-lock.test.ts',
};

const work = mkdtempSync(join(tmpdir(), 'rca-readme-'));
const EXAMPLE = join('examples', '01-apm-agent-cpu.json');
/** The README's placeholder paths, as whole arguments, and what stands in for each. */
const PLACEHOLDERS: Record<string, () => string> = {
  'incident.json': () => EXAMPLE,
  'f.json': () => EXAMPLE,
  'ticket.json': () => EXAMPLE,
  'progress.json': () => join(work, 'progress.json'),
  'incident.yaml': () => {
    const yaml = join(work, 'incident.yaml');
    writeFileSync(yaml, 'summary: checkout slow since the agent upgrade\nfacts:\n  proc: { top_role: apm_agent, top_cpu_pct: 180 }\n  host.cpu_pct: 97\n');
    return yaml;
  },
  'capture.txt': () => join('test', 'fixtures', 'artifacts', 'dig', 'nxdomain.txt'),
  'nginx-error=error.log': () => `nginx-error=${join('test', 'fixtures', 'artifacts', 'nginx-error', 'connect-refused.txt')}`,
  'strace-c=strace.txt': () => `strace-c=${join('test', 'fixtures', 'artifacts', 'strace-c', 'attached-statx-storm.txt')}`,
  'top=top.txt': () => `top=${join('test', 'fixtures', 'artifacts', 'top', 'statx-storm-child-of-app.txt')}`,
  'kb-doc': () => join(work, 'kb-doc'),
  'old/': () => 'rules',
  '../acme-scenarios': () => {
    const dir = join(work, 'acme-scenarios');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'icmp.yaml'), 'story: ping fails, the app works\nsource: test\nfacts: {ping.result: fail, tcp.connect: ok, http.status: 200}\nexpect: {top1: network.icmp_filtered}\n');
    return dir;
  },
  '../acme-pack': () =>
    pack({ hypotheses: [{ id: 'app.acme_quirk', category: 'app', title: 'ACME quirk', description: 'A company-only cause', checks: [{ command: 'true', confirms: 'x', rulesOut: 'y' }] }] }),
};

/** The shell words of a command line: blanks split, single quotes group (all the README uses). */
function words(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|(\S+)/g)) found.push(match[1] ?? match[2] ?? '');
  return found;
}

/** printf's escapes, as far as the README uses them. */
const printf = (format: string) => format.replace(/\\n/g, '\n').replace(/\\t/g, '\t');

interface Example {
  line: string;
  args: string[];
  input?: string;
}

/** Every line of a ```sh block that runs rca, without its comment and any `npm ci &&` before it. */
function examples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.includes('npx rca '))
    .map((line) => line.replace(/\s+#\s.*$/, '').replace(/^.*&&\s*/, '').trim());
}

/** One README line as a run: the rca stage's arguments, stdin from a printf or cat stage, no output redirect. */
function parse(line: string): Example {
  const stages = line.split(' | ');
  const rca = stages.at(-1) ?? '';
  const args = words(rca.replace(/\s+>\s*\S+$/, '')).slice(2);
  const example: Example = { line, args: args.map((a) => PLACEHOLDERS[a]?.() ?? a) };
  if (stages.length === 2) {
    const [command, ...rest] = words(stages[0] ?? '');
    if (command === 'printf' && rest.length === 1) example.input = printf(rest[0] ?? '');
    else if (command === 'cat' && rest.length === 1) example.input = readFileSync(PLACEHOLDERS[rest[0] ?? '']?.() ?? rest[0] ?? '', 'utf8');
    else throw new Error(`README line ${line}: no stand-in for stdin from "${stages[0]}" (add it to NOT_RUN with a reason)`);
  } else if (stages.length > 2 || !rca.startsWith('npx rca ')) {
    throw new Error(`README line ${line}: not a plain rca command (add it to NOT_RUN with a reason)`);
  }
  return example;
}

describe('README: every rca command shown runs', () => {
  const lines = examples(README);

  it('finds the README commands, and each line not run is still there', () => {
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(NOT_RUN).filter((line) => !lines.includes(line))).toEqual([]);
  });

  it('counts the parse kinds rca parse --list lists', () => {
    expect(/rca parse --list +# the (\d+) kinds/.exec(README)?.[1]).toBe(String(artifactKinds.length));
  });

  // 27 commands, 5 s alone (the interview replay of the corpus, the doc site, kb test --coverage),
  // over 20 s when five runs share the 2 cores: the suite's 20 s testTimeout failed runs that did
  // not stall.
  it('runs each of the others in-process and each exits 0 with output', async () => {
    const failed: string[] = [];
    for (const line of lines.filter((l) => !(l in NOT_RUN))) {
      const example = parse(line);
      const run = await runCli(example.args, example.input === undefined ? {} : { input: example.input });
      if (run.code !== 0 || run.stdout === '') failed.push(`${line}\n  exit ${run.code}, ${run.stdout.length} bytes on stdout; stderr:\n${run.stderr}`);
    }
    expect(failed).toEqual([]);
  }, 90_000);
});
