import { loadKnowledgeBase, type KnowledgeBase, type LoadOptions } from '../core/kb.js';

/**
 * The knowledge base a server answers with. Reloading swaps it whole, and only after
 * the new one loaded and validated: a broken edit never replaces a working KB.
 */
export class KbHolder {
  private kb: KnowledgeBase;

  constructor(
    private readonly dirs: readonly string[],
    private readonly options: LoadOptions = {},
  ) {
    this.kb = loadKnowledgeBase(dirs, options);
  }

  get current(): KnowledgeBase {
    return this.kb;
  }

  /** Loads the KB again from disk; throws KbError (keeping the old KB) when it does not validate. */
  reload(): KnowledgeBase {
    this.kb = loadKnowledgeBase(this.dirs, this.options);
    return this.kb;
  }
}
