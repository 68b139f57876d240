import { basename } from 'node:path';
import type { KbFile, KbMeta } from '../../../generated/kb-file.js';
import type { KbSource, Located } from '../../kb.js';
import type { LoadCheck, Report } from '../check.js';

export const kbSection: LoadCheck = {
  meta: {
    id: 'kb-section',
    severity: 'fatal',
    docs: {
      description: 'kb.yaml names the knowledge base (kb: {name, version}), and no other file of the first pack names it again.',
      why: 'Without it (an empty kb.yaml, or one cut short) the KB would load as "unnamed 0.0.0", and every diagnosis names the KB it came from.',
    },
  },
  file(source, report) {
    if (basename(source.file) === 'kb.yaml' && !(source.data as KbFile).kb) report(source.file, '/kb', 'expected the kb section naming the knowledge base (kb: {name, version}), got none');
  },
};

/** The kb section in force once `source` is merged: the first pack's, one per pack. */
export function mergeKbSection(current: Located<KbMeta> | undefined, source: KbSource, report: Report): Located<KbMeta> | undefined {
  const doc = source.data as KbFile;
  if (!doc.kb || (current && (source.pack ?? 0) !== 0)) return current;
  if (current) {
    report(source.file, '/kb', `second kb section (first in ${current.file})`);
    return current;
  }
  return { value: doc.kb, file: source.file, path: '/kb' };
}
