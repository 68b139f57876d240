import { describe, expect, it } from 'vitest';
import { answerOfMeanSize, BARE_PATH, bareRoute } from '../../bench/bare-route.js';

// npm run bench:api holds rca's CPU per request to this route's: it must send as many bytes as
// rca does, serializing an object as hot in the cache as rca's freshly built answer.
describe("the API bench's bare route", () => {
  it('answers every request with the answer it was given, as JSON.stringify writes it', async () => {
    const answer = { hypotheses: [{ id: 'network.packet_loss', confidence: 0.42 }], text: 'x'.repeat(300) };
    const app = bareRoute(answer);
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'POST', url: BARE_PATH, payload: { facts: { 'http.status': 503 } } });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(JSON.stringify(answer));
    }
    await app.close();
  });

  it('takes the answer whose size is nearest the mean size of all of them, in UTF-8 bytes', () => {
    // Sizes 10, 30, 35 and 5 bytes (the "é" is two): mean 20, nearest 10 and 30; the first wins.
    const answers = ['a'.repeat(10), 'b'.repeat(30), 'é'.repeat(17) + 'c', 'd'.repeat(5)];
    expect(answers.map((a) => Buffer.byteLength(a))).toEqual([10, 30, 35, 5]);
    expect(answerOfMeanSize(answers)).toBe(answers[0]);
    expect(answerOfMeanSize(['xyz'])).toBe('xyz');
  });

  it('refuses an empty list of answers', () => {
    expect(() => answerOfMeanSize([])).toThrow('answerOfMeanSize: expected at least one answer, got none');
  });
});
