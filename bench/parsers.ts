/**
 * `npm run bench:parsers`: prints one JSON object with the worst time of every artifact parser
 * on 256 KB of crafted text (bench/hostile-artifacts.ts). Also a section of `npm run bench`.
 */
import { hostileParsersReport } from './hostile-artifacts.js';

process.stdout.write(`${JSON.stringify(hostileParsersReport(), null, 2)}\n`);
