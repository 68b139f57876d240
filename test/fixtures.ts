import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { expect } from 'vitest';
import { KbError } from '../src/core/errors.js';
import { buildKnowledgeBase, type KbSource } from '../src/core/kb.js';
import { packageRoot } from '../src/core/paths.js';

/** A minimal valid hypothesis, for knowledge bases built inside tests. */
export function hypothesis(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    category: id.split('.')[0],
    title: { en: `title of ${id}`, 'zh-CN': `${id} 的标题` },
    description: `description of ${id}`,
    checks: [{ command: 'ping -c 3 {{target.host}}', confirms: 'loss', rulesOut: 'no loss' }],
    ...extra,
  };
}

/** A parsed file and its text, as the loader reads one: YAML, so that its places are lines and columns as in a curator's file. */
export function source(data: unknown, file = 'test.yaml'): KbSource {
  return { file, text: dump(data), data };
}

export function kbOf(...files: unknown[]) {
  return buildKnowledgeBase([source({ kb: { name: 'test', version: '1.0.0' } }, 'kb.yaml'), ...files.map((f, i) => source(f, `file${i}.yaml`))]);
}

/** Writes a knowledge-base directory (a pack) holding one YAML file. */
export function pack(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-pack-'));
  writeFileSync(join(dir, 'pack.yaml'), dump(content));
  return dir;
}

/**
 * The interview fixture (test/fixtures/interview-kb) as an unsealed pack whose commands name no
 * target.* fact (localhost and its URL written in), changed by `edit`: the interview asks for the
 * service only when a command names it. Its directory.
 */
export function interviewKbWithoutTarget(edit: (yaml: string) => string = (yaml) => yaml): string {
  const yaml = readFileSync(join(packageRoot, 'test', 'fixtures', 'interview-kb', 'kb.yaml'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'rca-pack-'));
  writeFileSync(join(dir, 'kb.yaml'), edit(yaml.replaceAll('{{target.host}}', 'localhost').replaceAll('{{target.port}}', '80').replaceAll('{{target.url}}', 'http://localhost/')));
  return dir;
}

/** The problems of the KbError that `build` throws, one `file at path: message` line each. */
export function kbProblems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(KbError);
    return (error as KbError).problems.map((p) => `${p.file} at ${p.path}: ${p.message}`);
  }
  throw new Error('expected a KbError');
}
