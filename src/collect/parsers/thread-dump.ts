import type { FactValue } from '../../core/vocabulary.js';
import { notRecognised, type ArtifactParser, type ParseContext } from './types.js';
import { artifactLines } from './text.js';

/**
 * A thread dump taken while the service is slow, read for where its threads wait: many queued
 * on one lock is lock contention's own witness (app.threads_blocked_on_lock), and the dump's
 * format names the runtime (app.runtime). Four shapes, each what a question's command prints:
 * - jstack's dump, or jcmd PID Thread.print's (JDK 8 and later): a thread's header line in quotes, then its frames; a thread
 *   queued on a monitor says "- waiting to lock <0x...>", one queued on a java.util.concurrent
 *   lock "- parking to wait for  <0x...> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)";
 * - those lines of it counted per lock (`grep -oE ... | sort | uniq -c`): "  19 waiting to lock <0x...>";
 * - Go's goroutine dump (net/http/pprof's goroutine?debug=2, or SIGQUIT's): "goroutine 19
 *   [semacquire, 3 minutes]:", then its frames, a lock's waiter under sync.(*Mutex).Lock or
 *   sync.(*RWMutex).Lock / RLock (Go 1.20 and later name the state sync.Mutex.Lock and the like);
 * - its goroutines counted per state (`grep -oE '^goroutine [0-9]+ \[[^],]*' | cut | uniq -c`): "  39 semacquire".
 * References: jstack(1) and java.lang.Thread.State; Go's runtime/pprof and runtime2.go waitReason.
 */

const EXPECTED =
  "a thread dump: jstack PID's output (\"Full thread dump\", thread headers in quotes, java.lang.Thread.State lines), its \"waiting to lock <0x...>\" lines counted " +
  "with uniq -c, Go's goroutine dump (\"goroutine 19 [semacquire]:\" and its frames, from /debug/pprof/goroutine?debug=2) or its goroutines counted per state";

/**
 * Threads queued on one lock that make it a crowd: a few waiters come and go on any lock a busy
 * service shares, five or more on one address in a snapshot are a queue (Gregg, 'Off-CPU Analysis').
 */
const MANY_WAITERS = 5;
/** At most this many on any one lock is no queue: the threads wait elsewhere. */
const FEW_WAITERS = 1;

/** jstack's thread header: "name" #12 [daemon] prio=5 os_prio=0 ... tid=0x... nid=0x... state [0x...] (JDK 21 puts "[nid]" after #12; GC threads have no number). */
const JAVA_THREAD = /^"[^"\n]{0,512}" .{0,120}?\bos_prio=-?\d+ .{0,200}?\btid=0x[0-9a-f]+ nid=(?:0x[0-9a-f]+|\d+)/;
/** A frame line naming the lock its thread queues on: a monitor, or a java.util.concurrent lock (not a condition or a queue: those wait for work). */
const JAVA_WAITS_FOR = /^\s*- (?:waiting to lock <(0x[0-9a-f]+)>|parking to wait for +<(0x[0-9a-f]+)> \(a java\.util\.concurrent\.locks\.Reentrant(?:ReadWrite)?Lock\$(?:Nonfair|Fair)?Sync\))/;
/** The same lines counted per lock by uniq -c. */
const JAVA_COUNTED = /^\s*(\d{1,9}) (?:waiting to lock <0x[0-9a-f]+>|parking to wait for +<0x[0-9a-f]+> \(a java\.util\.concurrent\.locks\.Reentrant(?:ReadWrite)?Lock\$(?:Nonfair|Fair)?Sync\))\s*$/;

/** A goroutine's header: "goroutine 19 [semacquire, 3 minutes]:" (", locked to thread" may follow the state). */
const GOROUTINE = /^goroutine \d{1,12} \[([^\],]{1,64})(?:, [^\]]{0,64})?\]:$/;
/** The states a goroutine queued on a mutex shows: semacquire (Go 1.19 and earlier), sync.Mutex.Lock and sync.RWMutex.Lock / RLock after. */
const GO_LOCK_STATES = new Set(['semacquire', 'sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock']);
/** A frame of a mutex's lock, which tells a lock's waiter from a WaitGroup's (semacquire too in older Go). */
const GO_LOCK_FRAME = /^sync\.\(\*(?:RW)?Mutex\)\.(?:R?Lock|lockSlow)\(/;
/** A frame's arguments, after its function's name ("main.(*cache).get(0xc0000c44a0, 0x1)", "(...)"). */
const FRAME_ARGUMENTS = /\([^()]{0,512}\)$/;
/** Frames of the runtime and sync under the one that took the lock: the lock site is the first frame past them. */
const GO_LIBRARY_FRAME = /^(?:sync|runtime|internal\/[\w/]+)\./;
/**
 * The states Go names a goroutine's wait by (runtime2.go's waitReason strings), which the counted
 * form's lines must be: "  39 semacquire", "   2 IO wait".
 */
const GO_STATES = new Set([
  ...GO_LOCK_STATES,
  'running', 'runnable', 'syscall', 'waiting', 'dead', 'idle', 'GC assist marking', 'IO wait', 'chan receive (nil chan)', 'chan send (nil chan)', 'dumping heap',
  'garbage collection', 'garbage collection scan', 'panicwait', 'select', 'select (no cases)', 'GC assist wait', 'GC sweep wait', 'GC scavenge wait', 'chan receive',
  'chan send', 'finalizer wait', 'force gc (idle)', 'sleep', 'sync.Cond.Wait', 'sync.WaitGroup.Wait', 'timer goroutine (idle)', 'trace reader (blocked)',
  'wait for GC cycle', 'GC worker (idle)', 'GC worker (active)', 'preempted', 'debug call', 'semacquire (WaitGroup)',
]);
const GO_COUNTED = /^\s*(\d{1,9}) (\S.{0,63}?)\s*$/;

/** The most threads any one lock holds queued (0 for none); a loop, as a dump may name more locks than a call takes arguments. */
function mostWaiters(waiters: ReadonlyMap<string, number>): number {
  let most = 0;
  for (const count of waiters.values()) most = Math.max(most, count);
  return most;
}

/** What one dump shows: its runtime, and how many threads queue on its most waited-on lock. */
interface Reading {
  runtime: 'jvm' | 'go';
  mostOnOneLock: number;
}

function readJstack(all: readonly string[]): Reading | undefined {
  let threads = 0;
  const waiters = new Map<string, number>();
  for (const line of all) {
    if (JAVA_THREAD.test(line)) {
      threads++;
      continue;
    }
    const match = JAVA_WAITS_FOR.exec(line);
    if (match && threads > 0) {
      const lock = (match[1] ?? match[2]) as string;
      waiters.set(lock, (waiters.get(lock) ?? 0) + 1);
    }
  }
  return threads === 0 ? undefined : { runtime: 'jvm', mostOnOneLock: mostWaiters(waiters) };
}

function readJavaCounted(all: readonly string[]): Reading | undefined {
  let most: number | undefined;
  for (const line of all) {
    if (line.trim() === '') continue;
    const match = JAVA_COUNTED.exec(line);
    if (!match) return undefined;
    most = Math.max(most ?? 0, Number(match[1]));
  }
  return most === undefined ? undefined : { runtime: 'jvm', mostOnOneLock: most };
}

/** The goroutines of a dump as header state and frames: each block runs from its header to the next blank line. */
function readGoroutines(all: readonly string[]): Reading | undefined {
  let goroutines = 0;
  const waiters = new Map<string, number>();
  let state: string | undefined;
  let onLock = false;
  let site: string | undefined;
  const close = () => {
    if (state !== undefined && GO_LOCK_STATES.has(state) && onLock) waiters.set(site ?? '?', (waiters.get(site ?? '?') ?? 0) + 1);
    state = undefined;
    onLock = false;
    site = undefined;
  };
  for (const line of all) {
    const header = GOROUTINE.exec(line);
    if (header) {
      close();
      goroutines++;
      state = header[1] as string;
      continue;
    }
    if (state === undefined || line.startsWith('\t') || line.startsWith(' ')) continue;
    if (line.trim() === '') {
      close();
      continue;
    }
    // A frame's function line (its file:line follows indented): the lock's frames, then the caller that took it.
    if (GO_LOCK_FRAME.test(line)) onLock = true;
    else if (onLock && site === undefined && !GO_LIBRARY_FRAME.test(line)) site = line.replace(FRAME_ARGUMENTS, '');
  }
  close();
  return goroutines === 0 ? undefined : { runtime: 'go', mostOnOneLock: mostWaiters(waiters) };
}

function readGoCounted(all: readonly string[]): Reading | undefined {
  let most = 0;
  let lockCount = 0;
  let lines = 0;
  for (const line of all) {
    if (line.trim() === '') continue;
    const match = GO_COUNTED.exec(line);
    if (!match || !GO_STATES.has(match[2] as string)) return undefined;
    const count = Number(match[1]);
    lines++;
    most = Math.max(most, count);
    if (GO_LOCK_STATES.has(match[2] as string)) lockCount = Math.max(lockCount, count);
  }
  if (lines === 0) return undefined;
  // Only the commonest states are listed: a lock state among them is counted; none listed says
  // fewer goroutines wait on locks than on the last state shown, and a lock state that is not the
  // commonest is no crowd the dump stands out for.
  return { runtime: 'go', mostOnOneLock: lockCount === most ? lockCount : Math.min(lockCount, MANY_WAITERS - 1) };
}

/** Whether a text is a thread dump of a shape this parser reads: its signature for `rca parse auto`. */
export function isThreadDump(lines: readonly string[]): boolean {
  return readingOf(lines) !== undefined;
}

function readingOf(all: readonly string[]): Reading | undefined {
  return readJstack(all) ?? readGoroutines(all) ?? readJavaCounted(all) ?? readGoCounted(all);
}

function verdict(reading: Reading, context: ParseContext | undefined): Record<string, FactValue> {
  const facts: Record<string, FactValue> = { 'app.runtime': reading.runtime };
  const { mostOnOneLock } = reading;
  if (mostOnOneLock >= MANY_WAITERS) facts['app.threads_blocked_on_lock'] = true;
  else if (mostOnOneLock <= FEW_WAITERS) facts['app.threads_blocked_on_lock'] = false;
  else {
    context?.warn?.({
      field: 'app.threads_blocked_on_lock',
      message: `${mostOnOneLock} threads wait on one lock in this dump: a few waiters come and go on any lock a busy service shares; take two or three dumps a few seconds apart while it is slow, and a lock that holds ${MANY_WAITERS} or more in each is the queue`,
    });
  }
  return facts;
}

export const threadDumpParser: ArtifactParser = {
  kind: 'thread-dump',
  describe:
    "a thread dump taken while the service is slow: jstack PID or jcmd PID Thread.print (JDK 8 and later) or its \"waiting to lock <0x...>\" and ReentrantLock \"parking to wait for\" lines counted per lock with uniq -c, " +
    "Go's goroutine dump (curl 'http://HOST:PORT/debug/pprof/goroutine?debug=2') or its goroutines counted per state; " +
    `app.threads_blocked_on_lock true when ${MANY_WAITERS} or more threads queue on one lock (a monitor, a ReentrantLock, a sync.Mutex or RWMutex: goroutines in semacquire ` +
    `or sync.Mutex.Lock under one caller), false when at most ${FEW_WAITERS} does, and in between no fact but a warning to take two or three dumps; a Go state count that lists ` +
    'no lock state reads false, one whose commonest state is a lock state true; app.runtime jvm or go from the format',
  parse(text, context) {
    const reading = readingOf(artifactLines(text));
    if (reading === undefined) throw notRecognised('thread-dump', EXPECTED);
    return verdict(reading, context);
  },
};
