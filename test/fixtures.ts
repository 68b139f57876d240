import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { buildKnowledgeBase, type KbSource } from '../src/core/kb.js';

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

export function source(data: unknown, file = 'test.yaml'): KbSource {
  return { file, text: JSON.stringify(data), data };
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
