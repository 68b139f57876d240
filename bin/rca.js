#!/usr/bin/env node
// `node bin/rca.js` as before; the launcher is bin/rca.cjs (package.json "bin"), which starts faster.
import './rca.cjs';
