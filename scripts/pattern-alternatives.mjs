/**
 * ajv's RegExp engine for the validators scripts/build-validators.mjs writes (ajv's
 * `code.regExp`; its source goes into src/generated/validators.js, so it must refer to
 * nothing outside itself). V8 compiles a pattern on its first test, and the 1.7-1.9 KB
 * patterns of target.host and target.url (an IPv4 address, an IPv6 address or a host name)
 * took 4-5 ms each on every `rca diagnose`. A pattern whose first group `(?:A|B|...)` outside
 * any class holds alternatives and is not quantified matches exactly where one of
 * `P(?:A)Q`, `P(?:B)Q`, ... matches (P and Q what stands before and after the group), so it is
 * tested as those, shortest first, each compiled when first needed: a host name never
 * compiles the IPv6 alternative. Any other pattern, one with a backreference (whose numbers
 * the split could shift), flags holding state (g, y) or
 * nesting classes (v) is a plain RegExp.
 * test/core/pattern-alternatives.test.ts holds both to the same answers.
 */
export function patternAlternatives(source, flags) {
  if (/[gyv]/.test(flags) || /\\[1-9]|\\k</.test(source)) return new RegExp(source, flags);
  // The first non-capturing group outside a class, and where its alternatives split.
  let open = -1;
  let depth = 0;
  let inClass = false;
  const splits = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (open < 0 && depth === 0 && source.startsWith('(?:', i)) open = i;
      depth++;
    } else if (c === ')') {
      depth--;
      if (open >= 0 && depth === 0) {
        const after = source[i + 1];
        if (splits.length === 0 || after === '?' || after === '*' || after === '+' || after === '{') return new RegExp(source, flags);
        const before = source.slice(0, open);
        const rest = source.slice(i + 1);
        const bounds = [open + 3, ...splits.map((s) => s + 1)];
        const ends = [...splits, i];
        const variants = bounds.map((start, k) => `${before}(?:${source.slice(start, ends[k])})${rest}`).sort((a, b) => a.length - b.length);
        const compiled = variants.map(() => undefined);
        return {
          source,
          flags,
          variants,
          compiled,
          test(text) {
            for (let k = 0; k < variants.length; k++) {
              compiled[k] ??= new RegExp(variants[k], flags);
              if (compiled[k].test(text)) return true;
            }
            return false;
          },
          toString: () => `/${source}/${flags}`,
        };
      }
    } else if (c === '|' && open >= 0 && depth === 1) splits.push(i);
  }
  return new RegExp(source, flags);
}
