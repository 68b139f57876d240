import { basename } from 'node:path';
import type { KbFile, KbMeta } from '../../../generated/kb-file.js';
import type { KbSource } from '../../kb.js';
import type { Located } from '../../kb-place.js';
import type { LoadCheck, Report } from '../check.js';

export const kbSection: LoadCheck = {
  meta: {
    id: 'kb-section',
    severity: 'fatal',
    docs: {
      description: 'kb.yaml names the knowledge base (kb: {name, version}), and no other file of its pack names it again; a layered pack may name itself the same way.',
      why: 'Without it (an empty kb.yaml, or one cut short) the KB would load as "unnamed 0.0.0", and every diagnosis names the KB it came from.',
    },
  },
  file(source, report) {
    if (basename(source.file) === 'kb.yaml' && !(source.data as KbFile).kb) report(source.file, '/kb', 'expected the kb section naming the knowledge base (kb: {name, version}), got none');
  },
};

/**
 * The kb sections in force once `source` is merged, by pack: the first pack's names the
 * knowledge base, a later pack's names that pack (reports list it after the base). One per pack.
 */
export function mergeKbSection(byPack: Map<number, Located<KbMeta>>, source: KbSource, report: Report): void {
  const doc = source.data as KbFile;
  if (!doc.kb) return;
  const pack = source.pack ?? 0;
  const current = byPack.get(pack);
  if (current) report(source.file, '/kb', `second kb section (first in ${current.file})`);
  else byPack.set(pack, { value: doc.kb, file: source.file, path: '/kb' });
}
