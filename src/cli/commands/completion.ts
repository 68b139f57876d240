import { artifactKinds } from '../../collect/parsers/index.js';
import { SUPPORTED_LANGS } from '../../core/localize.js';
import { defineCommand } from '../command.js';

const SHELLS = ['bash', 'zsh'] as const;
type Shell = (typeof SHELLS)[number];

/**
 * The scripts ask rca itself what fits at the cursor (`rca --get-yargs-completions WORDS`, which
 * yargs answers from the commands' own options and choices), so they never go stale. bash keeps
 * the answers that start with the word typed, comparing as text: compgen -W would expand them.
 */
const SCRIPTS: Record<Shell, string> = {
  bash: `# rca completion for bash: source <(rca completion bash), or add that line to ~/.bashrc
###-begin-rca-completions-###
_rca_completions() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line
  COMPREPLY=()
  while IFS= read -r line; do
    # Options once a dash is typed: a bare word gets a command, an action or a value, else
    # nothing, and bash completes a file name (-o default).
    [[ $line == -* && $cur != -* ]] && continue
    [[ $line == "$cur"* ]] && COMPREPLY+=("$line")
  done < <(rca --get-yargs-completions "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
  # KIND= (--artifact KIND=FILE) is followed by its file, with no space between.
  [[ \${COMPREPLY[0]} == *= ]] && compopt -o nospace
  return 0
}
complete -o bashdefault -o default -F _rca_completions rca
###-end-rca-completions-###
`,
  zsh: `#compdef rca
# rca completion for zsh: source <(rca completion zsh), or save it as _rca in a directory of $fpath
###-begin-rca-completions-###
_rca_completions() {
  local -a reply
  reply=(\${(f)"$(ZSH_NAME=zsh rca --get-yargs-completions "\${(@)words[1,CURRENT]}" 2>/dev/null)"})
  # Options once a dash is typed; a bare word with nothing else to offer is a file name (after
  # the KIND= of --artifact KIND=FILE), and KIND= is followed by its file with no space between.
  [[ $PREFIX == -* ]] || reply=(\${reply:#-*})
  if (( \${#reply} == 0 )); then
    compset -P '*='
    _files
  elif [[ \${reply[1]} == *= ]]; then
    compadd -S '' -- $reply
  else
    _describe 'values' reply
  fi
}
compdef _rca_completions rca
###-end-rca-completions-###
`,
};

/**
 * The values of options that are strings to yargs, checked by rca (`--lang zh` is zh-CN, so they
 * are no choices): yargs would offer the option names for the word after them.
 */
const OPTION_VALUES = new Map<string, readonly string[]>([['--lang', SUPPORTED_LANGS]]);

/**
 * What rca completes itself, where yargs cannot know it: the KIND of `rca parse` (a free word, so
 * that a near miss gets a did-you-mean), of `rca diagnose --artifact KIND=FILE` (and --direct-artifact), and OPTION_VALUES.
 * WORDS are the words after the program's name, the last one being completed; undefined leaves it to yargs.
 */
export function ownCompletions(words: readonly string[]): string[] | undefined {
  const current = words.at(-1) ?? '';
  const previous = words.at(-2);
  let candidates: readonly string[];
  if (words.length === 2 && previous === 'parse' && !current.startsWith('-')) candidates = ['auto', ...artifactKinds];
  else if (words[0] === 'diagnose' && (previous === '--artifact' || previous === '--direct-artifact')) candidates = artifactKinds.map((kind) => `${kind}=`);
  else if (previous !== undefined && OPTION_VALUES.has(previous)) candidates = OPTION_VALUES.get(previous) as readonly string[];
  else return undefined;
  return candidates.filter((candidate) => candidate.startsWith(current));
}

export default defineCommand<{ shell?: Shell }>({
  builder: (y) =>
    y
      .positional('shell', { choices: SHELLS, describe: 'The shell to complete in [default: from SHELL, else bash]' })
      .epilogue('bash: source <(rca completion bash) in ~/.bashrc; zsh: source <(rca completion zsh) in ~/.zshrc'),
  async run(args, io) {
    const shell = args.shell ?? (io.env.SHELL?.split('/').at(-1) === 'zsh' ? 'zsh' : 'bash');
    io.stdout.write(SCRIPTS[shell]);
    return 0;
  },
});
