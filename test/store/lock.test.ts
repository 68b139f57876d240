import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/store/embedded.js';
import { openStore } from '../../src/store/open.js';
import { lockHolderText, processStartTicks, runningLockHolder } from '../../src/store/process-running.js';
import { embeddedDataDir } from './stores.js';

/** A /proc with one process, PID, started at tick START (the 22nd field of its stat line), in STATE (the 3rd). */
function fakeProc(pid: number, start: number, state = 'S'): string {
  const root = mkdtempSync(join(tmpdir(), 'rca-proc-'));
  mkdirSync(join(root, String(pid)));
  const fields = Array.from({ length: 50 }, (_, i) => (i === 19 ? String(start) : i === 0 ? state : '0'));
  writeFileSync(join(root, String(pid), 'stat'), `${pid} (rca serve) ${fields.join(' ')}\n`);
  return root;
}

const running = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('the embedded store lock names one process: its pid and when it started', () => {
  it('a lock whose pid runs and started at the recorded tick is held', () => {
    expect(runningLockHolder('4242 9001\n', fakeProc(4242, 9001), running([4242]))).toBe(4242);
  });

  it('a lock whose pid now names a process started at another tick was left behind (the pid was reused after a crash)', () => {
    expect(runningLockHolder('4242 9001', fakeProc(4242, 12345), running([4242]))).toBeUndefined();
  });

  it('a lock whose process was killed but not yet reaped (a zombie: signal 0 reaches it, its start tick is the same) was left behind', () => {
    expect(runningLockHolder('4242 9001', fakeProc(4242, 9001, 'Z'), running([4242]))).toBeUndefined();
    expect(runningLockHolder('4242 9001', fakeProc(4242, 9001, 'X'), running([4242]))).toBeUndefined();
    expect(runningLockHolder('4242', fakeProc(4242, 9001, 'Z'), running([4242]))).toBeUndefined();
    for (const state of ['R', 'S', 'D', 'T']) expect(runningLockHolder('4242 9001', fakeProc(4242, 9001, state), running([4242])), state).toBe(4242);
  });

  it('near misses: a pid that no longer runs, a lock naming no process', () => {
    expect(runningLockHolder('4242 9001', fakeProc(4242, 9001), running([]))).toBeUndefined();
    for (const text of ['', 'x', '0', '-3', '4242 9001 7', '1.5']) expect(runningLockHolder(text, fakeProc(4242, 9001), running([4242])), text).toBeUndefined();
  });

  it('without a start time (a lock of an older rca, or no /proc to read one from), the running pid holds it', () => {
    expect(runningLockHolder('4242', fakeProc(4242, 9001), running([4242]))).toBe(4242);
    expect(runningLockHolder('4242 9001', mkdtempSync(join(tmpdir(), 'rca-noproc-')), running([4242]))).toBe(4242);
  });

  it.runIf(process.platform === 'linux')('this process is written as its pid and its own start tick', () => {
    const started = processStartTicks(process.pid);
    expect(started).toBeTypeOf('number');
    expect(lockHolderText()).toBe(`${process.pid} ${started}`);
    expect(runningLockHolder(lockHolderText())).toBe(process.pid);
  });

  it.runIf(process.platform === 'linux')('a data directory whose lock names pid 1 at another start tick is taken over; at its own, refused as before', async () => {
    const dataDir = await embeddedDataDir();
    const initStart = processStartTicks(1) as number;
    writeFileSync(join(dataDir, 'rca.lock'), `1 ${initStart + 1}`);
    const { db } = await openStore({ dataDir });
    try {
      expect(readFileSync(join(dataDir, 'rca.lock'), 'utf8')).toBe(lockHolderText());
    } finally {
      await db.close();
    }
    writeFileSync(join(dataDir, 'rca.lock'), `1 ${initStart}`);
    await expect(openStore({ dataDir })).rejects.toThrow(`--data-dir ${dataDir}: expected a data directory no other process uses, got one locked by process 1`);
  }, 60_000);

  it('a stale lock another process took over between its reading and its removal stays that process\'s: this one is refused, not a second holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-lock-'));
    const file = join(dir, 'rca.lock');
    const stale = '999999999 1';
    const other = lockHolderText(process.ppid);
    writeFileSync(file, stale);
    // Judging the stale lock, this process is overtaken: another one removes it and writes its own.
    const overtaken = (text: string) => {
      if (text !== stale) return runningLockHolder(text);
      rmSync(file);
      writeFileSync(file, other);
      return undefined;
    };
    expect(() => lockDataDir(dir, overtaken)).toThrow(`--data-dir ${dir}: expected a data directory no other process uses, got one locked by process ${process.ppid} (${file})`);
    expect(readFileSync(file, 'utf8')).toBe(other);
    expect(readdirSync(dir)).toEqual(['rca.lock']);
  });

  it('a stale lock is taken over, and the lock goes with its holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-lock-'));
    const file = join(dir, 'rca.lock');
    writeFileSync(file, '999999999 1');
    const unlock = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(lockHolderText());
    expect(readdirSync(dir)).toEqual(['rca.lock']);
    unlock();
    expect(existsSync(file)).toBe(false);
  });

  it('an empty lock is one its process is still writing: refused while new, taken over once older than a moment (its process died in between)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-lock-'));
    const file = join(dir, 'rca.lock');
    writeFileSync(file, '');
    expect(() => lockDataDir(dir)).toThrow(`--data-dir ${dir}: expected a data directory no other process uses, got one locked by another process (${file})`);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, minuteAgo, minuteAgo);
    lockDataDir(dir)();
    expect(existsSync(file)).toBe(false);
  });
});
