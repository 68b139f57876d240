import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { normalizeFacts } from '../../src/core/facts.js';
import { parseDiagnoseRequest } from '../../src/core/request.js';

function problems(input: unknown) {
  try {
    normalizeFacts(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected an InputError');
}

describe('normalizeFacts', () => {
  it('reads flat and nested facts as the same flat facts', () => {
    const flat = normalizeFacts({ 'http.status': 503, 'ping.result': 'ok', 'tcp.connect_ms': 1.5 });
    const nested = normalizeFacts({ http: { status: 503 }, ping: { result: 'ok' }, tcp: { connect_ms: 1.5 } });
    expect(nested).toEqual(flat);
    expect(flat).toEqual({ 'http.status': 503, 'ping.result': 'ok', 'tcp.connect_ms': 1.5 });
  });

  it('accepts a mix of flat and nested names', () => {
    expect(normalizeFacts({ 'http.status': 502, http: { direct_status: 200 } })).toEqual({ 'http.status': 502, 'http.direct_status': 200 });
  });

  it('treats null as unknown and drops it', () => {
    expect(normalizeFacts({ 'ping.result': null, 'tcp.connect': 'ok' })).toEqual({ 'tcp.connect': 'ok' });
  });

  it('names an unknown fact and suggests the closest known one', () => {
    expect(problems({ 'http.stauts': 503 })).toEqual([
      { field: 'http.stauts', expected: 'a known fact name (did you mean "http.status"?)', got: 'unknown fact "http.stauts"' },
    ]);
  });

  it('does not suggest a far-off name', () => {
    expect(problems({ 'weather.today': 'sunny' })[0]?.expected).toBe('a known fact name (see `rca facts`)');
  });

  it('reports a wrong type with field, expected and got', () => {
    expect(problems({ 'http.status': 'abc' })).toEqual([{ field: 'http.status', expected: 'integer', got: 'string "abc"' }]);
    expect(problems({ 'symptom.intermittent': 'yes' })).toEqual([{ field: 'symptom.intermittent', expected: 'boolean', got: 'string "yes"' }]);
  });

  it('reports out-of-range numbers and enum values', () => {
    expect(problems({ 'http.status': 700 })).toEqual([{ field: 'http.status', expected: 'a number <= 599', got: 'number 700' }]);
    expect(problems({ 'ping.loss_pct': -1 })).toEqual([{ field: 'ping.loss_pct', expected: 'a number >= 0', got: 'number -1' }]);
    expect(problems({ 'ping.result': 'maybe' })).toEqual([{ field: 'ping.result', expected: 'one of "ok", "partial_loss", "fail"', got: 'string "maybe"' }]);
  });

  it('reports every problem at once', () => {
    expect(problems({ 'http.status': 700, 'ping.result': 'maybe', 'nope.fact': 1 }).map((p) => p.field).sort()).toEqual(['http.status', 'nope.fact', 'ping.result']);
  });

  it('refuses prototype keys at any depth', () => {
    expect(problems(JSON.parse('{"__proto__": {"polluted": true}}'))).toEqual([{ field: '__proto__', expected: 'a fact name', got: 'the reserved key "__proto__"' }]);
    expect(problems(JSON.parse('{"constructor": {"prototype": {"x": 1}}}'))[0]?.field).toBe('constructor');
    expect(problems(JSON.parse('{"http": {"__proto__": {"status": 200}}}'))[0]?.field).toBe('http.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses one fact given twice with different values', () => {
    expect(problems({ 'http.status': 503, http: { status: 200 } })[0]).toEqual({
      field: 'http.status',
      expected: 'one value per fact',
      got: 'both number 503 and number 200 (flat and nested)',
    });
  });

  it('refuses input that is not an object', () => {
    expect(problems([1, 2])).toEqual([{ field: 'facts', expected: 'an object of facts', got: 'array of 2' }]);
    expect(problems('ping ok')[0]?.got).toBe('string "ping ok"');
  });

  it('refuses a fact whose value is an object', () => {
    expect(problems({ 'http.status': { code: 503 } })).toEqual([{ field: 'http.status', expected: 'integer', got: 'object' }]);
  });

  it('limits nesting depth', () => {
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 20; i++) deep = { a: deep };
    expect(problems(deep)[0]?.expected).toBe('facts nested at most 8 levels deep');
  });
});

describe('parseDiagnoseRequest', () => {
  it('takes bare facts or a {summary, facts} envelope', () => {
    expect(parseDiagnoseRequest({ 'ping.result': 'ok' })).toEqual({ facts: { 'ping.result': 'ok' }, summary: null, unknown: [], warnings: [] });
    expect(parseDiagnoseRequest({ summary: 'slow', facts: { ping: { result: 'ok' } }, unknown: ['tcp.connect'] })).toEqual({
      facts: { 'ping.result': 'ok' },
      summary: 'slow',
      unknown: ['tcp.connect'],
      warnings: [],
    });
    expect(() => parseDiagnoseRequest({ facts: {}, unknown: ['tcp.conect'] })).toThrow('/unknown/0: expected a known fact name (did you mean "tcp.connect"?), got unknown fact "tcp.conect"');
  });

  it('names unknown envelope fields', () => {
    expect(() => parseDiagnoseRequest({ facts: {}, severity: 'high' })).toThrow('/severity: expected no property "severity", got an unknown field');
  });

  it('requires facts in the API form', () => {
    expect(() => parseDiagnoseRequest({ summary: 'x' }, { allowBareFacts: false })).toThrow('/: expected property "facts", got nothing');
    expect(() => parseDiagnoseRequest({ facts: {}, format: 'pdf' })).toThrow('/format: expected one of "json", "markdown", "html", "text", got string "pdf"');
  });

  it('refuses a non-string summary', () => {
    expect(() => parseDiagnoseRequest({ facts: {}, summary: 5 })).toThrow('/summary: expected string, got number 5');
  });
});
