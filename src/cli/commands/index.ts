import type { CliCommand } from '../command.js';

/** Every CLI command, listed explicitly (no directory scanning); each module is imported only when its command runs. */
export const commands: readonly CliCommand[] = [
  {
    command: 'diagnose [files..]',
    describe: 'Rank root causes for files of facts, JSON or YAML (or stdin), and tool output (--artifact), and print a report',
    load: () => import('./diagnose.js'),
  },
  {
    command: 'interview',
    describe: 'Ask the next most useful question until the root cause is clear, then report',
    load: () => import('./interview.js'),
  },
  {
    command: 'serve',
    describe: 'Serve the JSON API for ticketing systems',
    load: () => import('./serve.js'),
  },
  {
    command: 'kb <action> [dirs..]',
    describe: 'Curate the knowledge base: validate, lint, test, coverage, doc (the one --kb names; no dirs); seal [DIR], eval [CORPUS..], suggest [INCIDENTS..], show ID, diff OLD NEW',
    load: () => import('./kb.js'),
  },
  {
    command: 'cases <action> [id]',
    describe: 'The cases rca serve keeps: list, show ID (with similar past incidents), report (accuracy on resolved cases), delete ID',
    load: () => import('./cases.js'),
  },
  {
    command: 'db <action>',
    describe: 'The case database: migrate (to the schema of this rca), forget-deleted (what deletions left past --deleted-retention)',
    load: () => import('./db.js'),
  },
  {
    command: 'facts',
    describe: 'List the fact vocabulary (with --kb: and the facts its packs declare): names, types, ranges and units',
    load: () => import('./facts.js'),
  },
  {
    command: 'parse [kind] [file]',
    describe: "Read a command's saved output (ping, strace -c, top, dig, openssl s_client, ...) into facts",
    load: () => import('./parse.js'),
  },
  {
    command: 'collect',
    describe: 'Probe a target (DNS, TCP, TLS, HTTP, ping) and this host (/proc) and print the facts, ready for `rca diagnose -`',
    load: () => import('./collect.js'),
  },
  {
    command: 'completion [shell]',
    describe: 'Print a bash or zsh script that completes commands, options and their values',
    load: () => import('./completion.js'),
  },
];
