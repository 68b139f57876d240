import { describe, expect, it } from 'vitest';
import { unboundedPrograms } from '../../src/core/bounded-commands.js';
import { commandArguments } from '../../src/core/command-program.js';

/** The programs of TEXT bounded-command reports, by the first word of what it says of each. */
const unbounded = (text: string) => unboundedPrograms(text).map((u) => u.got.split(' ')[0]);

/** bounded-command's reading of a command (its fires and near-miss cases are in checks.test.ts). */
describe("bounded-command's reading of a command", () => {
  it('reads options as getopt does: clusters up to the option that takes a value, --name=value, operands after --', () => {
    expect([...commandArguments(['-nnc', '5', '-sSo/dev/null', '--max-time=9', '--write-out', 'x', '-', '--', '-c'], 'co', ['--write-out'])]).toEqual([
      { option: '-n' }, { option: '-n' }, { option: '-c', value: '5' },
      { option: '-s' }, { option: '-S' }, { option: '-o', value: '/dev/null' },
      { option: '--max-time', value: '9' }, { option: '--write-out', value: 'x' },
      { operand: '-' }, { operand: '-c' },
    ]);
  });

  it("takes an option's value for the value, not for the option it spells", () => {
    // -i's value is "c", -w's file "-c": neither is a count.
    expect(unbounded('tcpdump -i c port 53; tcpdump -w -c port 53')).toEqual(['tcpdump', 'tcpdump']);
    // pidstat -p's pid is no interval; 1 alone is.
    expect(unbounded('pidstat -u -p 4242 1')).toEqual(['pidstat']);
    expect(unbounded('pidstat -u -p 4242 1 5; sar -f /var/log/sa/sa10 1; vmstat 5 2; mpstat -P ALL 1 5')).toEqual([]);
  });

  it('reads every command of the line: pipes, lists, loops, substitutions; timeout bounds any of them, other wrappers none', () => {
    expect(unbounded('for i in 1 2; do ping h; done | sort; x=$(curl -s u)')).toEqual(['ping', 'curl']);
    expect(unbounded('timeout 60 tcpdump -ni any port 53; timeout -s INT 10 strace -p 1; sudo tcpdump -ni any')).toEqual(['tcpdump']);
    expect(unbounded('echo tcpdump -ni any; grep ping /etc/services')).toEqual([]);
  });

  it('reads strace and ltrace as unbounded only when they attach', () => {
    expect(unbounded('strace -c -f ls; strace -o /tmp/t -p 1; ltrace -p 1')).toEqual(['strace', 'ltrace']);
  });
});
