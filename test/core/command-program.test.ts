import { describe, expect, it } from 'vitest';
import { assignmentAfter, programReader, type Assignment } from '../../src/core/command-program.js';
import { shellEvents } from '../../src/core/shell-words.js';

/** Each word of a one-command TEXT as the shell reads it, with what programReader makes of it. */
function roles(text: string): string[] {
  const read = programReader();
  const described: string[] = [];
  for (const event of shellEvents([{ text }])) {
    if (event.type !== 'word') throw new Error(`one simple command expected, got a ${event.type} in ${text}`);
    const word = read(event);
    described.push(`${event.value}: ${word.role}${'name' in word ? ` ${word.name}` : ''}`);
  }
  return described;
}

/** The program programReader finds in TEXT (one simple command), or undefined. */
const programOf = (text: string) => roles(text).find((described) => described.includes(': program '))?.split(': program ')[1];

describe('programReader: which word of a simple command is its program', () => {
  it('passes reserved words and assignments, then takes the first other word as the program, without its directory', () => {
    expect(roles('if ! LC_ALL=C X+=1 a[i]=2 /usr/bin/curl -s x')).toEqual([
      'if: before',
      '!: before',
      'LC_ALL=C: before',
      'X+=1: before',
      'a[i]=2: before',
      '/usr/bin/curl: program curl',
      '-s: argument',
      'x: argument',
    ]);
    expect(roles('while do curl')).toEqual(['while: before', 'do: before', 'curl: program curl']);
  });

  it("follows wrappers past their options and those options' values, and timeout's duration", () => {
    expect(roles('sudo -u www -n /usr/bin/curl -w x')).toEqual(['sudo: wrapper sudo', '-u: before', 'www: before', '-n: before', '/usr/bin/curl: program curl', '-w: argument', 'x: argument']);
    expect(roles('timeout -s KILL 5 nice -n 10 env A=1 nc -z')).toEqual([
      'timeout: wrapper timeout',
      '-s: before',
      'KILL: before',
      '5: before',
      'nice: wrapper nice',
      '-n: before',
      '10: before',
      'env: wrapper env',
      'A=1: before',
      'nc: program nc',
      '-z: argument',
    ]);
    // An option's value is its value even when it reads as a reserved word or an assignment.
    expect(programOf('sudo -u do curl')).toBe('curl');
    expect(programOf('sudo -u A=1 curl')).toBe('curl');
    // An option of the wrapper that takes no value: the next word goes on.
    expect(programOf('time -p curl')).toBe('curl');
    expect(programOf('/usr/bin/time -f %e getent ahosts x')).toBe('getent');
  });

  it('reads option words and names as the shell reads them, reserved words and assignments as written', () => {
    // Quotes removed: `timeout "-s" KILL 5 sh` runs sh, as `timeout -s KILL 5 sh` does.
    expect(programOf('timeout "-s" KILL 5 sh -c x')).toBe('sh');
    expect(programOf("'sudo' -u root bash")).toBe('bash');
    expect(programOf('c\\url -w x')).toBe('curl');
    // Quoted or escaped, a reserved word or an assignment is a command's name to the shell.
    expect(programOf('"do" curl')).toBe('do');
    expect(programOf('"A"=1 curl')).toBe('A=1');
    expect(programOf('A\\=1 curl')).toBe('A=1');
  });

  it('finds no program in a command of reserved words, assignments and wrappers only', () => {
    expect(roles('sudo -u root')).toEqual(['sudo: wrapper sudo', '-u: before', 'root: before']);
    expect(programOf('A=1 B=2')).toBeUndefined();
    expect(programOf('timeout 5')).toBeUndefined();
  });

  it('reads nothing after the program as anything but its arguments', () => {
    expect(roles('echo sudo if A=1')).toEqual(['echo: program echo', 'sudo: argument', 'if: argument', 'A=1: argument']);
  });
});

describe('assignmentAfter: how far the start of a word reads as a bash assignment', () => {
  const whole = (word: string) => assignmentAfter('start', word);
  /** The same word read in parts cut at every character: the answer must not depend on the cuts. */
  const byCharacter = (word: string) => [...word].reduce<Assignment>((state, c) => assignmentAfter(state, c), 'start');

  it('reads name=, name+= and name[subscript]= as assignments, decided at their =', () => {
    for (const word of ['A=', 'A=1', '_x9=a=b', 'X+=1', 'a[1]=x', 'a[$(id)]+=x', 'a[]=', 'a[[]=']) {
      expect([whole(word), byCharacter(word)], word).toEqual(['yes', 'yes']);
    }
  });

  it('reads anything else as no assignment, and a start that could still become one as how far it got', () => {
    for (const word of ['1A=', '-A=', '"A"=1', 'A\\=1', 'a[1]x=', 'a[1][2]=', 'A++=', '=x', 'a-b=c']) {
      expect([whole(word), byCharacter(word)], word).toEqual(['no', 'no']);
    }
    expect(['', 'A', 'a[x', 'a[x]', 'A+'].map(whole)).toEqual(['start', 'name', 'subscript', 'subscript closed', 'plus']);
  });
});
