// Build step: parse and validate the shipped rules/ once and store the result in
// dist/kb-snapshot.json, so `rca` skips YAML parsing and validation while rules/ is unchanged.
import { writeFileSync } from 'node:fs';
import { defaultKbDir, kbSnapshotFile } from '../dist/src/core/paths.js';
import { snapshotKnowledgeBase } from '../dist/src/core/kb.js';

writeFileSync(kbSnapshotFile, JSON.stringify(snapshotKnowledgeBase(defaultKbDir)));
