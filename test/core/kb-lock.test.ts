import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase, readKbDirectory, sealKnowledgeBase } from '../../src/core/kb.js';
import { LOCK_FILE, lockFileProblems, sha256Of } from '../../src/core/kb-lock.js';
import { defaultKbDir } from '../../src/core/paths.js';
import type { KbLock } from '../../src/generated/kb-lock.js';
import { kbProblems } from '../fixtures.js';
import { FIXTURE_KB } from '../server/helpers.js';

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'rca-kb-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Byte offsets where a file can be cut at a line boundary: its start and after each newline but the last. */
function lineCuts(bytes: Buffer): number[] {
  const cuts = [0];
  for (let i = bytes.indexOf(0x0a); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(0x0a, i + 1)) cuts.push(i + 1);
  return cuts;
}

const shippedLock = JSON.parse(readFileSync(join(defaultKbDir, LOCK_FILE), 'utf8')) as KbLock;

describe('kb.lock.json', () => {
  it('refuses every cut of every shipped rule file at a line boundary, naming the file', () => {
    const files = Object.keys(shippedLock.files).map((relPath) => ({ relPath, file: `rules/${relPath}`, sha256: shippedLock.files[relPath] as string }));
    // The lock covers the files in the layer directories too, by their '/'-separated path.
    expect(files).toHaveLength(78);
    expect(files.map((f) => f.relPath)).toEqual(expect.arrayContaining(['kb.yaml', 'shared.yaml', 'commands.yaml', 'dns/conditions.yaml', 'dns/questions.yaml', 'dns/resolution_failure.yaml', 'network/conntrack_dns_race.yaml']));
    let cuts = 0;
    const accepted: string[] = [];
    for (const shipped of files) {
      const bytes = readFileSync(join(defaultKbDir, shipped.relPath));
      for (const cut of lineCuts(bytes)) {
        cuts++;
        const truncated = files.map((f) => (f === shipped ? { ...f, sha256: sha256Of(bytes.subarray(0, cut)) } : f));
        const problems = lockFileProblems(shippedLock, 'rules/kb.lock.json', truncated, 'rca kb seal rules');
        if (problems.length !== 1 || problems[0]?.file !== shipped.file || !problems[0].message.includes('changed since sealing')) accepted.push(`${shipped.relPath} cut at ${cut}`);
      }
    }
    expect(cuts).toBeGreaterThan(8000);
    expect(accepted).toEqual([]);
  });

  it('refuses truncated copies of the shipped KB that would otherwise load with fewer rules', () => {
    const text = readFileSync(join(defaultKbDir, 'network', 'snat_port_race.yaml'), 'utf8');
    const rulesSection = text.indexOf('\nrules:\n');
    const ruleStarts = [...text.matchAll(/^ {2}- id: /gm)].map((m) => m.index).filter((at) => at > rulesSection);
    const cuts = [ruleStarts[1], ruleStarts[Math.floor(ruleStarts.length / 2)], ruleStarts.at(-1)] as number[];
    for (const cut of cuts) {
      const dir = copyOf(defaultKbDir);
      writeFileSync(join(dir, 'network', 'snat_port_race.yaml'), text.slice(0, cut));
      expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([
        expect.stringMatching(new RegExp(`^${dir}/network/snat_port_race\\.yaml at : expected sha256:[0-9a-f]{12}\\.\\.\\. as sealed in ${dir}/kb\\.lock\\.json, got sha256:[0-9a-f]{12}\\.\\.\\.: changed since sealing \\(if intended, run \`rca kb seal ${dir}\`\\)$`)),
      ]);
      // Without the lock the same cut is valid YAML and a valid KB, with rules missing: the lock is what refuses it.
      rmSync(join(dir, LOCK_FILE));
      expect(loadKnowledgeBase([dir]).rules.length).toBeLessThan(shippedLock.counts.rules);
    }
  });

  it('names a file added or removed since sealing, and a count that differs from the sealed one', () => {
    const added = copyOf(FIXTURE_KB);
    writeFileSync(join(added, 'extra.yaml'), 'rules: []\n');
    expect(kbProblems(() => loadKnowledgeBase([added]))).toEqual([
      `${added}/extra.yaml at : expected only the files sealed in ${added}/kb.lock.json, got this one too: added after sealing (if intended, run \`rca kb seal ${added}\`)`,
    ]);
    const removed = copyOf(defaultKbDir);
    rmSync(join(removed, 'tls', 'cert_expired.yaml'));
    expect(kbProblems(() => loadKnowledgeBase([removed]))).toEqual([
      `${removed}/kb.lock.json at /files/tls~1cert_expired.yaml: expected the sealed file tls/cert_expired.yaml, got none: removed since sealing (if intended, run \`rca kb seal ${removed}\`)`,
    ]);
    const miscounted = copyOf(FIXTURE_KB);
    const lock = JSON.parse(readFileSync(join(miscounted, LOCK_FILE), 'utf8')) as KbLock;
    writeFileSync(join(miscounted, LOCK_FILE), JSON.stringify({ ...lock, counts: { ...lock.counts, rules: lock.counts.rules + 1 } }));
    expect(kbProblems(() => loadKnowledgeBase([miscounted]))).toEqual([`${miscounted}/kb.lock.json at /counts/rules: expected ${lock.counts.rules + 1} rules as sealed, got ${lock.counts.rules}`]);
    // The named commands are counted once there are some (the shipped ones: 24), and a lock that lost the count is refused too.
    expect(shippedLock.counts.commands).toBe(24);
    const uncounted = copyOf(defaultKbDir);
    const { commands, ...rest } = shippedLock.counts;
    writeFileSync(join(uncounted, LOCK_FILE), JSON.stringify({ ...shippedLock, counts: rest }));
    expect(kbProblems(() => loadKnowledgeBase([uncounted]))).toEqual([`${uncounted}/kb.lock.json at /counts/commands: expected no commands as sealed, got ${commands}`]);
  });

  it('refuses a lock that does not parse or does not fit its schema', () => {
    const dir = copyOf(FIXTURE_KB);
    writeFileSync(join(dir, LOCK_FILE), '{"lockVersion": 1, "files": {');
    expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([expect.stringMatching(new RegExp(`^${dir}/kb\\.lock\\.json at : does not parse: .+ \\(rewrite it with \`rca kb seal ${dir}\`\\)$`))]);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ lockVersion: 2, files: {}, counts: { files: 0, hypotheses: 0, rules: 0, questions: 0, conditions: 0, disable: 0 } }));
    expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([`${dir}/kb.lock.json at /lockVersion: expected 1, got number 2`]);
  });

  it('seal writes the lock only for a KB that validates; a directory without a lock loads unless a lock is required', () => {
    const dir = copyOf(FIXTURE_KB);
    rmSync(join(dir, LOCK_FILE));
    expect(loadKnowledgeBase([dir]).meta.unsealed).toEqual([dir]);
    expect(kbProblems(() => loadKnowledgeBase([dir], { requireLock: true }))).toEqual([
      `${dir} at : expected a sealed knowledge base (kb.lock.json), got none: validate it and run \`rca kb seal ${dir}\``,
    ]);
    const original = readFileSync(join(dir, 'kb.yaml'), 'utf8');
    writeFileSync(join(dir, 'kb.yaml'), original.replace('cf: 0.8}', 'cf: 1.8}'));
    expect(kbProblems(() => sealKnowledgeBase(dir))).toEqual([expect.stringMatching(/kb\.yaml at \/rules\/0\/evidence\/0\/cf: expected a number <= 1, got number 1\.8$/)]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    writeFileSync(join(dir, 'kb.yaml'), original);
    const { file, lock } = sealKnowledgeBase(dir);
    expect(file).toBe(join(dir, LOCK_FILE));
    expect(lock).toEqual({ lockVersion: 1, files: { 'kb.yaml': sha256Of(original) }, counts: { files: 1, hypotheses: 4, rules: 6, questions: 7, conditions: 0, disable: 0 } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(lock);
    const sealed = loadKnowledgeBase([dir], { requireLock: true });
    expect(sealed.meta.unsealed).toEqual([]);
    expect(readKbDirectory(dir).sealed).toBe(true);
  });
});

// A pack comes from someone else: what its directory holds at the lock's path or the seal's
// temporary path must not make rca read or write outside it, or block.
describe('kb.lock.json from a hostile pack', () => {
  it('refuses a lock that is a symbolic link (read from outside the pack) or a FIFO (a load that never ends), naming it', () => {
    const outside = join(mkdtempSync(join(tmpdir(), 'rca-outside-')), 'secret.txt');
    writeFileSync(outside, 'root:x:0:0:root:/root:/bin/bash\n');
    const linked = copyOf(FIXTURE_KB);
    rmSync(join(linked, LOCK_FILE), { force: true });
    symlinkSync(outside, join(linked, LOCK_FILE));
    expect(kbProblems(() => loadKnowledgeBase([linked]))).toEqual([`${linked}/kb.lock.json at : expected a regular file, got a symbolic link`]);
    const fifo = copyOf(FIXTURE_KB);
    rmSync(join(fifo, LOCK_FILE), { force: true });
    execFileSync('mkfifo', [join(fifo, LOCK_FILE)]);
    expect(kbProblems(() => loadKnowledgeBase([fifo]))).toEqual([`${fifo}/kb.lock.json at : expected a regular file, got a special file (a FIFO, socket or device)`]);
    expect(kbProblems(() => sealKnowledgeBase(fifo))).toEqual([`${fifo}/kb.lock.json at : expected a regular file, got a special file (a FIFO, socket or device)`]);
  });

  it('seals through no link the pack ships: the temporary lock gets a fresh name, created, never followed', () => {
    const dir = copyOf(FIXTURE_KB);
    const victim = join(mkdtempSync(join(tmpdir(), 'rca-victim-')), 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    // Every name the old seal could have used (kb.lock.json.<pid>.tmp), pointing outside.
    for (const pid of [process.pid, ...Array.from({ length: 64 }, (_, i) => i + 1)]) symlinkSync(victim, join(dir, `${LOCK_FILE}.${pid}.tmp`));
    sealKnowledgeBase(dir);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(lstatSync(join(dir, LOCK_FILE)).isFile()).toBe(true);
    expect(readKbDirectory(dir).sealed).toBe(true);
  });

  it('refuses a rule file that is not UTF-8, naming the byte, as a facts document is', () => {
    const dir = copyOf(FIXTURE_KB);
    rmSync(join(dir, LOCK_FILE), { force: true });
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('hypotheses: []\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([`${dir}/latin1.yaml at : expected UTF-8 text, got an invalid UTF-8 sequence at byte offset 20 (0xe9 0x0a)`]);
  });
});
