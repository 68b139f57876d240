/**
 * Where a JSON pointer's value starts in a YAML or JSON text, for messages a curator's editor can
 * jump to ("rules/lb/x.yaml:102:11 at /rules/1/conditions/all/0/operator"). It reads the text's
 * keys and sequence dashes by their indentation, and the keys and items of flow collections
 * (`- {fact: a, operator: b}`, and a JSON document, which is one) by their brackets and commas, in
 * one pass, into one tree that the pointer is walked down. Best effort: where the text does not
 * show a step (an alias, a key written across lines), the place of the deepest step found, or
 * undefined when not even the first is found.
 */

/** A line and a column, both counted from 1 as editors and compilers count them. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A key, a sequence dash or a flow collection's item, where it starts (column from 0), and what it holds. */
interface Node {
  line: number;
  column: number;
  /** The key, or undefined for an item of a sequence. */
  key?: string;
  children: Node[];
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

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isFlowIndicator = (c: string | undefined) => c === ',' || c === '[' || c === ']' || c === '{' || c === '}';

/** The offset of the first character after the blanks and comments at AT (a comment starts at a '#' after a blank). */
function skipBlanks(text: string, at: number): number {
  let i = at;
  for (;;) {
    if (isBlank(text[i])) i++;
    else if (text[i] === '#' && (i === 0 || isBlank(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else return i;
  }
}

/**
 * The offset just after the scalar starting at AT inside a flow collection: a quoted one up to its
 * closing quote, a plain one up to a flow indicator, a ": " or a comment.
 */
function scalarEnd(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  if (quote === '"' || quote === "'") {
    while (i < text.length) {
      const c = text[i];
      if (quote === '"' && c === '\\') i += 2;
      else if (c === quote && quote === "'" && text[i + 1] === "'") i += 2;
      else if (c === quote) return i + 1;
      else i++;
    }
    return text.length;
  }
  for (i = at; i < text.length; i++) {
    const c = text[i];
    if (isFlowIndicator(c) || (c === ':' && (i + 1 === text.length || isBlank(text[i + 1]) || isFlowIndicator(text[i + 1]))) || (c === '#' && i > at && isBlank(text[i - 1]))) break;
  }
  return i;
}

/**
 * The keys and items of the flow collection whose bracket is at OPEN, nested collections'
 * under theirs, and the offset after its closing bracket (the text's end when it has none). An
 * entry of a mapping is placed at its key, an item of a sequence where it starts. One pass with a
 * stack of the collections open: hostile nesting costs no recursion.
 */
function flowCollection(text: string, open: number, positionOf: (offset: number) => { line: number; column: number }): { children: Node[]; end: number } {
  const children: Node[] = [];
  const unclosed: Array<{ children: Node[]; mapping: boolean }> = [{ children, mapping: text[open] === '{' }];
  let i = open + 1;
  for (let frame = unclosed.at(-1); frame; frame = unclosed.at(-1)) {
    i = skipBlanks(text, i);
    const c = text[i];
    if (c === undefined) break;
    if (c === '}' || c === ']') {
      unclosed.pop();
      i++;
      continue;
    }
    if (c === ',' || (frame.mapping && (c === ':' || c === '{' || c === '['))) {
      // A separator; or a key that is empty or a collection, which a knowledge base has no use for.
      i++;
      continue;
    }
    const { line, column } = positionOf(i);
    const entry: Node = { line, column, children: [] };
    frame.children.push(entry);
    if (frame.mapping) {
      const keyEnd = scalarEnd(text, i);
      entry.key = unquote(text.slice(i, keyEnd).trimEnd());
      i = skipBlanks(text, keyEnd);
      if (text[i] !== ':') continue;
      i = skipBlanks(text, i + 1);
    }
    if (text[i] === '{' || text[i] === '[') {
      unclosed.push({ children: entry.children, mapping: text[i] === '{' });
      i++;
    } else i = Math.max(scalarEnd(text, i), frame.mapping ? i : i + 1);
  }
  return { children, end: i };
}

/**
 * The text's keys, dashes and flow items as a tree under a root: a block key or dash holds the
 * tokens indented under it (a key's block sequence may sit at the key's own indentation,
 * "rules:\n- id: a"); the lines of a block scalar and of a flow collection's later lines are
 * read no further.
 */
function tree(text: string): Node {
  // A byte-order mark is no indentation: trimStart would count it as a blank, putting the first
  // key at column 1 and every other root key under it.
  const unmarked = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineStarts = [0];
  for (let i = unmarked.indexOf('\n'); i >= 0; i = unmarked.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const positionOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] as number) };
  };
  const root: Node = { line: 0, column: -1, children: [] };
  // The block nodes a later one may be under, innermost last; `dashes` marks a key whose sequence is at its own indentation.
  const enclosing: Array<{ node: Node; dashes?: boolean }> = [{ node: root }];
  let skipBefore = 0;
  let blockScalarOver = -1;
  lineStarts.forEach((start, index) => {
    if (start < skipBefore) return;
    const next = lineStarts[index + 1];
    const line = unmarked.slice(start, next === undefined ? unmarked.length : next - 1).replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const rest = line.trimStart();
    if (rest === '' || rest.startsWith('#')) return;
    if (blockScalarOver >= 0) {
      if (indent > blockScalarOver) return;
      blockScalarOver = -1;
    }
    if (/^[{[]/.test(rest) && root.children.length === 0) {
      // The whole document is one flow collection: a JSON file.
      const flow = flowCollection(unmarked, start + indent, positionOf);
      root.children = flow.children;
      skipBefore = flow.end;
      return;
    }
    let column = indent;
    let at = rest;
    for (;;) {
      const dash = DASH.exec(at);
      const key = dash ? undefined : KEY.exec(at);
      if (!dash && !key) return;
      const length = (dash ?? key)?.[0].length as number;
      const after = at.slice(length);
      const node: Node = { line: index + 1, column, ...(key && { key: unquote((key[1] as string).trimEnd()) }), children: [] };
      for (let top = enclosing.at(-1); top && top.node !== root; top = enclosing.at(-1)) {
        if (top.node.column < column) break;
        const ownDashes = top.node.column === column && top.node.key !== undefined && !key && (top.dashes ?? top.node.children.length === 0);
        if (ownDashes) {
          top.dashes = true;
          break;
        }
        enclosing.pop();
      }
      enclosing.at(-1)?.node.children.push(node);
      enclosing.push({ node });
      if (/^[{[]/.test(after)) {
        const flow = flowCollection(unmarked, start + column + length, positionOf);
        node.children = flow.children;
        skipBefore = flow.end;
        return;
      }
      if (/^[|>]/.test(after)) {
        blockScalarOver = column;
        return;
      }
      // Only a dash shares its line with what it holds ("- id: a", "- - b"); after a key comes its scalar.
      if (after === '' || key) return;
      column += length;
      at = after;
    }
  });
  return root;
}

/**
 * The place of the value at each `pointer` (RFC 6901) in `text` (see the module's comment), the
 * text read once for every pointer asked: a file's lint findings are located together.
 */
export function yamlLocator(text: string): (pointer: string) => TextPosition | undefined {
  const root = tree(text);
  return (pointer) => {
    const steps = pointer === '' ? [] : pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let found: Node | undefined;
    let node = root;
    for (const step of steps) {
      // A number is an index into a sequence, and a key in a mapping ("502": [502, 502] under http.status).
      const next = /^\d+$/.test(step) && node.children[0]?.key === undefined ? node.children[Number(step)] : node.children.find((child) => child.key === step);
      if (!next) break;
      found = node = next;
    }
    return found && { line: found.line, column: found.column + 1 };
  };
}

/**
 * Locates pointers in the YAML and JSON files TEXTOF reads (undefined for any other file, or one
 * it cannot read), each file read and scanned once, when first asked.
 */
export function fileLocator(textOf: (file: string) => string | undefined): (file: string, pointer: string) => TextPosition | undefined {
  const locators = new Map<string, ((pointer: string) => TextPosition | undefined) | undefined>();
  return (file, pointer) => {
    if (!locators.has(file)) {
      const text = /\.(ya?ml|json)$/i.test(file) ? textOf(file) : undefined;
      locators.set(file, text === undefined ? undefined : yamlLocator(text));
    }
    return locators.get(file)?.(pointer);
  };
}
