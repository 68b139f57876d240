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
