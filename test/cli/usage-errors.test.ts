import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FIXTURE_KB } from '../server/helpers.js';
import { embeddedDataDir, emptyDataDir } from '../store/stores.js';
import { inProcessIo, runBin, runCli, written } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-usage-'));

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Ordinary mistakes are usage errors (exit 2) naming the flag, what was expected and what came,
// never "internal error ... please report it" (exit 1).
describe('ordinary mistakes are usage errors, found before any work', () => {
  it('rca serve on a port already in use', async () => {
    const taken = await listening();
    const port = (taken.address() as { port: number }).port;
    try {
      const run = inProcessIo({ env: { RCA_DATA_DIR: emptyDataDir() } });
      expect(await main(['serve', '--host', '127.0.0.1', '--port', String(port), '--kb', FIXTURE_KB], run.io)).toBe(2);
      expect(run.stderr()).toBe(`rca: usage error: --port: expected a free port on 127.0.0.1, got ${port} (already in use)\nRun 'rca serve --help' for usage.\n`);
      // The server that never started leaves no signal listener behind.
      expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => run.io.signals.listenerCount(signal))).toEqual([0, 0, 0]);
    } finally {
      taken.close();
    }
  });

  it('rca serve on a host name that does not resolve', async () => {
    // With a token, so that the refusal to serve a non-loopback address without one does not come first.
    const run = await runCli(['serve', '--host', 'no-such-host.invalid', '--port', '0', '--kb', FIXTURE_KB], { env: { RCA_API_TOKENS: 'a'.repeat(48), RCA_DATA_DIR: emptyDataDir() } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rca: usage error: --host: expected an address of this machine, got no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\)\n/);
  });

  it('rca serve --host [::1] binds ::1 (a bracketed IPv6 address, as in a URL)', async () => {
    const run = inProcessIo({ env: { RCA_DATA_DIR: await embeddedDataDir() } });
    const exit = main(['serve', '--host', '[::1]', '--port', '0', '--kb', FIXTURE_KB], run.io);
    const base = (await written(run.stderr, /^rca: serving .* on (http:\/\/\[::1\]:\d+) \(no tokens: loopback only\)\n$/))[1];
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    run.io.signals.emit('SIGINT');
    expect(await exit).toBe(0);
  });

  it('rca kb doc --out onto an existing file', async () => {
    const file = join(tmp, 'not-a-dir.txt');
    writeFileSync(file, 'keep me\n');
    const run = await runCli(['kb', 'doc', '--kb', FIXTURE_KB, '--out', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rca: usage error: --out: expected a new or empty directory, or one rca kb doc wrote, got ${file} (a file)\nRun 'rca kb --help' for usage.\n`);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it('rca interview --save into a missing directory is refused before the first question', async () => {
    const save = join(tmp, 'missing', 'progress.json');
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--save', save], { input: 'fail\nok\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rca: usage error: --save: expected a file in an existing directory, got ${save} (${join(tmp, 'missing')} does not exist)\nRun 'rca interview --help' for usage.\n`);
    expect(existsSync(join(tmp, 'missing'))).toBe(false);
  });

  it('rca interview --save onto a directory is refused before the first question', async () => {
    const dir = join(tmp, 'a-dir');
    mkdirSync(dir);
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--save', dir], { input: 'fail\nok\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rca: usage error: --save: expected a file in an existing directory, got ${dir} (a directory)\nRun 'rca interview --help' for usage.\n`);
  });

  it('rca interview --save onto a pipe or a device is refused before the first question, and left as it was', async () => {
    // The save renames a new file over its path: the pipe was replaced by a regular file (and, as
    // root, --save /dev/null replaced the system's /dev/null).
    const fifo = join(tmp, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--save', fifo], { input: 'fail\nok\n' });
    expect([run.code, run.stderr]).toEqual([2, `rca: usage error: --save: expected a file in an existing directory, got ${fifo} (a pipe)\nRun 'rca interview --help' for usage.\n`]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('rca interview --save where no file can be made is refused before the first question, not an internal error after it', async () => {
    // /proc/self is a directory in which nobody, root included, makes a file.
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--save', '/proc/self/progress.json'], { input: 'fail\nok\n' });
    expect([run.code, run.stderr]).toEqual([2, 'rca: input error: --save: expected a file rca may write, got /proc/self/progress.json (ENOENT: no such file or directory)\n']);
  });

  it('rca interview --save with an empty name is refused before the first question', async () => {
    // It was taken, and the interview ran saving nothing, also on Ctrl-C.
    const run = await runCli(['interview', '--kb', FIXTURE_KB, '--save', ''], { input: 'fail\nok\n' });
    expect([run.code, run.stderr]).toEqual([2, 'rca: usage error: --save: expected a value, got an empty one ("")\nRun \'rca interview --help\' for usage.\n']);
  });

  it('an empty word is no value of any option or positional: refused by its name before the command runs', async () => {
    // kb doc --out '' wrote its 126 files into the working directory (not run here: without the
    // check it would write them into the package); rca diagnose '' blamed a file with no name.
    const cases: Array<[string[], string, string]> = [
      [['kb', 'eval', '--baseline='], '--baseline', 'kb'],
      [['diagnose', ''], 'diagnose FILES', 'diagnose'],
      [['diagnose', 'examples/01-apm-agent-cpu.json', '--template', ''], '--template', 'diagnose'],
      [['parse', 'top', ''], 'parse FILE', 'parse'],
      [['interview', '--facts', ''], '--facts', 'interview'],
      [['cases', 'show', ''], 'cases ID', 'cases'],
      [['serve', '--data-dir', ''], '--data-dir', 'serve'],
    ];
    for (const [argv, name, command] of cases) {
      const run = await runCli(argv, { input: '' });
      expect([argv.join(' '), run.code, run.stdout, run.stderr]).toEqual([argv.join(' '), 2, '', `rca: usage error: ${name}: expected a value, got an empty one ("")\nRun 'rca ${command} --help' for usage.\n`]);
    }
  });
});

describe('rca serve: a token that cannot be used is named by where it was given', () => {
  it('names the line of the tokens file, or the item of RCA_API_TOKENS', async () => {
    const file = join(tmp, 'tokens');
    writeFileSync(file, `# ticketing\n${'a'.repeat(20)}\n\nshort\n`);
    const fromFile = await runCli(['serve', '--port', '0', '--kb', FIXTURE_KB, '--tokens-file', file], { env: { RCA_DATA_DIR: emptyDataDir() } });
    expect([fromFile.code, fromFile.stderr.split('\n')[0]]).toEqual([2, `rca: input error: token at ${file}:4: expected at least 16 characters, got 5 characters`]);
    // One character is said in the singular (it was "got 1 characters").
    writeFileSync(file, 'x\n');
    const single = await runCli(['serve', '--port', '0', '--kb', FIXTURE_KB, '--tokens-file', file], { env: { RCA_DATA_DIR: emptyDataDir() } });
    expect(single.stderr.split('\n')[0]).toBe(`rca: input error: token at ${file}:1: expected at least 16 characters, got 1 character`);
    const fromEnv = await runCli(['serve', '--port', '0', '--kb', FIXTURE_KB], { env: { RCA_DATA_DIR: emptyDataDir(), RCA_API_TOKENS: `${'b'.repeat(20)},,bad tenant!:${'c'.repeat(20)}` } });
    expect([fromEnv.code, fromEnv.stderr.split('\n')[0]]).toEqual([2, 'rca: input error: token at RCA_API_TOKENS item 3: expected tenant:token with a tenant of 1 to 64 letters, digits, ".", "_" or "-", got a tenant of 11 characters, not all of them those']);
  });

  it('refuses one token given for two tenants (every request with it would be the last one\'s), naming both places and neither the token', async () => {
    const file = join(tmp, 'tokens');
    const token = 'd'.repeat(24);
    writeFileSync(file, `acme:${token}\n${token}\nacme:${token}\n`);
    const run = await runCli(['serve', '--port', '0', '--kb', FIXTURE_KB, '--tokens-file', file], { env: { RCA_DATA_DIR: emptyDataDir() } });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `rca: input error: token at ${file}:2: expected each token given for one tenant only (a token names whose cases a request sees), got the token of tenant acme at ${file}:1 again, for tenant default\n` });
    // The same token twice for one tenant (the file and RCA_API_TOKENS, say) changes nothing: no error.
    writeFileSync(file, `beta:${token}\n`);
    const twice = await runCli(['serve', '--port', '0', '--kb', FIXTURE_KB, '--tokens-file', file, '--no-cases', '--host', '256.0.0.1'], { env: { RCA_API_TOKENS: `beta:${token}` } });
    // The tokens pass: what stops it is the next check, an address it cannot listen on.
    expect(twice).toEqual({ code: 2, stdout: '', stderr: "rca: usage error: --host: expected an address of this machine, got 256.0.0.1 (ENOTFOUND)\nRun 'rca serve --help' for usage.\n" });
  });
});

const COMMAND_NAMES = ['diagnose', 'interview', 'serve', 'kb', 'cases', 'db', 'facts', 'parse', 'collect', 'completion'];
const COMMANDS = `one of ${COMMAND_NAMES.join(', ')}`;
/** What rca writes on stderr for a usage error: the one line, then the help of the command ARGS run, or rca's when they name none. */
const usage = (line: string, args: readonly string[] = []) => {
  const command = args.find((arg) => COMMAND_NAMES.includes(arg));
  return `rca: usage error: ${line}\nRun 'rca ${command === undefined ? '' : `${command} `}--help' for usage.\n`;
};
const KB_ACTIONS = 'one of validate, seal, lint, test, coverage, eval, doc, diff, show, suggest';

// yargs refuses these itself, in lines of its own ("Invalid values:\n  Argument: format, Given: ...");
// rca says each in one line, as its other usage errors: what, expected what, got what.
describe("yargs' refusals are one line each, naming the flag as typed", () => {
  it.each([
    [['diagnose', 'f.json', '-o', 'r.html'], '--format: expected one of text, markdown, html, json, got "r.html"'],
    [['diagnose', 'f.json', '--format'], '--format: expected one of text, markdown, html, json, got nothing'],
    [['kb', 'doc', '-o', 'kb-doc'], '--format: expected one of text, json, got "kb-doc" (-o is short for --format; an output directory is --out)'],
    [['kb', 'lint', '--min-status', 'beta'], '--min-status: expected one of deprecated, experimental, stable, got "beta"'],
    [['kb', 'nosuch'], `kb ACTION: expected ${KB_ACTIONS}, got "nosuch"`],
    [['kb'], `kb ACTION: expected ${KB_ACTIONS}, got nothing`],
    [['completion', 'fish'], 'completion SHELL: expected one of bash, zsh, got "fish"'],
    [['diagnose', 'f.json', '--bogus'], 'diagnose: expected the options rca diagnose --help lists, got --bogus'],
    [['facts', '--foo-bar', '-zq'], 'facts: expected the options rca facts --help lists, got --foo-bar, -z, -q'],
    [['parse', 'ping', 'a.txt', 'b.txt'], 'parse: expected the options and arguments rca parse --help lists, got "b.txt"'],
    [['nope'], `COMMAND: expected ${COMMANDS}, got "nope"`],
    [['diagnoze'], `COMMAND: expected ${COMMANDS}, got "diagnoze" (did you mean diagnose?)`],
    [[], `COMMAND: expected ${COMMANDS}, got nothing`],
    // With no command, the first option rca itself does not take is named too: it went unsaid.
    [['-v'], `COMMAND: expected ${COMMANDS}, got nothing; -v is no option of rca itself (did you mean --version?)`],
    [['--verison'], `COMMAND: expected ${COMMANDS}, got nothing; --verison is no option of rca itself (did you mean --version?)`],
    [['--format=json', '-v'], `COMMAND: expected ${COMMANDS}, got nothing; --format is no option of rca itself (a command's options follow the command)`],
  ])('rca %j', async (args, line) => {
    expect(await runCli(args)).toEqual({ code: 2, stdout: '', stderr: usage(line, args) });
  });

  it.each([
    // A word after an option that starts with '-' is read as options, never as the value: refused by the option that wanted it
    // (--format: expected one value, got 3 from -o -P -r -o ...; the unknown -x).
    [['collect', '--url', '-oProxyCommand=id'], `--url: expected a value, got the option "-oProxyCommand=id" after it (a value that starts with '-' is given as --url=VALUE)`],
    [['collect', '--host', '-x', '--port', '9'], `--host: expected a value, got the option "-x" after it (a value that starts with '-' is given as --host=VALUE)`],
    [['diagnose', 'f.json', '--target', '-oProxyCommand=id'], `--target: expected a value, got the option "-oProxyCommand=id" after it (a value that starts with '-' is given as --target=VALUE)`],
    [['diagnose', 'f.json', '--kb'], '--kb: expected a value, got nothing'],
    [['kb', 'validate', '--kb='], '--kb: expected a value, got nothing'],
    [['kb', 'test', '--scenarios'], '--scenarios: expected a value, got nothing'],
    [['diagnose', 'f.json', '-f', 'json', '-o', 'text'], '--format: expected one value, got 2: "json", "text"'],
    [['diagnose', 'f.json', '--target', 'a.example', '--target', 'b.example'], '--target: expected one value, got 2: "a.example", "b.example"'],
    [['diagnose', 'f.json', '--top', '1', '--top', '2'], '--top: expected one value, got 2: "1", "2"'],
    [['diagnose', 'f.json', '--no-target'], '--no-target: expected --target with a value, or no --target at all (it takes a value, so it has no --no- form), got --no-target'],
    [['diagnose', 'f.json', '--no-artifact'], '--no-artifact: expected --artifact with a value, or no --artifact at all (it takes a value, so it has no --no- form), got --no-artifact'],
    [['diagnose', 'f.json', '--no-kb'], '--no-kb: expected --kb with a value, or no --kb at all (it takes a value, so it has no --no- form), got --no-kb'],
    [['diagnose', 'f.json', '--no-top'], '--no-top: expected --top with a value, or no --top at all (it takes a value, so it has no --no- form), got --no-top'],
    [['diagnose', 'f.json', '--top', ''], '--top: expected a number, got ""'],
    [['diagnose', 'f.json', '--top='], '--top: expected a number, got ""'],
    [['interview', '--max-questions', ' '], '--max-questions: expected a number, got ""'],
    // yargs reads hex, octal and binary as numbers: --min-top1 0x42 was 66.
    [['kb', 'eval', '--min-top1', '0x42'], '--min-top1: expected a number, got "0x42"'],
    [['kb', 'lint', '--max-warnings', '0x10'], '--max-warnings: expected a number, got "0x10"'],
    [['kb', 'test', '--min-coverage=0x10'], '--min-coverage: expected a number, got "0x10"'],
    [['diagnose', 'f.json', '--top', '0b11'], '--top: expected a number, got "0b11"'],
    [['interview', '--max-questions', '0o7'], '--max-questions: expected a number, got "0o7"'],
  ])('rca %j: an option given twice, with --no-, with no or an empty value, or a number not in decimal', async (args, line) => {
    expect(await runCli(args)).toEqual({ code: 2, stdout: '', stderr: usage(line, args) });
  });

  it('an option that repeats takes one value each time, and the words after it stay the command\'s', async () => {
    const facts = join(tmp, 'slow.json');
    writeFileSync(facts, '{"symptom.kind": "slow"}');
    const artifacts = join('test', 'fixtures', 'artifacts');
    const run = await runCli(['diagnose', '--artifact', `ping=${join(artifacts, 'ping', 'busybox-ok.txt')}`, '--artifact', `dig=${join(artifacts, 'dig', 'aaaa-nodata.txt')}`, facts, '-f', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).facts).toEqual({ 'symptom.kind': 'slow', 'ping.result': 'ok', 'ping.loss_pct': 0, 'ping.rtt_avg_ms': 0.4, 'ping.rtt_max_ms': 0.412, 'dns.result': 'ok', 'dns.resolve_ms': 0, 'dns.aaaa_present': false });
  });

  it('an interview with an option given twice asks nothing', async () => {
    const run = await runCli(['interview', '-f', 'json', '-f', 'text'], { input: 'errors\n503\n' });
    expect(run).toEqual({ code: 2, stdout: '', stderr: usage('--format: expected one value, got 2: "json", "text"', ['interview']) });
  });

  it('rca help COMMAND shows the command\'s help, as rca COMMAND --help does (it was refused as the command "help")', async () => {
    for (const [asked, shown] of [[['help', 'diagnose'], ['diagnose', '--help']], [['help', 'kb', 'lint'], ['kb', 'lint', '--help']]]) {
      const run = await runCli(asked as string[]);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toBe((await runCli(shown as string[])).stdout);
      expect(run.stdout).toMatch(/^rca (diagnose|kb) /);
    }
  });

  it('in English in any locale, while --help stays in the user\'s language', async () => {
    const env = { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
    expect(await runBin(['diagnose', 'f.json', '-o', 'r.html'], { env })).toEqual({ code: 2, stdout: '', stderr: usage('--format: expected one of text, markdown, html, json, got "r.html"', ['diagnose']) });
    expect((await runBin(['--help'], { env })).stdout).toContain('Optionen:');
  });
});

// A directory that is not there is a mistake on the command line (exit 2, README "Exit codes"),
// not a knowledge base that does not validate (exit 3).
describe('a knowledge-base directory that does not exist is a usage error', () => {
  const missing = join(tmp, 'no-such-kb');
  const notADir = join(tmp, 'kb-file.yaml');
  writeFileSync(notADir, 'rules: []\n');

  it.each([
    [['diagnose', 'examples/01-apm-agent-cpu.json', '--kb', missing], `--kb: expected a knowledge-base directory, got ${missing} (not found)`],
    [['kb', 'validate', '--kb', 'rules', '--kb', notADir], `--kb: expected a knowledge-base directory, got ${notADir} (a file)`],
    [['diagnose', '--kb', '-'], '--kb: expected a knowledge-base directory, got - (stdin)'],
    [['kb', 'diff', missing, 'rules'], `kb diff OLD: expected a knowledge-base directory, got ${missing} (not found)`],
    [['kb', 'diff', 'rules', missing], `kb diff NEW: expected a knowledge-base directory, got ${missing} (not found)`],
    [['kb', 'seal', missing], `kb seal DIR: expected a knowledge-base directory, got ${missing} (not found)`],
    [['kb', 'seal', tmp, '--kb', missing], `--kb: expected a knowledge-base directory, got ${missing} (not found)`],
    [['serve', '--port', '0', '--kb', missing], `--kb: expected a knowledge-base directory, got ${missing} (not found)`],
  ])('rca %j', async (args, line) => {
    expect(await runCli(args, { env: { RCA_DATA_DIR: emptyDataDir() } })).toEqual({ code: 2, stdout: '', stderr: usage(line, args) });
  });
});
