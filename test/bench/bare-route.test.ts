import { describe, expect, it } from 'vitest';
import { BARE_PATH, bareRoute } from '../../bench/bare-route.js';

// npm run bench:api holds rca's CPU per request to this route's: it must send what rca sends.
describe("the API bench's bare route", () => {
  it('answers the n-th request with the n-th answer, round the list, as JSON.stringify writes it', async () => {
    const answers = [{ size: 'small' }, { size: 'large', text: 'x'.repeat(300) }, { size: 'medium', list: [1, 2, 3] }];
    const app = bareRoute(answers);
    const bodies: string[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await app.inject({ method: 'POST', url: BARE_PATH, payload: { facts: { 'http.status': 503 } } });
      expect(response.statusCode).toBe(200);
      bodies.push(response.body);
    }
    expect(bodies).toEqual([0, 1, 2, 0, 1, 2, 0].map((i) => JSON.stringify(answers[i])));
    await app.close();
  });

  it('refuses an empty list of answers', () => {
    expect(() => bareRoute([])).toThrow('bareRoute: expected at least one answer, got none');
  });
});
