// Derives src/generated/*.ts from the JSON Schemas so types never drift from schemas.
// `--check` exits 1 when a generated file is out of date (used by the test suite).
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// [schema, output, the types it takes from other generated files (a $ref to another schema, or to
// a titled definition of one, `./file.js#/definitions/name`, names that type instead of declaring
// a second copy of it), the type's name when the schema's title is not one (facts.schema.json's
// title is served as it is)].
const targets = [
  ['schemas/kb-file.schema.json', 'src/generated/kb-file.ts'],
  ['schemas/diagnosis.schema.json', 'src/generated/diagnosis.ts'],
  ['schemas/artifacts.schema.json', 'src/generated/artifacts.ts'],
  ['schemas/diagnose-request.schema.json', 'src/generated/diagnose-request.ts', { Artifacts: './artifacts.js' }],
  ['schemas/kb-lock.schema.json', 'src/generated/kb-lock.ts'],
  ['schemas/facts.schema.json', 'src/generated/facts.ts', {}, 'Facts'],
  ['schemas/question.schema.json', 'src/generated/question.ts', { FillIn: './diagnosis.js#/definitions/fillIn' }],
  ['schemas/interview-step.schema.json', 'src/generated/interview-step.ts', { Diagnosis: './diagnosis.js', Question: './question.js', FillIn: './diagnosis.js#/definitions/fillIn' }],
  ['schemas/problem.schema.json', 'src/generated/problem.ts'],
  ['schemas/scenario.schema.json', 'src/generated/scenario.ts'],
  ['schemas/hypothesis.schema.json', 'src/generated/hypothesis.ts'],
  ['schemas/kb-info.schema.json', 'src/generated/kb-info.ts'],
  ['schemas/readiness.schema.json', 'src/generated/readiness.ts'],
  ['schemas/incident.schema.json', 'src/generated/incident.ts'],
  ['schemas/case-create.schema.json', 'src/generated/case-create.ts', { Artifacts: './artifacts.js' }],
  ['schemas/case-patch.schema.json', 'src/generated/case-patch.ts', { Artifacts: './artifacts.js' }],
  ['schemas/case-outcome.schema.json', 'src/generated/case-outcome.ts'],
  ['schemas/case.schema.json', 'src/generated/case.ts', { Diagnosis: './diagnosis.js' }],
  ['schemas/case-list.schema.json', 'src/generated/case-list.ts'],
  ['schemas/case-stats.schema.json', 'src/generated/case-stats.ts'],
  ['schemas/kb-eval.schema.json', 'src/generated/kb-eval.ts', { Verdict: './diagnosis.js#/definitions/verdict', StopReason: './interview-step.js#/definitions/stopReason', TellApart: './interview-step.js#/definitions/tellApart' }],
  ['schemas/kb-validate.schema.json', 'src/generated/kb-validate.ts', { KbCounts: './kb-info.js#/definitions/kbCounts' }],
  ['schemas/kb-seal.schema.json', 'src/generated/kb-seal.ts', { KbLock: './kb-lock.js' }],
  ['schemas/kb-lint.schema.json', 'src/generated/kb-lint.ts', { KbPlace: './kb-validate.js#/definitions/kbPlace' }],
  ['schemas/kb-test.schema.json', 'src/generated/kb-test.ts', { TableFactor: './diagnosis.js#/definitions/tableFactor' }],
  ['schemas/kb-diff.schema.json', 'src/generated/kb-diff.ts'],
  ['schemas/kb-suggest.schema.json', 'src/generated/kb-suggest.ts', { EvalPart: './kb-eval.js#/definitions/evalPart' }],
  ['schemas/kb-show.schema.json', 'src/generated/kb-show.ts', { KbPlace: './kb-validate.js#/definitions/kbPlace', CheckWhere: './hypothesis.js#/definitions/checkWhere', CheckVariantAsWritten: './hypothesis.js#/definitions/checkVariant' }],
  ['schemas/fact-list.schema.json', 'src/generated/fact-list.ts', { LocalizedText: './kb-file.js#/definitions/localizedText' }],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [schema, out, imports = {}, name] of targets) {
  const document = JSON.parse(await readFile(root + schema, 'utf8'));
  if (name) document.title = name;
  const modules = Object.entries(imports).map(([type, from]) => [type, ...from.split('#')]);
  const importLines = modules.map(([type, module]) => `import type { ${type} } from '${module}';\n`).join('');
  const imported = Object.fromEntries(modules.map(([type, module, fragment = '']) => [`https://rca.local/schemas/${module.slice(2, -3)}.schema.json#${fragment}`, type]));
  const useImports = (node) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object' && value !== null && typeof value.$ref === 'string' && imported[value.$ref]) node[key] = { tsType: imported[value.$ref] };
      else useImports(value);
    }
  };
  useImports(document);
  const ts = await compile(document, name ?? document.title, {
    cwd: root + 'schemas',
    bannerComment: `/* Generated from ${schema} by scripts/gen-types.mjs. Do not edit. */\n${importLines}`,
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
