import { isAscii } from 'node:buffer';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KbError, formatKbProblem } from '../../src/core/errors.js';
import { buildKnowledgeBase, loadKnowledgeBase, readKbDirectory, snapshotKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { kbSnapshotFile } from '../../src/cli/kb-option.js';

// The build snapshots the shipped rules/ (parsed and validated) so the CLI starts fast. The
// core trusts it only when the caller hands it over (ReadOptions.trustedSnapshot); it never
// goes looking for build output itself.
describe('knowledge-base snapshot', () => {
  it('is used for the shipped rules while they are unchanged, when handed over, and equals a fresh parse', () => {
    const fromSnapshot = readKbDirectory(defaultKbDir, 'check', { trustedSnapshot: kbSnapshotFile }).sources;
    expect(fromSnapshot.every((s) => s.validated)).toBe(true);
    for (const s of fromSnapshot) expect(s.data).toEqual(s.file.endsWith('.json') ? JSON.parse(s.text) : parseYaml(s.text));
  });

  it('is ASCII only (the rest escaped, as JSON allows), which parses faster than UTF-8, and holds the texts in every language as the files do', () => {
    expect(isAscii(readFileSync(kbSnapshotFile))).toBe(true);
    const sources = readKbDirectory(defaultKbDir, 'check', { trustedSnapshot: kbSnapshotFile }).sources;
    expect(sources.some((s) => /[\u4e00-\u9fff]/.test(JSON.stringify(s.data)))).toBe(true);
  });

  it('leaves a file as read: its text is its bytes decoded, and the KB hash is that of the texts (a BOM kept; bytes that are not UTF-8 are refused, kb-lock.test.ts), as for sources given as text', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rca-kb-bytes-'));
    cpSync(defaultKbDir, copy, { recursive: true });
    rmSync(join(copy, 'kb.lock.json'));
    const odd = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# caf'), Buffer.from([0xc3, 0xa9]), Buffer.from('\nconditions: {}\n')]);
    writeFileSync(join(copy, 'zz-odd.yaml'), odd);
    const read = readKbDirectory(copy, 'check', { trustedSnapshot: kbSnapshotFile }).sources;
    expect(read.at(-1)?.text).toBe('\ufeff# café\nconditions: {}\n');
    const asText = read.map(({ file, text, data }) => ({ file, text, data }));
    expect(loadKnowledgeBase([copy], { trustedSnapshot: kbSnapshotFile }).meta.hash).toBe(buildKnowledgeBase(asText).meta.hash);
    writeFileSync(join(copy, 'zz-odd.yaml'), '\ufeff# café\nconditions: {}\n');
    expect(loadKnowledgeBase([copy]).meta.hash).toBe(buildKnowledgeBase(asText).meta.hash);
  });

  it('is not used unless handed over: then every file is parsed and validated', () => {
    expect(readKbDirectory(defaultKbDir).sources.some((s) => s.validated)).toBe(false);
  });

  it('is used by content: a directory with other files is parsed, one with the same files loads the same KB', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rca-kb-copy-'));
    cpSync(defaultKbDir, copy, { recursive: true });
    const trusted = { trustedSnapshot: kbSnapshotFile };
    expect(readKbDirectory(copy, 'check', trusted).sources.every((s) => s.validated)).toBe(true);
    expect(loadKnowledgeBase([copy], trusted).meta.hash).toBe(loadKnowledgeBase([defaultKbDir]).meta.hash);
    writeFileSync(join(copy, 'extra.yaml'), 'conditions: {}\n');
    expect(readKbDirectory(copy, 'ignore', trusted).sources.some((s) => s.validated)).toBe(false);
  });

  it('a KB that is one snapshot as the build checked it is not checked again; under another pack or with --min-status, it is', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rca-kb-copy-'));
    cpSync(defaultKbDir, copy, { recursive: true });
    // A snapshot the build could not have written: a rule for a hypothesis no file defines.
    const snapshot = snapshotKnowledgeBase(copy) as { key: string; data: Array<{ rules?: Array<{ id: string; evidence: Array<{ hypothesis: string }> }> }> };
    const file = snapshot.data.find((d) => d.rules?.length) as { rules: Array<{ id: string; evidence: Array<{ hypothesis: string }> }> };
    const rule = file.rules[0] as { id: string; evidence: Array<{ hypothesis: string }> };
    (rule.evidence[0] as { hypothesis: string }).hypothesis = 'no.such_cause';
    const trustedSnapshot = join(mkdtempSync(join(tmpdir(), 'rca-kb-snapshot-')), 'kb-snapshot.json');
    writeFileSync(trustedSnapshot, JSON.stringify(snapshot));
    const loaded = loadKnowledgeBase([copy], { trustedSnapshot });
    expect(loaded.rules.find((r) => r.id === rule.id)?.rule.evidence[0]?.hypothesis).toBe('no.such_cause');
    const pack = mkdtempSync(join(tmpdir(), 'rca-kb-pack-'));
    writeFileSync(join(pack, 'extra.yaml'), 'conditions: {}\n');
    const refusal = (load: () => unknown) => {
      try {
        load();
      } catch (error) {
        if (error instanceof KbError) return error.problems.map(formatKbProblem).filter((p) => p.includes('no.such_cause'));
        throw error;
      }
      return [];
    };
    expect(refusal(() => loadKnowledgeBase([copy], { trustedSnapshot, minStatus: 'deprecated' }))).toHaveLength(1);
    expect(refusal(() => loadKnowledgeBase([copy, pack], { trustedSnapshot }))).toHaveLength(1);
  });

  it('is keyed by the lock as well: a lock edited since the build is read and checked, not trusted', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rca-kb-copy-'));
    cpSync(defaultKbDir, copy, { recursive: true });
    const trustedSnapshot = kbSnapshotFile;
    expect(readKbDirectory(copy, 'check', { trustedSnapshot }).sources.every((s) => s.validated)).toBe(true);
    const lockFile = join(copy, 'kb.lock.json');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { counts: { rules: number } };
    lock.counts.rules += 1;
    writeFileSync(lockFile, JSON.stringify(lock));
    let problems: string[] = [];
    try {
      readKbDirectory(copy, 'check', { trustedSnapshot });
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
      problems = error.problems.map(formatKbProblem);
    }
    expect(problems).toEqual([`${lockFile} at /counts/rules: expected ${lock.counts.rules} rules as sealed, got ${lock.counts.rules - 1}`]);
  });

  it('rules/kb.lock.json matches rules/ (the shipped KB ships sealed)', () => {
    let problems: string[] = [];
    try {
      expect(readKbDirectory(defaultKbDir, 'require').sealed).toBe(true);
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
      problems = error.problems.map(formatKbProblem);
    }
    expect(problems, 'rules/ changed since it was sealed: run `npm run build && npx rca kb seal`, then commit rules/kb.lock.json').toEqual([]);
  });
});
