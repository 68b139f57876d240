import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands as registry } from '../../src/cli/commands/index.js';
import { artifactKinds } from '../../src/collect/parsers/index.js';
import { packageRoot } from '../../src/core/paths.js';
import { runCli } from './run.js';

const COMMANDS = ['diagnose', 'interview', 'serve', 'kb', 'cases', 'db', 'facts', 'parse', 'collect', 'completion'];
const FORMATS = ['text', 'markdown', 'html', 'json'];

/** What the shell would offer for WORDS (the last one being completed), as `rca --get-yargs-completions` answers the scripts. */
async function completions(...words: string[]): Promise<string[]> {
  const run = await runCli(['--get-yargs-completions', 'rca', ...words]);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  // In zsh each line is "name:description"; the name is what is completed.
  return run.stdout.trimEnd().split('\n').map((line) => line.replace(/(?<!\\):.*$/, ''));
}

/**
 * Sources `rca completion bash` in a real bash, with `rca` running the built bin, and completes
 * WORDS as bash would at the cursor on the last word: what COMPREPLY holds.
 */
function bashCompletes(...words: string[]): string[] {
  const script = [
    `rca() { "${process.execPath}" "${join(packageRoot, 'bin', 'rca.cjs')}" "$@"; }`,
    'source <(rca completion bash)',
    'COMP_WORDS=(rca "$@")',
    'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
    'COMP_LINE="${COMP_WORDS[*]}"',
    'COMP_POINT=${#COMP_LINE}',
    // compopt works only while bash completes at a prompt: a stand-in says what was asked of it.
    'compopt() { printf "compopt %s\\n" "$*"; }',
    '_rca_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const run = spawnSync('bash', ['-c', script, 'bash', ...words], { cwd: packageRoot, encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

/**
 * Sources `rca completion zsh` in a real zsh (compinit loaded) and runs its completion function
 * for WORDS, the cursor on the last: what it hands to _describe, which only a live line editor
 * can run, so a stand-in prints it. Also says which function compdef registered for rca.
 */
function zshCompletes(...words: string[]): { registered: string; offered: string[] } {
  const script = [
    'autoload -U compinit && compinit -u -D',
    `rca() { "${process.execPath}" "${join(packageRoot, 'bin', 'rca.cjs')}" "$@" }`,
    'source <(rca completion zsh)',
    'print -r -- "${_comps[rca]}"',
    '_describe() { print -rl -- "${(@P)2}" }',
    // What only a live line editor can run, stand-ins print: the word _files completes (after
    // what compset took off it) and the candidates compadd adds with their suffix.
    'compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=} }',
    '_files() { print -r -- "_files $PREFIX" }',
    'compadd() { print -r -- "compadd $*" }',
    'words=(rca "$@"); CURRENT=${#words}; PREFIX=${words[CURRENT]}',
    '_rca_completions',
  ].join('\n');
  const run = spawnSync('zsh', ['-f', '-c', script, 'zsh', ...words], { cwd: packageRoot, encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const [registered = '', ...offered] = run.stdout.split('\n').filter(Boolean);
  return { registered, offered };
}

describe('rca completion', () => {
  it('prints a bash script that completes through rca itself', async () => {
    const run = await runCli(['completion', 'bash']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# rca completion for bash: source <\(rca completion bash\)/);
    expect(run.stdout).toContain('rca --get-yargs-completions');
    expect(run.stdout).toContain('complete -o bashdefault -o default -F _rca_completions rca\n');
  });

  it('prints a zsh script (compdef) for zsh, given or taken from SHELL', async () => {
    const given = await runCli(['completion', 'zsh']);
    expect(given.code).toBe(0);
    expect(given.stdout).toMatch(/^#compdef rca\n/);
    expect(given.stdout).toContain('compdef _rca_completions rca\n');
    expect((await runCli(['completion'], { env: { SHELL: '/usr/bin/zsh' } })).stdout).toBe(given.stdout);
    expect((await runCli(['completion'], { env: { SHELL: '/bin/bash' } })).stdout).toBe((await runCli(['completion', 'bash'])).stdout);
  });

  it('refuses a shell it has no script for, naming the ones it has', async () => {
    const run = await runCli(['completion', 'fish']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('rca: usage error: completion SHELL: expected one of bash, zsh, got "fish"\nRun \'rca completion --help\' for usage.\n');
  });

  it('completes the commands, --format values and parse kinds', async () => {
    expect(await completions('')).toEqual(COMMANDS);
    expect(await completions('diagnose', '--format', '')).toEqual(FORMATS);
    expect(await completions('diagnose', '-o', '')).toEqual(FORMATS);
    expect(await completions('parse', '')).toEqual(['auto', ...artifactKinds]);
    expect(await completions('parse', 'st')).toEqual(['strace-c', 'strace-t']);
    expect(await completions('diagnose', 'incident.json', '--artifact', 'ping')).toEqual(['ping=', 'ping-mtu=']);
    expect(await completions('diagnose', 'incident.json', '--direct-artifact', 'curl')).toEqual(['curl-w=', 'curl-v=', 'curl-i=']);
  });

  it("the README's install line works for a user whose completions directory does not exist yet", async () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const line = (readme.split('\n').find((l) => l.includes('npx rca completion bash >')) ?? '').replace(/\s+#\s.*$/, '');
    const home = mkdtempSync(join(tmpdir(), 'rca-home-'));
    const npx = `npx() { shift; "${process.execPath}" "${join(packageRoot, 'bin', 'rca.cjs')}" "$@"; }`;
    const run = spawnSync('bash', ['-c', `${npx}\n${line}`], { cwd: packageRoot, env: { PATH: process.env.PATH ?? '', HOME: home }, encoding: 'utf8', timeout: 20_000 });
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(readFileSync(join(home, '.local', 'share', 'bash-completion', 'completions', 'rca'), 'utf8')).toBe((await runCli(['completion', 'bash'])).stdout);
  });

  it('completes --lang with the languages rca has texts in, not the option names', async () => {
    expect(await completions('diagnose', '--lang', '')).toEqual(['en', 'zh-CN']);
    expect(await completions('kb', 'doc', '--lang', 'z')).toEqual(['zh-CN']);
    expect(await completions('interview', '--lang', '')).toEqual(['en', 'zh-CN']);
  });

  it('works in bash: commands, --format values and parse kinds at the cursor', () => {
    expect(bashCompletes('')).toEqual(COMMANDS);
    expect(bashCompletes('diag')).toEqual(['diagnose']);
    expect(bashCompletes('diagnose', '--format', 'm')).toEqual(['markdown']);
    expect(bashCompletes('parse', 'nst')).toEqual(['nstat']);
    expect(bashCompletes('diagnose', '--lang', '')).toEqual(['en', 'zh-CN']);
  });

  it('in bash, offers options once a dash is typed, leaves a bare word to file names, and puts no space after KIND=', () => {
    // Nothing offered: bash completes a file name (complete -o default).
    expect(bashCompletes('diagnose', '')).toEqual([]);
    expect(bashCompletes('diagnose', '--t')).toEqual(['--top', '--template', '--target']);
    expect(bashCompletes('kb', 'v')).toEqual(['validate']);
    expect(bashCompletes('diagnose', '--artifact', 'tcpd')).toEqual(['compopt -o nospace', 'tcpdump=']);
    expect(bashCompletes('diagnose', '--format', '')).toEqual(FORMATS);
  });

  it('in zsh, offers options once a dash is typed, completes a file name for a bare word and after KIND=, with no space after KIND=', () => {
    expect(zshCompletes('diagnose', 'ex').offered).toEqual(['_files ex']);
    expect(zshCompletes('diagnose', '--artifact', 'ping=ex').offered).toEqual(['_files ex']);
    expect(zshCompletes('diagnose', '--artifact', 'tcpd').offered).toEqual(["compadd -S  -- tcpdump="]);
    // _describe keeps those that start with the word typed; it is handed the options only.
    const options = zshCompletes('diagnose', '--to').offered.map((line) => line.split(':')[0]);
    expect(options).toContain('--top');
    expect(options.every((option) => option?.startsWith('--'))).toBe(true);
    expect(zshCompletes('kb', '').offered).toEqual(['validate', 'seal', 'lint', 'test', 'coverage', 'eval', 'doc', 'diff', 'show', 'suggest']);
  }, 60_000);

  it('works in zsh: commands with their descriptions, --format values and parse kinds', () => {
    const commands = zshCompletes('');
    expect(commands.registered).toBe('_rca_completions');
    expect(commands.offered.map((line) => line.split(':')[0])).toEqual(COMMANDS);
    expect(commands.offered[0]).toBe(`diagnose:${registry[0]?.describe}`);
    expect(zshCompletes('diagnose', '--format', '').offered).toEqual(FORMATS);
    expect(zshCompletes('parse', 'st').offered).toEqual(['strace-c', 'strace-t']);
    // Three real shells, each loading compinit and running rca twice: 2 s on a quiet machine, over
    // 20 s when the suite shared two cores with a dozen other processes. A minute still catches a hang.
  }, 60_000);
});
