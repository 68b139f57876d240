import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { interviewKbWithoutTarget } from '../fixtures.js';

// Drives the real terminal interface through a pseudo-terminal: tmux runs rca, send-keys
// types, capture-pane reads the screen. .ci/run installs tmux from Debian's packages.
const session = `rca-tty-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (target = session) => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', target);

/** The screen once `text` is on it (`times` times: a prompt asked again). */
async function waitFor(text: string, timeoutMs = 10000, target = session, times = 1): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = screen(target);
    if (now.split(text).length - 1 >= times) return now;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear${times > 1 ? ` ${times} times` : ''}; screen:\n${now}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SERVICE_PROMPT = 'The service in question, for the commands to name: its URL (all of them) or HOST[:PORT] (Enter to skip)';

/** Types `refused` at the prompt, waits for the refusal `message`, and types `next` (a refusal empties the line). */
async function retype(target: string, refused: string, message: string, next: string): Promise<void> {
  tmux('send-keys', '-t', target, '-l', refused);
  tmux('send-keys', '-t', target, 'Enter');
  await waitFor(message, 10000, target);
  tmux('send-keys', '-t', target, '-l', next);
  tmux('send-keys', '-t', target, 'Enter');
}

/** On a terminal the interview first asks for the service; Enter skips it. */
async function skipService(target = session): Promise<void> {
  await waitFor(SERVICE_PROMPT, 10000, target);
  tmux('send-keys', '-t', target, 'Enter');
}

const zhSession = `${session}-zh`;
const serviceSession = `${session}-service`;
const pasteSession = `${session}-paste`;
const interruptSession = `${session}-interrupt`;
const kindSession = `${session}-kind`;
const blockSession = `${session}-block`;
const strayPasteSession = `${session}-stray`;
const endSession = `${session}-end`;
const backSession = `${session}-back`;
const choicePasteSession = `${session}-choice-paste`;
const menuPasteSession = `${session}-menu-paste`;
const unreadPasteSession = `${session}-unread-paste`;
const typedAtChoiceSession = `${session}-typed-choice`;
afterAll(() => {
  for (const name of [session, zhSession, serviceSession, `${serviceSession}-flag`, `${serviceSession}-interrupt`, pasteSession, interruptSession, `${interruptSession}-half`, kindSession, blockSession, strayPasteSession, endSession, `${endSession}-typed`, backSession, `${backSession}-flag`, `${serviceSession}-words`, `${interruptSession}-eof`, `${serviceSession}-none`, `${serviceSession}-one`, choicePasteSession, menuPasteSession, unreadPasteSession, typedAtChoiceSession]) {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      // already gone
    }
  }
});

/**
 * Starts an interview of the fixture KB on a terminal `width` columns wide, saving to a new
 * directory's facts.json, and returns the directory; the exit code is echoed when it ends.
 */
function startSaving(name: string, width = 160): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb --save ${join(dir, 'facts.json')}; echo "exit=$?"; sleep 60`);
  return dir;
}

/** What --save wrote to DIR. */
const saved = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'facts.json'), 'utf8'));

/**
 * Starts an interview of the fixture KB on a terminal of its own (`args` added; the exit code is
 * echoed when it ends), answers Q1 "don't know" and types `line` at Q2, a typed question.
 */
async function typeAtQ2(name: string, args: string, line: string): Promise<void> {
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb ${args}; echo "exit=$?"; sleep 60`);
  await skipService(name);
  await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name);
  // ok, partial_loss, fail, then (past the separator) "don't know".
  for (let i = 0; i < 3; i++) tmux('send-keys', '-t', name, 'Down');
  tmux('send-keys', '-t', name, 'Enter');
  await waitFor('Q2 [http.status]', 10000, name);
  tmux('send-keys', '-t', name, '-l', line);
  tmux('send-keys', '-t', name, 'Enter');
}

/**
 * Starts an interview of the fixture KB saving to a new directory's facts.json, answers Q1 "don't
 * know" and pastes `block` at Q2 as a terminal sends a paste: one write (tmux's paste-buffer,
 * which sends its line ends as CR). Returns the directory.
 */
async function pasteAtQ2(name: string, block: string): Promise<string> {
  const dir = startSaving(name);
  await skipService(name);
  await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name);
  for (let i = 0; i < 3; i++) tmux('send-keys', '-t', name, 'Down');
  tmux('send-keys', '-t', name, 'Enter');
  await waitFor('Q2 [http.status]', 10000, name);
  pasteAsTerminal(name, dir, block);
  return dir;
}

/** Sends `block` to the terminal of session NAME as a terminal sends a paste: one write (tmux's paste-buffer, line ends as CR). */
function pasteAsTerminal(name: string, dir: string, block: string): void {
  writeFileSync(join(dir, 'block.txt'), block);
  tmux('load-buffer', '-b', name, join(dir, 'block.txt'));
  tmux('paste-buffer', '-b', name, '-t', name);
}

describe('rca interview on a terminal', () => {
  it('offers arrow-key choices, validates typed numbers, shows the top 3 and ends with the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-tty-'));
    const done = join(dir, 'exit-code');
    // The trailing sleep keeps the pane (and its screen) alive after rca exits; afterAll ends it.
    const command = `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb --save ${join(dir, 'facts.json')}; echo $? > ${done}; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', command);

    await skipService();
    await waitFor('Q1 [ping.result] Does ping get replies?');
    expect(screen()).toContain("$ ping -c 20 '<target.host>'");
    expect(screen()).toContain('↑↓ navigate • ⏎ select');
    // ok, partial_loss, fail: one step down is partial_loss.
    tmux('send-keys', '-t', session, 'Down');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor('top now: 1. network.packet_loss 40%');
    await waitFor('Q2 [ping.loss_pct]');
    tmux('send-keys', '-t', session, '-l', '150');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor('ping.loss_pct: expected a number <= 100, got number 150');
    // The refusal emptied the line: 30 is the whole answer.
    tmux('send-keys', '-t', session, '-l', '30');
    tmux('send-keys', '-t', session, 'Enter');
    const final = await waitFor('Likely root causes');
    expect(final).toContain('The leading cause is clearly ahead.');
    expect(final).toContain('1. ██████░░░░ 62%  network.packet_loss');
    const deadline = Date.now() + 5000;
    let code = '';
    while (Date.now() < deadline && !code) {
      try {
        code = readFileSync(done, 'utf8').trim();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(code).toBe('0');
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30 }, unknown: [] });
  });

  it('after "don\'t know", shows the command that finds out; takes its pasted output at the next prompt (paste KIND), filling every fact it carries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-tty-paste-'));
    tmux('new-session', '-d', '-s', pasteSession, '-x', '120', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb --save ${join(dir, 'facts.json')}; sleep 60`);
    await skipService(pasteSession);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, pasteSession);
    // ok, partial_loss, fail, then (past the separator) ?, why, how, back, done, paste: "don't know" is three steps down.
    for (let i = 0; i < 3; i++) tmux('send-keys', '-t', pasteSession, 'Down');
    tmux('send-keys', '-t', pasteSession, 'Enter');
    await waitFor('then paste its output here: a line "paste ping|mtr", the output, and a line "end"', 10000, pasteSession);
    expect(screen(pasteSession)).toContain("To find out, run: $ ping -c 20 '<target.host>'");
    // A typed question takes the paste as typed words: "paste KIND".
    await waitFor('Q2 [http.status]', 10000, pasteSession);
    tmux('send-keys', '-t', pasteSession, '-l', 'paste ping');
    tmux('send-keys', '-t', pasteSession, 'Enter');
    await waitFor('Paste the output, then a line "end":', 10000, pasteSession);
    const ping = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8').trimEnd();
    for (const line of [...ping.split('\n'), 'end']) {
      if (line) tmux('send-keys', '-t', pasteSession, '-l', '--', line);
      tmux('send-keys', '-t', pasteSession, 'Enter');
    }
    await waitFor('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044', 10000, pasteSession);
    await waitFor('top now: 1. network.packet_loss 62%', 10000, pasteSession);
    await waitFor('Likely root causes', 10000, pasteSession);
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }, unknown: [] });
  });

  it('takes "paste KIND", the output and "end" pasted as one block at the prompt: the lines after the first go to the paste, not lost', async () => {
    const ping = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8').trimEnd();
    const dir = await pasteAtQ2(blockSession, `paste ping\n${ping}\nend\n`);
    await waitFor('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044', 10000, blockSession);
    await waitFor('exit=0', 10000, blockSession);
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }, unknown: [] });
  });

  /** A new interview of the fixture KB saving to a new directory (returned), at its Q1, a choice. */
  const atChoiceQ1 = async (name: string): Promise<string> => {
    const dir = startSaving(name);
    await skipService(name);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name);
    return dir;
  };
  const lossyPing = () => readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8').trimEnd();

  it('takes "paste KIND", the output and "end" pasted as one block at a choice question, as at a typed one (the block was dropped there)', async () => {
    const dir = await atChoiceQ1(choicePasteSession);
    pasteAsTerminal(choicePasteSession, dir, `paste ping\n${lossyPing()}\nend\n`);
    await waitFor('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30, ping.rtt_avg_ms=0.038, ping.rtt_max_ms=0.044', 10000, choicePasteSession);
    expect(screen(choicePasteSession)).not.toContain('not taken as answers');
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }, unknown: [] });
  });

  it('after "paste a command\'s output" is picked at a choice, output pasted without its kind line is read as auto, not refused line by line as kinds', async () => {
    const dir = await atChoiceQ1(menuPasteSession);
    // ok, partial_loss, fail, then (past the separator) don't know, why, how, back, done, paste.
    for (let i = 0; i < 8; i++) tmux('send-keys', '-t', menuPasteSession, 'Down');
    tmux('send-keys', '-t', menuPasteSession, 'Enter');
    await waitFor("Which command's output", 10000, menuPasteSession);
    pasteAsTerminal(menuPasteSession, dir, `${lossyPing()}\nend\n`);
    await waitFor('Filled from the pasted ping output: ping.result="partial_loss", ping.loss_pct=30', 10000, menuPasteSession);
    expect(screen(menuPasteSession)).not.toContain('expected one of');
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }, unknown: [] });
  });

  it('asks a choice question again after a paste its parser cannot read, which is no "don\'t know"', async () => {
    const dir = await atChoiceQ1(unreadPasteSession);
    pasteAsTerminal(unreadPasteSession, dir, 'paste ping\nno ping here\nend\n');
    await waitFor('ping.result is still open; answer it as the question says, or paste the output of its command', 10000, unreadPasteSession);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, unreadPasteSession, 2);
    // ok, partial_loss, fail: two steps down is fail.
    for (let i = 0; i < 2; i++) tmux('send-keys', '-t', unreadPasteSession, 'Down');
    tmux('send-keys', '-t', unreadPasteSession, 'Enter');
    await waitFor('Q2 [', 10000, unreadPasteSession);
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'fail' }, unknown: [] });
  });

  it('a block pasted at a typed question without "paste KIND" answers nothing after its first line, and the prompt takes what is typed next (it wedged before)', async () => {
    const dir = await pasteAtQ2(strayPasteSession, 'abc\n503\n');
    await waitFor('1 pasted line not taken as an answer', 10000, strayPasteSession);
    // The refused "abc" is emptied from the prompt, as after any refusal.
    tmux('send-keys', '-t', strayPasteSession, '-l', '503');
    tmux('send-keys', '-t', strayPasteSession, 'Enter');
    await waitFor('Q3 [', 10000, strayPasteSession);
    // --save writes after every answer.
    expect(saved(dir)).toEqual({ facts: { 'http.status': 503 }, unknown: ['ping.result'] });
  });

  it('Ctrl-D at a question ends the interview with the report and exit 0, as the end of a piped script does', async () => {
    tmux('new-session', '-d', '-s', endSession, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb; echo "exit=$?"; sleep 60`);
    await skipService(endSession);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, endSession);
    tmux('send-keys', '-t', endSession, 'Down');
    tmux('send-keys', '-t', endSession, 'Enter');
    await waitFor('Q2 [ping.loss_pct]', 10000, endSession);
    tmux('send-keys', '-t', endSession, 'C-d');
    await waitFor('exit=0', 10000, endSession);
    expect(screen(endSession)).toContain('Likely root causes');
  });

  it('Ctrl-D on a line with typed text submits it, as Enter (the text is the answer, not dropped); at the service prompt too', async () => {
    const name = `${endSession}-typed`;
    const dir = startSaving(name);
    await waitFor(SERVICE_PROMPT, 10000, name);
    tmux('send-keys', '-t', name, '-l', 'shop.example:8443');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name)).toContain('$ ping -c 20 shop.example');
    tmux('send-keys', '-t', name, 'Down');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor('Q2 [ping.loss_pct]', 10000, name);
    tmux('send-keys', '-t', name, '-l', '30');
    tmux('send-keys', '-t', name, 'C-d');
    // Answered, so the interview goes on to its report (the fixture stops once the leader is clear).
    await waitFor('top now: 1. network.packet_loss', 10000, name);
    await waitFor('exit=0', 10000, name);
    expect(saved(dir)).toEqual({ facts: { 'target.host': 'shop.example', 'target.port': 8443, 'ping.result': 'partial_loss', 'ping.loss_pct': 30 }, unknown: [] });
  });

  it('reads a word typed at a choice as a script\'s line: a command is the command, an answer the answer, anything else refused; the menu\'s search picked the highlighted choice', async () => {
    // "quit" typed at Q1 answered "ok" (the first choice), "503" a choice by its number or the one highlighted.
    const name = typedAtChoiceSession;
    const dir = startSaving(name);
    await skipService(name);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name);
    tmux('send-keys', '-t', name, '-l', '503');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor('! ping.result: expected one of ok, partial_loss, fail (or its number, 1 to 3), got "503"', 10000, name);
    tmux('send-keys', '-t', name, '-l', 'Fail');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor('✔ Q1 [ping.result] Does ping get replies? Fail', 10000, name);
    await waitFor('Q2 [tcp.connect] Does a TCP connect succeed?', 10000, name);
    // "paste KIND" typed: a kind rca does not read is refused at its line; one it reads takes the output after it.
    tmux('send-keys', '-t', name, '-l', 'paste pong');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor('! artifact kind: expected one of auto, ping,', 10000, name);
    tmux('send-keys', '-t', name, '-l', 'paste ping');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor('Paste the output', 10000, name);
    pasteAsTerminal(name, dir, `${readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-all-lost.txt'), 'utf8')}end\n`);
    await waitFor('Filled from the pasted ping output: ping.loss_pct=100', 10000, name);
    await waitFor('Q3 [tcp.connect] Does a TCP connect succeed?', 10000, name);
    tmux('send-keys', '-t', name, '-l', 'quit');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await waitFor('exit=0', 10000, name)).toContain('Stopped on request.');
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'fail', 'ping.loss_pct': 100 }, unknown: [] });
  });

  it('back at the first question reopens the service prompt; an answer there replaces the one before, and without the prompt back has nothing to undo', async () => {
    const dir = startSaving(backSession);
    await waitFor(SERVICE_PROMPT, 10000, backSession);
    tmux('send-keys', '-t', backSession, '-l', 'shop.example:8443');
    tmux('send-keys', '-t', backSession, 'Enter');
    await waitFor('$ ping -c 20 shop.example', 10000, backSession);
    // ok, partial_loss, fail, then (past the separator) ?, why, how, back: back is six steps down.
    for (let i = 0; i < 6; i++) tmux('send-keys', '-t', backSession, 'Down');
    tmux('send-keys', '-t', backSession, 'Enter');
    expect(await waitFor(SERVICE_PROMPT, 10000, backSession, 2)).not.toContain('nothing to undo');
    tmux('send-keys', '-t', backSession, '-l', 'db1:5432');
    tmux('send-keys', '-t', backSession, 'Enter');
    await waitFor('$ ping -c 20 db1', 10000, backSession);
    tmux('send-keys', '-t', backSession, 'C-d');
    await waitFor('exit=0', 10000, backSession);
    expect(saved(dir)).toEqual({ facts: { 'target.host': 'db1', 'target.port': 5432 }, unknown: [] });
    // Near miss: with --target there was no prompt before Q1, so back there undoes nothing and Q1 stays.
    const flag = `${backSession}-flag`;
    tmux('new-session', '-d', '-s', flag, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb --target db1; echo "exit=$?"; sleep 60`);
    await waitFor('Q1 [ping.result] Does ping get replies?', 10000, flag);
    for (let i = 0; i < 6; i++) tmux('send-keys', '-t', flag, 'Down');
    tmux('send-keys', '-t', flag, 'Enter');
    expect(await waitFor('Q1 [ping.result] Does ping get replies?', 10000, flag, 2)).toContain('nothing to undo');
    expect(screen(flag)).not.toContain(SERVICE_PROMPT);
  });

  it('Ctrl-C in the middle of a paste drops the lines pasted so far: half an output is no evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-tty-interrupt-half-'));
    await typeAtQ2(`${interruptSession}-half`, `--save ${join(dir, 'facts.json')}`, 'paste ping');
    await waitFor('Paste the output, then a line "end":', 10000, `${interruptSession}-half`);
    tmux('send-keys', '-t', `${interruptSession}-half`, '-l', '20 packets transmitted, 14 received, 30% packet loss, time 19030ms');
    tmux('send-keys', '-t', `${interruptSession}-half`, 'Enter');
    tmux('send-keys', '-t', `${interruptSession}-half`, 'C-c');
    await waitFor('exit=130', 5000, `${interruptSession}-half`);
    expect(saved(dir)).toEqual({ facts: {}, unknown: ['ping.result'] });
  });

  it('Ctrl-D in a paste ends it as the line "end" does: the output counts, then the report and exit 0 (it was exit 130 and no report)', async () => {
    const name = `${interruptSession}-eof`;
    const dir = mkdtempSync(join(tmpdir(), 'rca-tty-paste-eof-'));
    await typeAtQ2(name, `--save ${join(dir, 'facts.json')}`, 'paste ping');
    await waitFor('Paste the output, then a line "end":', 10000, name);
    const ping = readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8').trimEnd();
    for (const line of ping.split('\n')) {
      if (line) tmux('send-keys', '-t', name, '-l', '--', line);
      tmux('send-keys', '-t', name, 'Enter');
    }
    tmux('send-keys', '-t', name, 'C-d');
    await waitFor('Filled from the pasted ping output: ping.result="partial_loss"', 10000, name);
    const end = await waitFor('exit=0', 10000, name);
    expect(end).toContain('Likely root causes');
    expect(saved(dir)).toEqual({ facts: { 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'ping.rtt_avg_ms': 0.038, 'ping.rtt_max_ms': 0.044 }, unknown: [] });
  });

  it('Ctrl-C in the middle of a paste saves and exits 130 at once, as anywhere else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-tty-interrupt-'));
    await typeAtQ2(interruptSession, `--save ${join(dir, 'facts.json')}`, 'paste ping');
    await waitFor('Paste the output, then a line "end":', 10000, interruptSession);
    tmux('send-keys', '-t', interruptSession, 'C-c');
    // Before the fix the process lived on after saving, until a second Ctrl-C.
    await waitFor('exit=130', 5000, interruptSession);
    expect(saved(dir)).toEqual({ facts: {}, unknown: ['ping.result'] });
  });

  it('refuses a paste kind rca does not read at its own line, before the output is pasted', async () => {
    await typeAtQ2(kindSession, '', 'paste pong');
    // The message is wrapped to the terminal's width, which the list of kinds outgrows.
    await waitFor('"pong"', 10000, kindSession);
    expect(screen(kindSession).replace(/\s*\n\s*/g, ' ')).toContain('(did you mean "ping"?), got "pong"');
    expect(screen(kindSession)).not.toContain('Paste the output');
  });

  it('asks first for the service, refuses a malformed one at its line, and every command then names the one given', async () => {
    const dir = startSaving(serviceSession, 200);
    await waitFor(SERVICE_PROMPT, 10000, serviceSession);
    await retype(serviceSession, 'shop example:8443', 'target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "shop example"', 'shop.example:8443');
    const first = await waitFor('Q1 [ping.result] Does ping get replies?', 10000, serviceSession);
    expect(first).toContain('$ ping -c 20 shop.example');
    expect(first).not.toContain('<target.host>');
    tmux('send-keys', '-t', serviceSession, 'C-d');
    await waitFor('exit=0', 10000, serviceSession);
    expect(saved(dir)).toEqual({ facts: { 'target.host': 'shop.example', 'target.port': 8443 }, unknown: [] });
  });

  it('at the service prompt, the interview\'s words are its commands, not hosts: back is refused saying what to type, done reports', async () => {
    const name = `${serviceSession}-words`;
    const dir = startSaving(name, 200);
    await waitFor(SERVICE_PROMPT, 10000, name);
    await retype(name, 'back', 'Before the first question there is nothing to go back to or explain: type the service\'s URL or HOST[:PORT], Enter (or ?) to skip it, done to report', 'done');
    const end = await waitFor('exit=0', 10000, name);
    expect(end).not.toContain('Q1 [');
    expect(end).not.toContain('ping -c 20 done');
    expect(saved(dir)).toEqual({ facts: {}, unknown: [] });
  });

  it('does not ask for the service that --target names; Ctrl-C at the service prompt exits 130', async () => {
    tmux('new-session', '-d', '-s', `${serviceSession}-flag`, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb --target https://shop.example/cart; echo "exit=$?"; sleep 60`);
    expect(await waitFor('Q1 [ping.result] Does ping get replies?', 10000, `${serviceSession}-flag`)).not.toContain(SERVICE_PROMPT);
    tmux('new-session', '-d', '-s', `${serviceSession}-interrupt`, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb test/fixtures/interview-kb; echo "exit=$?"; sleep 60`);
    await waitFor(SERVICE_PROMPT, 10000, `${serviceSession}-interrupt`);
    tmux('send-keys', '-t', `${serviceSession}-interrupt`, 'C-c');
    await waitFor('exit=130', 5000, `${serviceSession}-interrupt`);
  });

  it('asks for the service only when a command of the knowledge base names it: a pack whose commands name no target.* fact starts at Q1, where back has nothing to undo', async () => {
    const name = `${serviceSession}-none`;
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb ${interviewKbWithoutTarget()} --save ${join(dir, 'facts.json')}; echo "exit=$?"; sleep 60`);
    const first = await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name);
    expect([first.includes(SERVICE_PROMPT), first.includes('$ ping -c 20 localhost')]).toEqual([false, true]);
    // ok, partial_loss, fail, then (past the separator) ?, why, how, back: back is six steps down.
    for (let i = 0; i < 6; i++) tmux('send-keys', '-t', name, 'Down');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await waitFor('Q1 [ping.result] Does ping get replies?', 10000, name, 2)).toContain('nothing to undo');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await waitFor('exit=0', 10000, name)).not.toContain(SERVICE_PROMPT);
    expect(saved(dir)).toEqual({ facts: {}, unknown: [] });
    // The same pack with one question's how naming the host asks for it first, and the command names the answer.
    const named = `${serviceSession}-one`;
    tmux('new-session', '-d', '-s', named, '-x', '160', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --kb ${interviewKbWithoutTarget((yaml) => yaml.replace("how: 'ping -c 20 localhost'", "how: 'ping -c 20 {{target.host}}'"))}; echo "exit=$?"; sleep 60`);
    await waitFor(SERVICE_PROMPT, 10000, named);
    tmux('send-keys', '-t', named, '-l', 'db1');
    tmux('send-keys', '-t', named, 'Enter');
    await waitFor('$ ping -c 20 db1', 10000, named);
    tmux('send-keys', '-t', named, 'C-d');
    await waitFor('exit=0', 10000, named);
  });

  it('speaks the interview\'s language down to the prompt\'s key help', async () => {
    tmux('new-session', '-d', '-s', zhSession, '-x', '120', '-y', '50', `cd ${packageRoot} && NO_COLOR=1 node bin/rca.cjs interview --lang zh-CN --kb test/fixtures/interview-kb; sleep 60`);
    await waitFor('出问题的服务，建议的命令会用到它：URL（所有命令）或 HOST[:PORT]（回车跳过）', 10000, zhSession);
    tmux('send-keys', '-t', zhSession, 'Enter');
    expect(await waitFor('Q1 [ping.result]', 10000, zhSession)).toContain('↑↓ 移动 • ⏎ 选择');
  });
});
