import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { INVISIBLE } from '../../src/core/escape.js';
import { scriptedPrompter } from '../../src/cli/interview/prompters.js';
import { runSession } from '../../src/cli/interview/session.js';
import type { CliIo } from '../../src/cli/io.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';
import { hypothesis, kbOf } from '../fixtures.js';

const kb = kbOf({
  hypotheses: [hypothesis('app.injected'), hypothesis('app.other')],
  rules: [
    { id: 'named', description: 'a process was named', conditions: { all: [{ fact: 'proc.top_name', operator: 'notEqual', value: '' }] }, evidence: [{ hypothesis: 'app.injected', cf: 0.4 }] },
    { id: 'odd_port', description: 'an odd port', conditions: { all: [{ fact: 'target.port', operator: 'notEqual', value: 443 }] }, evidence: [{ hypothesis: 'app.other', cf: 0.8 }] },
  ],
  questions: [{ fact: 'target.port', effort: 'low', text: 'Which port?', how: 'ss -tn dst {{target.host}}' }],
});

describe('the interview shows fact values without sending control characters to the terminal', () => {
  it('in the question, its command and the evidence for the leader', async () => {
    const stderr = new PassThrough();
    let shown = '';
    stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const io = { stdin: Readable.from(['how\n', 'done\n']), stdout: new PassThrough(), stderr, env: {} } as unknown as CliIo;
    const prompter = scriptedPrompter(io, 'en', () => Promise.reject(new Error('no paste in this test')), baseVocabulary());
    // JSON.stringify escapes C0 but lets DEL, C1 (0x9b is CSI) and bidi overrides through.
    const facts = { 'proc.top_name': 'java\u009b2K\u007f\u202eexe.sh\u001b]52;c;eA==\u0007', 'target.host': 'h\u001b[2K\u009b' };
    await runSession(kb, { facts, unknown: [] }, prompter, { lang: 'en', maxQuestions: 5 });
    prompter.close();
    expect([...shown.replace(/\n/g, '').matchAll(INVISIBLE)]).toEqual([]);
    expect(shown).toContain("   $ ss -tn dst $'h\\x1b[2K\\u009b'\n");
    expect(shown).toContain('        proc.top_name ≠ ""  [actual: "java\\x9b2K\\x7f\\u202eexe.sh\\u001b]52;c;eA==\\u0007"]\n');
  });
});
