import { describe, expect, it } from 'vitest';
import { shellEvents, type ShellEvent, type ShellPiece } from '../../src/core/shell-words.js';
import { cpuStopwatch } from '../cpu-time.js';

/** The events of a text with placeholders written as `@name@`, each word, and each placeholder's part of its word, as `written=>value`. */
function read(text: string): string[] {
  const pieces: ShellPiece[] = text.split('@').map((part, i) => (i % 2 === 1 ? { placeholder: `{{${part}}}` } : { text: part }));
  return [...shellEvents(pieces)].map(describeEvent);
}

function describeEvent(event: ShellEvent): string {
  switch (event.type) {
    case 'word':
      return `${event.written}=>${event.value}`;
    case 'placeholder':
      return `${event.placeholder} in ${event.where} after ${JSON.stringify(event.written)}=>${JSON.stringify(event.value)}`;
    default:
      return event.type;
  }
}

describe('shellEvents', () => {
  it('ends words at spaces and tabs, commands at ; | & ( ) and newlines, and keeps a redirection with its &', () => {
    expect(read('a  b\tc;d|e&&f(g)\nh')).toEqual(['a=>a', 'b=>b', 'c=>c', 'command', 'd=>d', 'command', 'e=>e', 'command', 'command', 'f=>f', 'command', 'g=>g', 'command', 'command', 'h=>h']);
    expect(read('cmd 2>&1 >&2 <&0 &')).toEqual(['cmd=>cmd', '2>&1=>2>&1', '>&2=>>&2', '<&0=><&0', 'command']);
  });

  it('removes quotes and undoes escapes in the value, and keeps only what opens a quoted part in what is written', () => {
    expect(read(`a'b c'd "e \\" \\$ \\n" f\\ g`)).toEqual([`a'd=>ab cd`, `"=>e " $ \\n`, 'f\\ g=>f g']);
    expect(read("'' \"\"")).toEqual(["'=>", '"=>']);
    // A line continuation joins what is on either side; inside double quotes it is kept.
    expect(read('ab\\\ncd "e\\\nf"')).toEqual(['abcd=>abcd', '"=>e\\\nf']);
  });

  it('reads a comment from a # that starts a word to the end of its line, and no # inside a word', () => {
    expect(read("a#b # c 'd\ne")).toEqual(['a#b=>a#b', 'command', 'e=>e']);
    expect(read('a # @x.y@\nb')).toEqual(['a=>a', '{{x.y}} in comment after ""=>""', 'command', 'b=>b']);
  });

  it('reads $(...) as a command of its own, inside the word it stands in, also within double quotes', () => {
    expect(read('x=$(curl -w a u) b')).toEqual(['substitution', 'curl=>curl', '-w=>-w', 'a=>a', 'u=>u', 'substitution end', 'x=$()=>x=$()', 'b=>b']);
    expect(read('"a $(echo "b c") d"')).toEqual(['substitution', 'echo=>echo', '"=>b c', 'substitution end', '"$()=>a $() d']);
    expect(read('$(a $(b))')).toEqual(['substitution', 'a=>a', 'substitution', 'b=>b', 'substitution end', '$()=>$()', 'substitution end', '$()=>$()']);
  });

  it('reads ${...} and backticks as quotes: their text is no command, a $(...) in them is one', () => {
    expect(read('a ${x:-b c} d')).toEqual(['a=>a', '${=>${x:-b c}', 'd=>d']);
    expect(read('a `b; c` d')).toEqual(['a=>a', '`=>`b; c`', 'd=>d']);
    expect(read('`a $(b) c`')).toEqual(['substitution', 'b=>b', 'substitution end', '`$()=>`a $() c`']);
    // A ${...} nests quotes; a backtick ends at the next backtick whatever the quotes between.
    expect(read(`\${a:-"}"} \`'\` x`)).toEqual(['${=>${a:-}}', "`=>`'`", 'x=>x']);
  });

  it('tells where each placeholder stands: in a word, in quotes at any depth, or in a comment', () => {
    expect(read('ping -c1 @target.host@:@target.port@ x')).toEqual([
      'ping=>ping',
      '-c1=>-c1',
      '{{target.host}} in word after ""=>""',
      '{{target.port}} in word after ":"=>":"',
      '{{target.host}}:{{target.port}}=>{{target.host}}:{{target.port}}',
      'x=>x',
    ]);
    const placeholders = (text: string) => read(text).filter((e) => / in (word|quotes|comment) after /.test(e));
    for (const text of ["'@x.y@'", '"@x.y@"', '${a:-@x.y@}', '`@x.y@`', '"$(a @x.y@)"']) {
      expect(placeholders(text), text).toEqual([expect.stringMatching(/^\{\{x\.y\}\} in quotes after /)]);
    }
    expect(placeholders('echo $(a @x.y@)')).toEqual(['{{x.y}} in word after ""=>""']);
  });

  it("gives with each placeholder its word's part since the word's start or its previous placeholder, as written and as read", () => {
    expect(read(`a"b c"@x.y@\\-'d'@z.w@ e`)).toEqual([
      `{{x.y}} in word after "a\\""=>"ab c"`,
      `{{z.w}} in word after "\\\\-'"=>"-d"`,
      `a"{{x.y}}\\-'{{z.w}}=>ab c{{x.y}}-d{{z.w}}`,
      'e=>e',
    ]);
    // A substitution's words are parts of their own; its word's part goes on after it.
    expect(read('a-$(b @x.y@)c@z.w@')).toEqual([
      'substitution',
      'b=>b',
      '{{x.y}} in word after ""=>""',
      '{{x.y}}=>{{x.y}}',
      'substitution end',
      '{{z.w}} in word after "a-$()c"=>"a-$()c"',
      'a-$()c{{z.w}}=>a-$()c{{z.w}}',
    ]);
    expect(read('"a @x.y@ b"@z.w@')).toEqual(['{{x.y}} in quotes after "\\""=>"a "', '{{z.w}} in word after ""=>" b"', '"{{z.w}}=>a {{x.y}} b{{z.w}}']);
  });

  it('looks no further than a placeholder: a $ or a backslash before one is written as it is', () => {
    expect(read('a $@x.y@')).toEqual(['a=>a', '{{x.y}} in word after "$"=>"$"', '${{x.y}}=>${{x.y}}']);
    expect(read('a \\@x.y@')).toEqual(['a=>a', '{{x.y}} in word after "\\\\"=>""', '\\{{x.y}}=>{{x.y}}']);
    expect(read('a >@x.y@&')).toEqual(['a=>a', '{{x.y}} in word after ">"=>">"', '>{{x.y}}=>>{{x.y}}', 'command']);
  });

  it('runs an unterminated quote or substitution to the end of the text', () => {
    expect(read("a 'b c")).toEqual(['a=>a', "'=>b c"]);
    expect(read('a "b $(c')).toEqual(['a=>a', 'substitution', 'c=>c']);
    expect(read("a 'b @x.y@")).toEqual(['a=>a', `{{x.y}} in quotes after "'"=>"b "`, "'=>b {{x.y}}"]);
    expect(read('a \\')).toEqual(['a=>a', '\\=>']);
  });

  it('reads 1 MB of hostile text in linear time', { timeout: 60_000 }, () => {
    const MB = 1024 * 1024;
    // Quotes opened and closed, quotes and substitutions nested ever deeper and then closed, and
    // a word whose every & follows a > (asking the word itself each time would copy it).
    const third = Math.floor(MB / 3);
    const quarter = MB / 4;
    const shapes = ["'".repeat(MB), '"$('.repeat(third), '$('.repeat(quarter) + ')'.repeat(quarter), 'a>&'.repeat(third)];
    const start = cpuStopwatch();
    const events = shapes.map((text) => {
      const counts: Record<string, number> = {};
      for (const { type } of shellEvents([{ text }])) counts[type] = (counts[type] ?? 0) + 1;
      return counts;
    });
    expect(events).toEqual([{ word: 1 }, { substitution: third }, { substitution: quarter, word: quarter, 'substitution end': quarter }, { word: 1 }]);
    // A stall bound: a quadratic reading of one of these takes minutes.
    expect(start.ms()).toBeLessThan(5000 * shapes.length);
  });
});
