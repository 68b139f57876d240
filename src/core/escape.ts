/**
 * Escaping of values for the formats rca writes. Every value in a report (facts, the
 * summary, warnings, knowledge-base texts, rendered commands) can come from a hostile
 * reporter, so each format gets text that shows the value and can do nothing else.
 */

/**
 * Characters a terminal, a markdown renderer or a reader's eye would act on instead of
 * showing: the controls (C0: ESC, BEL, CR, LF, TAB...; DEL; C1, where a lone 0x9B is CSI on
 * some terminals), the Unicode line and paragraph separators, the interlinear annotation marks,
 * and every Default_Ignorable_Code_Point (Unicode's characters that show nothing): bidi marks,
 * embeddings, overrides and isolates (which reorder what is shown, "Trojan Source"), the soft
 * hyphen, zero-width spaces, the word joiner and invisible operators, the Hangul fillers, the
 * tag characters U+E0000-E0FFF and the variation selectors (both spell out hidden text, "ASCII
 * smuggling"), and a lone surrogate (\p{Cs}: half of a character beyond U+FFFF, which UTF-8
 * cannot write, so a terminal would show U+FFFD in its place). Kept, as scripts and emoji need them: the zero-width joiner and non-joiner, and one
 * text or emoji presentation selector (U+FE0E, U+FE0F) after a character that is not itself a
 * variation selector (a run of them is hidden text again).
 */
export const INVISIBLE = /(?!\u200c|\u200d|\ufe0e|\ufe0f)[\p{Cc}\p{Cs}\p{Default_Ignorable_Code_Point}\u2028\u2029\ufff9-\ufffb]|(?<=[\ufe00-\ufe0f]|[\u{e0100}-\u{e01ef}])[\ufe0e-\ufe0f]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** How an invisible character is written so it can be seen: `\n`, `\x1b`, `\u202e`, `\u{e0041}`. */
export function escapeSequence(char: string): string {
  const code = char.codePointAt(0) as number;
  if (code > 0xffff) return `\\u{${code.toString(16)}}`;
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** INVISIBLE without its global flag: a test holds no state between calls. */
const ANY_INVISIBLE = new RegExp(INVISIBLE.source, 'u');

/**
 * Printable ASCII holds no invisible character: most values are such text, and INVISIBLE's
 * Unicode property classes cost about three times the old hand-made list at every position.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Whether TEXT holds a character INVISIBLE names. */
export function hasInvisible(text: string): boolean {
  return !PRINTABLE_ASCII.test(text) && ANY_INVISIBLE.test(text);
}

/** The text with every invisible character shown as its escape sequence, e.g. ESC as `\x1b`. */
export function visible(text: string): string {
  return PRINTABLE_ASCII.test(text) ? text : text.replace(INVISIBLE, escapeSequence);
}

/** Like visible(), but line feeds stay line feeds (for multi-line blocks the format contains). */
export function visibleKeepingLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };

/** Safe in HTML text and in quoted attribute values (the same set handlebars escapes). */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"'`=]/g, (c) => HTML_ENTITIES[c] as string);
}

/**
 * Markdown punctuation that means something wherever it stands (CommonMark, GFM tables and
 * strikethrough, the `$` math of GitHub and GitLab); a backslash makes each one literal.
 * An underscore between two letters or digits cannot open or close emphasis, so
 * `partial_loss` stays readable. The `:` of `://`, the first `/` of a `//` that has no scheme
 * before it and every `@` are escaped too, and so is the dot of a `www.` that starts a word: GFM's autolink literals (GitHub, GitLab, markdown-it's
 * linkify) make a bare URL, `www.` name or e-mail address a link, and a value from a ticket
 * must not become one (an escaped character ends the text the autolink is looked for in).
 * GitLab's references that `#`, `~`, `&`, `$` and `@` do not already cover are escaped too: a
 * merge request `!123` and a milestone `%name`; and GitHub's other issue reference, `GH-123`. A
 * commit SHA is left as it is: it links only to a commit of the repository the text is in.
 */
const MARKDOWN_INLINE = /[\\`*[\]<>#|~&$@]|:(?=\/\/)|(?<![:/])\/(?=\/)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|!(?=\d)|%(?=[\w"])|(?<=(?<![A-Za-z0-9])GH)-(?=\d)/g;
const WWW_AUTOLINK = /(?<![A-Za-z0-9.-])(www)\./gi;

/**
 * Safe in markdown text and table cells: no raw HTML, no link (autolinks included), emphasis or code, no cell
 * boundary, and no new block: newlines and other invisible characters are shown as `\n`,
 * `\x1b`..., so the value stays on its line. With `atLineStart`, the value may open a line,
 * so what would start a block there is escaped too: a list marker (`-`, `+`, `1.` before a
 * space), a thematic break or setext underline (`---`, `===`), an indented code block.
 */
export function escapeMarkdown(text: string, atLineStart = false): string {
  const escaped = visible(text.replace(MARKDOWN_INLINE, '\\$&').replace(WWW_AUTOLINK, '$1\\.'));
  if (!atLineStart) return escaped;
  return escaped
    .replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^[-+](?= |-|$)|^=(?==* *$)/, '\\$&')
    .replace(/^(\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/**
 * An http(s) URL the reader is meant to follow (a curated source) that may be written as a link:
 * nothing in it can end the autolink or quoted attribute it sits in (angle brackets, quotes,
 * backticks, whitespace) or hide what it says (invisible characters). Anything else is shown
 * as text.
 */
export function isLinkableUrl(url: string): boolean {
  return /^https?:\/\/[^\s"'`<>]+$/.test(url) && !hasInvisible(url);
}

/** A markdown link to a URL isLinkableUrl passes, as a CommonMark autolink `<url>` (which takes no markup inside); anything else is shown as text. */
export function markdownUrl(url: string): string {
  return isLinkableUrl(url) ? `<${url}>` : escapeMarkdown(url);
}

/** The longest run of backticks in the text (0 when there is none). */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return longest;
}

/** Markdown inline code showing the text as it is: one line, closed whatever backticks it holds. */
export function markdownCode(text: string): string {
  // Empty ticks are no code span: they would pair with the next backticks on the line.
  const shown = visible(text) || ' ';
  const longest = longestBacktickRun(shown);
  const ticks = '`'.repeat(longest + 1);
  // A space inside the ticks keeps a leading or trailing backtick from joining the fence.
  return longest > 0 ? `${ticks} ${shown} ${ticks}` : `${ticks}${shown}${ticks}`;
}

/** A markdown code block that stays closed whatever backticks the text holds. */
export function markdownFence(text: string, lang: string): string {
  const shown = visibleKeepingLines(text);
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(shown)) + 1);
  return `${fence}${lang}\n${shown}\n${fence}`;
}
