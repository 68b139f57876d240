/**
 * The baseline of `npm run bench:api` (bench/bare-server.ts serves it): a bare fastify route
 * that parses the JSON body and answers with an object serialized by fastify as any route
 * without a response schema is (JSON.stringify). The n-th request gets the n-th of `answers`,
 * round the list: bench/api.ts passes rca's own answer to each body it sends, in the order it
 * sends them, so the bare route sends as many bytes, in the same mix of sizes, as rca does.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export const BARE_PATH = '/bare';

export function bareRoute(answers: readonly unknown[]): FastifyInstance {
  if (answers.length === 0) throw new Error('bareRoute: expected at least one answer, got none');
  const app = Fastify({ logger: false });
  let next = 0;
  app.post(BARE_PATH, async () => {
    const answer = answers[next];
    next = (next + 1) % answers.length;
    return answer;
  });
  return app;
}
