import { commandArguments, programOf, simpleCommands, type CommandArgument } from './command-program.js';
import { CURL_SHORT_WITH_VALUE } from './curl-commands.js';

/**
 * The programs of a command line that run until they are interrupted, read as the shell and each
 * program read them (command-program.ts), closely enough for a lint check: a capture without a
 * packet count, a ping without a count, an attached strace, a curl without --max-time, a statistics
 * tool given an interval and no count, top -b without -n, a follow mode. Under `timeout` any of
 * them ends. An engineer pastes these on a production host at an incident: one that never ends
 * holds the terminal (a capture floods it too), and its output is never pasted back.
 */

/** A program that runs until interrupted: what it is (`got`), and what to write instead. */
export interface Unbounded {
  got: string;
  write: string;
}

/** How one program runs: the short options of its that take a value (commandArguments), and why it would not end, if it would not. */
interface Program {
  shortWithValue: string;
  longWithValue?: readonly string[];
  unbounded(args: readonly CommandArgument[]): Unbounded | undefined;
}

/** tcpdump(8)'s short options that take a value: what is left of its arguments is the filter. */
export const TCPDUMP_SHORT_WITH_VALUE = 'BcCEFGiIjmMQrsTVwWyzZ';

const given = (args: readonly CommandArgument[], ...options: string[]) => args.some((a) => a.option !== undefined && options.includes(a.option));

/** A statistics tool's `interval [count]`: the interval alone reports until interrupted. */
const intervalTool = (name: string, shortWithValue: string, readsFile = ''): Program => ({
  shortWithValue,
  unbounded: (args) => {
    if (readsFile !== '' && given(args, readsFile)) return undefined;
    const numbers = args.filter((a) => a.operand !== undefined && /^\d+$/.test(a.operand));
    return numbers.length === 1 ? { got: `${name} with an interval and no count, which reports until interrupted`, write: `a count after the interval (${name} 1 5)` } : undefined;
  },
});

/** A program that follows (tail -f, journalctl -f) with FOLLOW, its options that follow. */
const follower = (name: string, shortWithValue: string, follow: string[], longWithValue: readonly string[] = []): Program => ({
  shortWithValue,
  longWithValue,
  unbounded: (args) => (given(args, ...follow) ? { got: `${name} ${follow[0]}, which follows until interrupted`, write: `${name} without ${follow[0] as string}, or under timeout` } : undefined),
});

const PROGRAMS: ReadonlyMap<string, Program> = new Map<string, Program>([
  // tcpdump(8): -c stops after that many packets; -r and -V read saved files.
  ['tcpdump', { shortWithValue: TCPDUMP_SHORT_WITH_VALUE, unbounded: (a) => (given(a, '-c', '-r', '-V') ? undefined : { got: 'tcpdump without -c, which captures (and prints, or writes) until interrupted', write: '-c N, to stop after N packets' }) }],
  // tshark(1): -c a count, -a an autostop condition (duration:60), -r a saved file; -D, -L, -G list and exit.
  ['tshark', { shortWithValue: 'aAbBcCdeEfFHiIjJKoOrRsStTwXyYzM', longWithValue: ['--autostop'], unbounded: (a) => (given(a, '-c', '-a', '--autostop', '-r', '-D', '-L', '-G') ? undefined : { got: 'tshark without -c or -a, which captures until interrupted', write: '-c N or -a duration:SECONDS' }) }],
  // ping(8): -c a count, -w a deadline; -W is the wait for each reply only.
  ['ping', { shortWithValue: 'cFiIlmMpQsStTwW', unbounded: (a) => (given(a, '-c', '-w') ? undefined : { got: 'ping without -c or -w, which pings until interrupted', write: '-c N' }) }],
  ['ping6', { shortWithValue: 'cFiIlmMpQsStTwW', unbounded: (a) => (given(a, '-c', '-w') ? undefined : { got: 'ping6 without -c or -w, which pings until interrupted', write: '-c N' }) }],
  // strace(1), ltrace(1): attached to a running process (-p), they trace until interrupted; running a command, until it ends.
  ['strace', { shortWithValue: 'abeEIoOpPsSUX', longWithValue: ['--attach'], unbounded: (a) => (given(a, '-p', '--attach') ? { got: 'strace -p, which traces (and slows) the process until interrupted', write: 'timeout 10 strace ...' } : undefined) }],
  ['ltrace', { shortWithValue: 'aAeEfFlnopsTuwx', unbounded: (a) => (given(a, '-p') ? { got: 'ltrace -p, which traces (and slows) the process until interrupted', write: 'timeout 10 ltrace ...' } : undefined) }],
  // curl(1): --connect-timeout bounds the connection only; a server that stalls after it holds curl for ever.
  ['curl', { shortWithValue: CURL_SHORT_WITH_VALUE, unbounded: (a) => (given(a, '-m', '--max-time') ? undefined : { got: 'curl without --max-time, which waits on a stalled server for ever', write: '--max-time SECONDS' }) }],
  ['vmstat', intervalTool('vmstat', 'pS')],
  ['iostat', intervalTool('iostat', 'gjop')],
  ['mpstat', intervalTool('mpstat', 'INoP')],
  ['pidstat', intervalTool('pidstat', 'CGpT')],
  ['sar', intervalTool('sar', 'IijmnofPse', '-f')],
  // top(1): in batch mode (-b) it writes a screen every delay until -n screens are written.
  ['top', { shortWithValue: 'dnpuUowEe', unbounded: (a) => (given(a, '-b') && !given(a, '-n') ? { got: 'top -b without -n, which writes a screen every delay until interrupted', write: '-n N' } : undefined) }],
  ['tail', follower('tail', 'cns', ['-f', '-F', '--follow'], ['--pid', '--sleep-interval', '--lines', '--bytes'])],
  ['journalctl', follower('journalctl', 'uStUpDMgFiIcT', ['-f', '--follow'], ['--since', '--until', '--unit', '--grep', '--output', '--identifier', '--priority'])],
  ['dmesg', follower('dmesg', 'CfFlnsS', ['-w', '--follow', '-W', '--follow-new'])],
]);

/** Each program of TEXT that runs until interrupted, in the order they come. */
export function unboundedPrograms(text: string): Unbounded[] {
  const reasons: Unbounded[] = [];
  for (const command of simpleCommands(text)) {
    const program = programOf(command);
    const spec = program && PROGRAMS.get(program.name);
    if (!program || !spec || program.wrappers.includes('timeout')) continue;
    const reason = spec.unbounded([...commandArguments(program.args, spec.shortWithValue, spec.longWithValue)]);
    if (reason !== undefined) reasons.push(reason);
  }
  return reasons;
}
