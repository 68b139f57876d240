// Derives src/generated/*.ts from the JSON Schemas so types never drift from schemas.
// `--check` exits 1 when a generated file is out of date (used by the test suite).
import { compileFromFile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = [
  ['schemas/kb-file.schema.json', 'src/generated/kb-file.ts'],
  ['schemas/diagnosis.schema.json', 'src/generated/diagnosis.ts'],
  ['schemas/diagnose-request.schema.json', 'src/generated/diagnose-request.ts'],
  ['schemas/kb-lock.schema.json', 'src/generated/kb-lock.ts'],
  ['schemas/incident.schema.json', 'src/generated/incident.ts'],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [schema, out] of targets) {
  const ts = await compileFromFile(root + schema, {
    cwd: root + 'schemas',
    bannerComment: `/* Generated from ${schema} by scripts/gen-types.mjs. Do not edit. */`,
    additionalProperties: false,
    unreachableDefinitions: true,
    // maxItems would expand into a union of tuples of every length.
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true },
  });
  if (check) {
    const current = await readFile(root + out, 'utf8').catch(() => '');
    if (current !== ts) {
      console.error(`${out} is out of date with ${schema}: run npm run gen:types`);
      stale++;
    }
  } else {
    await writeFile(root + out, ts);
  }
}
process.exit(stale ? 1 : 0);
