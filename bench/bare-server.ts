/**
 * The baseline for `npm run bench:api`: a bare fastify route that parses the JSON body and
 * answers with a fixed object, serialized by fastify as any route without a response schema
 * is. The object is read from the file named by the first argument: bench/api.ts writes a
 * real diagnosis there, so the bare route sends as many bytes as rca does.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [bodyFile] = process.argv.slice(2);
if (!bodyFile) throw new Error('usage: bare-server.js <file with the JSON body to answer>');
const answer: unknown = JSON.parse(readFileSync(bodyFile, 'utf8'));
const app = Fastify({ logger: false });
app.post('/bare', async () => answer);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`rca: serving bare on ${address}\n`);
process.once('SIGTERM', () => void app.close());
