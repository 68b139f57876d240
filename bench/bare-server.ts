/** The baseline for `npm run bench:api`: a bare fastify route returning a fixed small JSON. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/bare', async () => ({ ok: true, hypotheses: [{ id: 'bench.fixed', confidence: 0.5 }] }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`rca: serving bare on ${address}\n`);
process.once('SIGTERM', () => void app.close());
