/**
 * Serves the baseline route of `npm run bench:api` (bench/bare-route.ts) on 127.0.0.1, with
 * the answers read from the file named by the first argument (a JSON array).
 */
import { readFileSync } from 'node:fs';
import { bareRoute } from './bare-route.js';

const [answersFile] = process.argv.slice(2);
if (!answersFile) throw new Error('usage: bare-server.js <file with a JSON array of the answers to send>');
const app = bareRoute(JSON.parse(readFileSync(answersFile, 'utf8')) as unknown[]);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`rca: serving bare on ${address}\n`);
process.once('SIGTERM', () => void app.close());
