/**
 * Where a JSON pointer's value starts in a block-style YAML text, for messages a curator's editor
 * can jump to ("rules/lb/x.yaml:102:11 at /rules/1/conditions/all/0/operator"). It reads the
 * text's keys and sequence dashes by their indentation, in one pass, and walks them as the pointer
 * says; a value in a flow collection (`- {fact: a, operator: b}`) is placed at the collection's
 * key or dash. Best effort: where the text does not show a step (an alias, a key written across
 * lines), the place of the deepest step found, or undefined when not even the first is found.
 */

/** A line and a column, both counted from 1 as editors and compilers count them. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A key or a sequence dash, where it starts. */
interface Token {
  line: number;
  column: number;
  /** The key, or undefined for a dash. */
  key?: string;
  /** A flow collection or a block scalar starts after it on its line. */
  opens: 'flow' | 'block' | undefined;
}

const DASH = /^-(?:\s+|$)/;
// A plain key is words without ':' or '#' separated by blanks: each blank run and each word can
// be matched one way only, so a line that is no key fails in linear time.
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:[^\s:#'"{[\]},&*!|>%@`-]|-(?=[^\s:#]))[^\s:#]*(?:[ \t]+[^\s:#]+)*)[ \t]*:(?:\s+|$)/;

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  return key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key;
}

/** The keys and dashes of the text, in order; the lines of a block scalar are skipped. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  let blockScalarOver = -1;
  // A byte-order mark is no indentation: trimStart would count it as a blank, putting the first
  // key at column 1 and every other root key under it.
  const unmarked = text.startsWith('\uFEFF') ? text.slice(1) : text;
  unmarked.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const rest = line.trimStart();
    if (rest === '' || rest.startsWith('#')) return;
    if (blockScalarOver >= 0) {
      if (indent > blockScalarOver) return;
      blockScalarOver = -1;
    }
    let column = indent;
    let at = rest;
    for (;;) {
      const dash = DASH.exec(at);
      const key = dash ? undefined : KEY.exec(at);
      if (!dash && !key) return;
      const length = (dash ?? key)?.[0].length as number;
      const after = at.slice(length);
      const opens = /^[{[]/.test(after) ? 'flow' : /^[|>]/.test(after) ? 'block' : undefined;
      out.push({ line: index + 1, column, ...(key && { key: unquote((key[1] as string).trimEnd()) }), opens });
      if (opens === 'block') blockScalarOver = column;
      // Only a dash shares its line with what it holds ("- id: a", "- - b"); after a key comes its scalar.
      if (opens !== undefined || after === '' || key) return;
      column += length;
      at = after;
    }
  });
  return out;
}

/** The tokens below `parent` (every token at the root), as [start, end) indexes into `all`. */
function childrenOf(all: readonly Token[], parent: number): [number, number] {
  if (parent < 0) return [0, all.length];
  const { column, key } = all[parent] as Token;
  let end = parent + 1;
  // A key's block sequence may sit at the key's own indentation ("rules:\n- id: a").
  const sameColumnDashes = key !== undefined && all[end]?.column === column && all[end]?.key === undefined;
  while (end < all.length) {
    const t = all[end] as Token;
    if (t.column < column || (t.column === column && !(sameColumnDashes && t.key === undefined))) break;
    end++;
  }
  return [parent + 1, end];
}

/**
 * The place of the value at each `pointer` (RFC 6901) in `text` (see the module's comment), the
 * text read once for every pointer asked: a file's lint findings are located together.
 */
export function yamlLocator(text: string): (pointer: string) => TextPosition | undefined {
  const all = tokens(text);
  return (pointer) => {
    const steps = pointer === '' ? [] : pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let at = -1;
    for (const step of steps) {
      if (at >= 0 && (all[at] as Token).opens === 'flow') break;
      const [start, end] = childrenOf(all, at);
      const first = all[start];
      if (start >= end || !first) break;
      let found = -1;
      // A number is an index into a sequence, and a key in a mapping ("502": [502, 502] under http.status).
      if (/^\d+$/.test(step) && first.key === undefined) {
        let index = Number(step);
        for (let i = start; i < end; i++) {
          const t = all[i] as Token;
          if (t.key === undefined && t.column === first.column && index-- === 0) {
            found = i;
            break;
          }
        }
      } else {
        for (let i = start; i < end; i++) {
          const t = all[i] as Token;
          if (t.column === first.column && t.key === step) {
            found = i;
            break;
          }
        }
      }
      if (found < 0) break;
      at = found;
    }
    const token = all[at];
    return token && { line: token.line, column: token.column + 1 };
  };
}

/**
 * Locates pointers in the YAML files TEXTOF reads (undefined for any other file, or one it cannot
 * read), each file read and scanned once, when first asked.
 */
export function fileLocator(textOf: (file: string) => string | undefined): (file: string, pointer: string) => TextPosition | undefined {
  const locators = new Map<string, ((pointer: string) => TextPosition | undefined) | undefined>();
  return (file, pointer) => {
    if (!locators.has(file)) {
      const text = /\.ya?ml$/i.test(file) ? textOf(file) : undefined;
      locators.set(file, text === undefined ? undefined : yamlLocator(text));
    }
    return locators.get(file)?.(pointer);
  };
}
