/**
 * The baseline of `npm run bench:api` (bench/bare-server.ts serves it): a bare fastify route
 * that parses the JSON body and answers with one fixed object, serialized by fastify as any
 * route without a response schema is (JSON.stringify). bench/api.ts gives it rca's own answer
 * of the mean size (answerOfMeanSize), so that it sends as many bytes per request as rca does.
 * One object, not rca's answers in turn: rca serializes an answer it has just built, hot in the
 * cache, and JSON.stringify over 117 stored answers in turn costs twice what one does.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export const BARE_PATH = '/bare';

export function bareRoute(answer: unknown): FastifyInstance {
  const app = Fastify({ logger: false });
  app.post(BARE_PATH, async () => answer);
  return app;
}

/** The answer whose UTF-8 size is nearest the mean size of all of them (the first of a tie). */
export function answerOfMeanSize(answers: readonly string[]): string {
  if (answers.length === 0) throw new Error('answerOfMeanSize: expected at least one answer, got none');
  const sizes = answers.map((answer) => Buffer.byteLength(answer));
  const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  let nearest = 0;
  sizes.forEach((size, i) => {
    if (Math.abs(size - mean) < Math.abs((sizes[nearest] as number) - mean)) nearest = i;
  });
  return answers[nearest] as string;
}
