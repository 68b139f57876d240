// Build step: parse and validate the shipped rules/ once and store the result in
// dist/kb-snapshot.json, so `rca` skips YAML parsing and validation while rules/ is unchanged.
// rules/ must match its kb.lock.json: when it does not (rules edited without `rca kb seal`),
// the build still succeeds without a snapshot, so that the tests run and say what to do.
import { rmSync, writeFileSync } from 'node:fs';
import { KbError } from '../dist/src/core/errors.js';
import { kbSnapshotFile } from '../dist/src/cli/kb-option.js';
import { defaultKbDir } from '../dist/src/core/paths.js';
import { snapshotJson, snapshotKnowledgeBase } from '../dist/src/core/kb.js';

// A snapshot left by an earlier build is not trusted to snapshot this one (validation may have changed).
rmSync(kbSnapshotFile, { force: true });
try {
  writeFileSync(kbSnapshotFile, snapshotJson(snapshotKnowledgeBase(defaultKbDir)));
} catch (error) {
  if (!(error instanceof KbError)) throw error;
  console.error(`snapshot-kb: rules/ not snapshotted, it does not load:\n${error.message}`);
}
