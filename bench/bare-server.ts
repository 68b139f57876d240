/**
 * Serves the baseline route of `npm run bench:api` (bench/bare-route.ts) on 127.0.0.1, with
 * the answer read from the file named by the first argument (a JSON document).
 */
import { readFileSync } from 'node:fs';
import { bareRoute } from './bare-route.js';

const [answerFile] = process.argv.slice(2);
if (!answerFile) throw new Error('usage: bare-server.js <file with the JSON answer to send>');
const app = bareRoute(JSON.parse(readFileSync(answerFile, 'utf8')) as unknown);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`rca: serving bare on ${address}\n`);
process.once('SIGTERM', () => void app.close());
