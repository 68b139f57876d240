import type { Argv } from 'yargs';
import yargs from 'yargs';
import { EXIT, exitCodeFor, formatProblem, InputError, KbError, listedProblems, moreProblems, RcaError, shownKbProblem, TemplateError, UsageError } from '../core/errors.js';
import { visible, visibleKeepingLines } from '../core/escape.js';
import { packageVersion } from '../core/paths.js';
import type { CliCommand } from './command.js';
import { commands } from './commands/index.js';
import { STDIN_ARG, type CliIo } from './io.js';
import { closeTo } from '../core/suggest.js';

/**
 * Writes the error for a person at a terminal. Messages quote what the user sent (fact names,
 * values, flags), so control characters in them are shown (\x1b), never sent to the terminal. A
 * usage error points at the help of the command ARGS run (`rca kb --help`), where its options
 * and operands are, else at rca's.
 */
function report(error: unknown, io: CliIo, args: readonly string[]): void {
  if (error instanceof InputError) {
    const { listed, more } = listedProblems(error.problems);
    for (const p of listed) io.stderr.write(`rca: input error: ${visible(formatProblem(p))}\n`);
    if (more > 0) io.stderr.write(`rca: input error: ${moreProblems(more)}\n`);
  } else if (error instanceof KbError) {
    for (const p of error.problems) io.stderr.write(`rca: knowledge-base error: ${shownKbProblem(p)}\n`);
    if (error.hint) io.stderr.write(`rca: hint: ${visible(error.hint)}\n`);
  } else if (error instanceof TemplateError) {
    io.stderr.write(`rca: template error: ${visible(error.message)}\n`);
  } else if (error instanceof UsageError) {
    const command = commandIn(args);
    io.stderr.write(`rca: usage error: ${visibleKeepingLines(error.message)}\nRun 'rca ${command ? `${commandName(command)} ` : ''}--help' for usage.\n`);
  } else if (error instanceof RcaError) {
    io.stderr.write(`rca: error: ${visible(error.message)}\n`);
  } else {
    const detail = io.env.RCA_DEBUG && error instanceof Error ? (error.stack ?? error.message) : error instanceof Error ? error.message : String(error);
    io.stderr.write(`rca: internal error: ${visibleKeepingLines(detail)}\n(set RCA_DEBUG=1 for a stack trace, and please report it)\n`);
  }
}

/** What the user gave for FLAG in ARGS, quoted: yargs keeps only the number it made of it. */
function givenFor(args: readonly string[], flag: string): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === flag) return args[i + 1] === undefined ? 'nothing' : JSON.stringify(args[i + 1]);
    if (arg.startsWith(`${flag}=`)) return JSON.stringify(arg.slice(flag.length + 1));
  }
  return 'a value that is not a number';
}

/** What yargs knows of the options at hand; yargs has these methods, its typings leave them out. */
interface OptionsIntrospection {
  getOptions(): { number: string[]; string: string[]; array: string[]; boolean: string[]; key: Record<string, unknown>; choices: Record<string, unknown[]> };
  getAliases(): Record<string, string[] | undefined>;
}

/** yargs' own parts, which it has and its typings leave out: the usage instance writes help texts. */
/** yargs' internals (17.7 and 18.2 have them) this reaches into: each may be missing in another release. */
interface UsageInternals {
  getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?(): void } | undefined } | undefined;
}

/**
 * yargs lays out the whole help text as soon as a command's handler has started, in case the
 * handler shows it later; rca's handlers never do (their errors go to .fail, which throws), and
 * that layout was about 8 ms of every command. `--help` and usage errors lay it out when asked.
 */
function skipHelpCaching(parser: UsageInternals): void {
  // Internal to yargs (17.7, 18.2): a release without it keeps its own caching, slower but correct.
  const usage = parser.getInternalMethods?.()?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** A number as written in decimal, with an optional sign, fraction and exponent. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * yargs turns a number option's non-number value into NaN, and leaves one given no value at all
 * (`--top` last, or before another flag) unset as if never given: refuse both, naming what was given.
 */
function refuseNotANumber(argv: Record<string, unknown>, parser: OptionsIntrospection, args: readonly string[]): void {
  for (const [key, value] of Object.entries(argv)) {
    // yargs keeps both spellings of a flag: the kebab-case one names it as typed.
    if (typeof value !== 'number' || !Number.isNaN(value) || /[A-Z]/.test(key)) continue;
    const flag = flagFor(key);
    throw new UsageError(`${flag}: expected a number, got ${givenFor(args, flag)}`);
  }
  const aliases = parser.getAliases();
  for (const key of parser.getOptions().number) {
    for (const flag of [key, ...(aliases[key] ?? [])].map(flagFor)) {
      const at = args.indexOf(flag);
      if (at >= 0 && !takesValue(args[at + 1])) throw new UsageError(`${flag}: expected a number, got nothing`);
      // yargs reads an empty value (`--top ''`, `--top=`, an unset shell variable) as 0, and hex, octal and binary as numbers (--min-top1 0x42 was 66).
      const given = args.flatMap((a, i) => (a === flag && args[i + 1] !== undefined ? [args[i + 1] as string] : a.startsWith(`${flag}=`) ? [a.slice(flag.length + 1)] : []));
      const notDecimal = given.map((value) => value.trim()).find((value) => !DECIMAL.test(value));
      if (notDecimal !== undefined) throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(notDecimal)}`);
    }
  }
}

/**
 * yargs takes an option given twice as the list of both values, and `--no-X` as X = false,
 * whatever X's type; a command reading one value would then get a list or a boolean (and fail
 * on it as a bug, after an interview's questions). Only options declared as lists take several
 * values, and only boolean ones a --no- form: refuse the rest by the flag, before any command runs.
 */
function refuseMisshapenOptions(argv: Record<string, unknown>, parser: OptionsIntrospection, args: readonly string[]): void {
  const { key, array, boolean } = parser.getOptions();
  const aliases = parser.getAliases();
  const named = new Set<string>();
  for (const name of Object.keys(key)) {
    // The declared name comes before its aliases; each option is judged once, by that name.
    if (named.has(name) || boolean.includes(name)) continue;
    for (const alias of [name, ...(aliases[name] ?? [])]) named.add(alias);
    const values = [argv[name]].flat();
    // yargs makes --no-X false, or 0 for a number: read from the line as typed.
    if (args.some((a) => a === `--no-${name}` || a.startsWith(`--no-${name}=`))) throw new UsageError(`--no-${name}: expected ${flagFor(name)} with a value, or no ${flagFor(name)} at all (it takes a value, so it has no --no- form), got --no-${name}`);
    if (!array.includes(name) && values.length > 1) throw new UsageError(`${flagFor(name)}: expected one value, got ${values.length}: ${values.map((v) => JSON.stringify(String(v))).join(', ')}`);
  }
}

/**
 * An empty word (`''`, `--out=`, an unset shell variable) names no file, directory, host or
 * tenant: read as one, `kb doc --out ''` wrote its site into the working directory and
 * `rca diagnose ''` blamed a file with no name. No string option or positional takes it.
 */
function refuseEmptyValues(argv: Record<string, unknown>, parser: OptionsIntrospection, args: readonly string[]): void {
  const { string } = parser.getOptions();
  const command = commandIn(args);
  const positionals = command ? positionalsOf(command) : new Map<string, string>();
  for (const name of new Set(string)) {
    if ([argv[name]].flat().some((value) => value === '')) throw new UsageError(`${positionals.get(name) ?? flagFor(name)}: expected a value, got an empty one ("")`);
  }
}

/**
 * yargs reads a word that starts with '-' after an option as an option, never as its value:
 * `rca collect --url -oProxyCommand=id` left --url empty and read -o -P -r -o ... (three --format),
 * so the error named --format. Refused by the option that wanted a value, before the rest is read.
 */
function refuseOptionAsValue(parser: OptionsIntrospection, args: readonly string[]): void {
  const aliases = parser.getAliases();
  for (const key of parser.getOptions().string) {
    for (const flag of [key, ...(aliases[key] ?? [])].map(flagFor)) {
      const next = args[args.indexOf(flag) + 1];
      if (args.includes(flag) && next !== undefined && !takesValue(next)) {
        throw new UsageError(`${flag}: expected a value, got the option ${JSON.stringify(next)} after it (a value that starts with '-' is given as ${flag}=VALUE)`);
      }
    }
  }
}

/** Whether yargs reads ARG after a flag as that flag's value: there is one, and it is no flag (a negative number is a value). */
function takesValue(arg: string | undefined): boolean {
  return arg !== undefined && (!arg.startsWith('-') || /^-\.?\d/.test(arg));
}

function flagFor(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

/** The command ARGS run (the first word naming one), as the registry lists it. */
function commandIn(args: readonly string[]): CliCommand | undefined {
  for (const arg of args) {
    const command = commands.find((c) => commandName(c) === arg);
    if (command) return command;
  }
  return undefined;
}

function commandName(c: CliCommand): string {
  return c.command.split(' ')[0] as string;
}

/** The positionals of a command (`kb <action> [dirs..]`: action, dirs), named in messages as its help's usage line has them, in capitals: `kb ACTION`. */
function positionalsOf(c: CliCommand): Map<string, string> {
  const name = commandName(c);
  return new Map([...c.command.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => [m[1] as string, `${name} ${(m[1] as string).toUpperCase()}`]));
}

const COMMAND_CHOICES = `one of ${commands.map(commandName).join(', ')}`;
const NO_COMMAND = `COMMAND: expected ${COMMAND_CHOICES}, got nothing`;

/**
 * What a line naming no command says besides (`rca -v`, `rca --kb rules`): the first option rca
 * itself does not take, which yargs, reporting the missing command first, left unnamed; with the
 * option meant, the long option a short one starts (-v, --version) or the closest spelling, else
 * that a command's options follow the command.
 */
function topOptionNote(args: readonly string[], parser: OptionsIntrospection): string | undefined {
  const aliases = parser.getAliases();
  const known = new Set(Object.keys(parser.getOptions().key).flatMap((key) => [key, ...(aliases[key] ?? [])]));
  const longFlags = [...known].map(flagFor).filter((flag) => flag.startsWith('--'));
  const end = args.indexOf('--');
  for (const arg of end < 0 ? args : args.slice(0, end)) {
    if (!/^-[^-\d]|^--[^-]/.test(arg)) continue;
    const typed = arg.split('=')[0] as string;
    // A long option as typed (--no-help is --help negated); short ones may come together (-vx).
    const unknown = typed.startsWith('--') ? (known.has(typed.slice(2).replace(/^no-/, '')) ? undefined : typed) : [...typed.slice(1)].filter((letter) => !known.has(letter)).map((letter) => `-${letter}`)[0];
    if (unknown === undefined) continue;
    const meant = unknown.startsWith('--') ? closeTo(unknown, longFlags) : longFlags.find((long) => long[2] === unknown[1]);
    return `; ${unknown} is no option of rca itself (${meant === undefined ? "a command's options follow the command" : `did you mean ${meant}?`})`;
  }
  return undefined;
}

/** `rca help COMMAND ...` as `rca COMMAND ... --help`: yargs shows help for a trailing `help` only, and read this `help` as an unknown command. */
function helpFirst(args: readonly string[]): readonly string[] {
  const [first, second, ...rest] = args;
  return first === 'help' && commands.some((c) => commandName(c) === second) ? [second as string, ...rest, '--help'] : args;
}

/**
 * An option's or positional's value outside its choices. yargs would say so in lines of its own
 * ("Invalid values:\n  Argument: format, Given: ...", in the user's language); this says it
 * first, in one line. `-o`, short for --format, is easily taken for an output file: where the
 * command has --out, the message says so.
 */
function refuseInvalidChoice(argv: Record<string, unknown>, parser: OptionsIntrospection, args: readonly string[]): void {
  const { choices, key } = parser.getOptions();
  const command = commandIn(args);
  const positionals = command ? positionalsOf(command) : new Map<string, string>();
  for (const [name, allowed] of Object.entries(choices)) {
    for (const value of [argv[name]].flat()) {
      if (value === undefined || allowed.includes(value)) continue;
      // A flag given no value is `true` to yargs.
      const got = value === true ? 'nothing' : JSON.stringify(String(value));
      const outHint = name === 'format' && 'out' in key && args.some((a) => a === '-o' || a.startsWith('-o=')) ? ' (-o is short for --format; an output directory is --out)' : '';
      throw new UsageError(`${positionals.get(name) ?? flagFor(name)}: expected one of ${allowed.join(', ')}, got ${got}${outHint}`);
    }
  }
}

/**
 * How the user typed what yargs names ITEM in "Unknown arguments: ...": a flag with its dashes
 * (yargs drops them, and adds the camelCase twin of --foo-bar), or a word, quoted.
 */
function typedAs(item: string, args: readonly string[]): string {
  const kebab = item.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const flag of [item, kebab].flatMap((name) => [`--${name}`, `--no-${name}`])) {
    if (args.some((a) => a === flag || a.startsWith(`${flag}=`))) return flag;
  }
  if (item.length === 1 && args.some((a) => /^-[^-]/.test(a) && (a.split('=')[0] as string).includes(item))) return `-${item}`;
  return JSON.stringify(item);
}

/**
 * yargs' own refusals (the English of yargs, which main() asks for unless help is shown),
 * each said in one line as rca's other usage errors are: what, expected what, got what.
 */
function usageMessage(message: string, args: readonly string[], parser: OptionsIntrospection): string {
  const command = commandIn(args);
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown) {
    const got = [...new Set((unknown[1] as string).split(', ').map((item) => typedAs(item, args)))];
    if (!command) return `COMMAND: expected ${COMMAND_CHOICES}, got ${got.join(', ')}`;
    const name = commandName(command);
    const what = got.every((g) => g.startsWith('-')) ? 'the options' : 'the options and arguments';
    return `${name}: expected ${what} rca ${name} --help lists, got ${got.join(', ')}`;
  }
  const recommended = /^Did you mean (.*)\?$/.exec(message);
  if (recommended) {
    const typed = args.find((a) => !a.startsWith('-')) ?? '';
    return `COMMAND: expected ${COMMAND_CHOICES}, got ${JSON.stringify(typed)} (did you mean ${recommended[1]}?)`;
  }
  const noValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (noValue) return `${flagFor(noValue[1] as string)}: expected a value, got nothing`;
  if (message === NO_COMMAND) return `${message}${topOptionNote(args, parser) ?? ''}`;
  const missing = /^Not enough non-option arguments: got (\d+), need at least \d+$/.exec(message);
  if (missing && command) {
    const [name, shown] = [...positionalsOf(command)][Number(missing[1])] ?? [];
    const allowed = name === undefined ? undefined : parser.getOptions().choices[name];
    if (shown) return `${shown}: expected ${allowed ? `one of ${allowed.join(', ')}` : 'a value'}, got nothing`;
  }
  return message.replace(/\s*\n\s*/g, ' ');
}

const COMPLETIONS_FLAG = '--get-yargs-completions';

/**
 * The shell's completion script asks `rca --get-yargs-completions rca WORDS...`; yargs answers
 * from the commands' options, except for the words only rca knows (see commands/completion.ts).
 */
async function ownCompletions(args: readonly string[]): Promise<string[] | undefined> {
  const at = args.indexOf(COMPLETIONS_FLAG);
  if (at < 0) return undefined;
  return (await import('./commands/completion.js')).ownCompletions(args.slice(at + 2));
}

/** Parses argv, runs one command and returns the exit code; never exits the process. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const args = helpFirst(argv.map((a) => (a === '-' ? STDIN_ARG : a)));
  const parser: Argv = yargs(args)
    .scriptName('rca')
    .usage('$0 <command> [options]\n\nTurns troubleshooting facts into ranked root causes and the next commands to run.')
    .strict()
    .demandCommand(1, NO_COMMAND)
    .recommendCommands()
    .help()
    .alias('h', 'help')
    // rca's own version, as its package.json says: yargs would look for a package.json up from
    // the main module (the test runner's, in-process), reading directories on every run.
    .version(packageVersion)
    .wrap(Math.min(110, io.stdout.isTTY ? (io.stdout.columns ?? 100) : 100))
    .epilogue('Exit codes:\n  0  diagnosis produced\n  1  unexpected error (a bug), or findings: kb lint errors, kb test failures, kb eval under its\n     thresholds (rca kb --help lists them)\n  2  usage or input error\n  3  invalid knowledge base\n  4  case database unusable (unreachable, locked, or migrated by a newer rca)')
    .fail((message, error) => {
      // yargs' own refusals come as a message, or as its YError ("Not enough arguments following: kb");
      // any other error is a command's own, thrown through.
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(usageMessage(error?.message ?? message, args, parser as unknown as OptionsIntrospection));
    })
    .exitProcess(false)
    // yargs validates nothing while it completes a word (`--format <TAB>` has no value yet); nor does rca.
    .middleware((argv) => {
      if (args.includes(COMPLETIONS_FLAG)) return;
      refuseOptionAsValue(parser as unknown as OptionsIntrospection, args);
      refuseMisshapenOptions(argv, parser as unknown as OptionsIntrospection, args);
      refuseEmptyValues(argv, parser as unknown as OptionsIntrospection, args);
      refuseInvalidChoice(argv, parser as unknown as OptionsIntrospection, args);
    }, true)
    .middleware((argv) => refuseNotANumber(argv, parser as unknown as OptionsIntrospection, args));
  // yargs' refusals are read (usageMessage) in the English they are written in; help, which
  // refuses nothing, stays in the user's language.
  if (!args.includes('--help') && !args.includes('-h')) parser.locale('en');
  skipHelpCaching(parser as unknown as UsageInternals);
  try {
    const own = await ownCompletions(args);
    if (own) {
      io.stdout.write(own.map((line) => `${line}\n`).join(''));
      return exitCode;
    }
    for (const c of commands) {
      // A command not named on the line only lists itself (rca --help); one named anywhere gets
      // its options and its run, imported now. An option's value that happens to be a command's
      // name only costs that import.
      const named = args.includes(c.command.split(' ')[0] as string);
      if (!named) {
        parser.command(c.command, c.describe);
        continue;
      }
      const { builder, run } = (await c.load()).default;
      parser.command(c.command, c.describe, builder, async (args) => {
        exitCode = await run(args as Record<string, unknown>, io);
      });
    }
    let output = '';
    await parser.parseAsync(args, {}, (_err, _argv, text) => {
      output = text;
    });
    if (output) io.stdout.write(`${output}\n`);
    return exitCode;
  } catch (error) {
    report(error, io, args);
    return exitCodeFor(error);
  }
}
