import { describe, expect, it } from 'vitest';
import { kindsCarrying } from '../../src/collect/parsers/index.js';
import { diagnose } from '../../src/core/diagnose.js';
import { sourceOf } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { pasteOf } from '../../src/core/paste.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { describeQuestion } from '../../src/core/question.js';
import { selectVariant } from '../../src/core/variants.js';

const kb = loadKnowledgeBase([defaultKbDir]);

/** Lab 206, case 07: a Node.js service whose collector thrashes at --max-old-space-size=64, 44% of the time in GC. */
const NODE_GC = { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'symptom.intermittent': true, 'proc.app_pid': 29896, 'app.gc_time_pct': 43.67, 'proc.app_cpu_pct': 164.54 };
const NODE_TRACE = 'NODE_OPTIONS=--trace-gc APP_START_COMMAND > /tmp/rca-trace-gc.log 2>&1 & sleep 60; cat /tmp/rca-trace-gc.log';

describe('selectVariant: the command written for the value of one fact', () => {
  const by = { fact: 'app.runtime', variants: { node: 'trace-gc', true: 'on' } };

  it('chooses the variant named after the fact\'s value', () => {
    expect(selectVariant(by, { 'app.runtime': 'node' })).toEqual({ name: 'node', variant: 'trace-gc' });
    // A boolean's value names its variant as true or false.
    expect(selectVariant({ fact: 'tcp.rst_seen', variants: { true: 'on' } }, { 'tcp.rst_seen': true })).toEqual({ name: 'true', variant: 'on' });
  });

  it('leaves the default while the fact is unknown, when its value has no variant, and never reads a prototype\'s key as one', () => {
    expect(selectVariant(by, {})).toBeUndefined();
    expect(selectVariant(by, { 'app.runtime': 'jvm' })).toBeUndefined();
    expect(selectVariant({ fact: 'tcp.rst_seen', variants: { true: 'on' } }, { 'tcp.rst_seen': false })).toBeUndefined();
    expect(selectVariant(by, { 'app.runtime': 'constructor' })).toBeUndefined();
    expect(selectVariant(by, { 'app.runtime': 'toString' })).toBeUndefined();
    expect(selectVariant(undefined, { 'app.runtime': 'node' })).toBeUndefined();
  });
});

describe("the GC questions and checks by the runtime the engineer gave (lab 206: jstat was asked of a Node.js service)", () => {
  it("shows the runtime's own command, the JVM's while the runtime is unknown or has none of its own", () => {
    const how = (fact: string, runtime?: string) => describeQuestion(kb, fact, 'en', runtime === undefined ? { 'proc.app_pid': 29896 } : { 'proc.app_pid': 29896, 'app.runtime': runtime }).how;
    expect(how('app.gc_time_pct', 'node')).toBe(NODE_TRACE);
    expect(how('app.gc_pause_ms', 'node')).toBe(NODE_TRACE);
    expect(how('app.gc_time_pct', 'go')).toBe('GODEBUG=gctrace=1 APP_START_COMMAND 2> /tmp/rca-gctrace.log & sleep 60; tail -n 50 /tmp/rca-gctrace.log');
    expect(how('app.gc_time_pct', 'dotnet')).toBe('timeout 30 dotnet-counters monitor -p 29896 --counters System.Runtime');
    expect(how('app.gc_pause_ms', 'dotnet')).toBe('dotnet-trace collect -p 29896 --profile gc-collect --duration 00:00:01:00');
    expect(how('app.gc_time_pct')).toBe('jstat -gcutil -t 29896 1000 10');
    expect(how('app.gc_time_pct', 'jvm')).toBe('jstat -gcutil -t 29896 1000 10');
    expect(how('app.gc_pause_ms', 'python')).toBe('jcmd 29896 VM.log output=/tmp/rca-gc.log what=gc; sleep 60; cat /tmp/rca-gc.log');
  });

  it("offers the paste that reads the variant's output, none where no parser reads it, and reads the answer's source from the variant's program", () => {
    expect(pasteOf(kb, 'app.gc_time_pct', kindsCarrying, { 'app.runtime': 'node' })).toEqual({ kind: 'gc-log', carries: ['app.gc_pause_ms', 'app.gc_time_pct'] });
    expect(pasteOf(kb, 'app.gc_time_pct', kindsCarrying, { 'app.runtime': 'go' })).toBeNull();
    expect(pasteOf(kb, 'app.gc_time_pct', kindsCarrying, {})?.kind).toBe('jstat');
    // One trace answers both questions on Node.js: a "don't know" to one says the other is out of reach too.
    expect(['app.gc_time_pct', 'app.gc_pause_ms'].map((fact) => sourceOf(kb, fact, { 'app.runtime': 'node' }))).toEqual(['app NODE_OPTIONS=--trace-gc', 'app NODE_OPTIONS=--trace-gc']);
    expect(['app.gc_time_pct', 'app.gc_pause_ms'].map((fact) => sourceOf(kb, fact, {}))).toEqual(['app jstat', 'app jcmd']);
  });

  it("gives the GC hypothesis's checks for the runtime, each with its own outcomes, and the JVM's for an unknown one", async () => {
    const checks = async (facts: Record<string, string | number | boolean>) => (await diagnose(kb, facts)).hypotheses.find((h) => h.id === 'app.gc_pauses')?.checks;
    // The GC time is known, so the command its question runs (the trace, or jstat) has been run: it and a grep of the
    // trace's log are listed after ps, with that reading (knownReadings).
    const node = await checks({ ...NODE_GC, 'app.runtime': 'node' });
    expect(node?.map((c) => [c.command, c.knownReadings])).toEqual([
      ['ps -o pid,rss,vsz,pcpu,etime,args -p 29896', undefined],
      [NODE_TRACE, ['app.gc_time_pct']],
      ["grep -F 'Mark-Compact' /tmp/rca-trace-gc.log | tail -n 20", ['app.gc_time_pct']],
    ]);
    expect(node?.[1]?.confirms).toMatch(/^Mark-Compacts back to back, V8's current mu/);
    const unknown = await checks(NODE_GC);
    expect(unknown?.map((c) => [c.command, c.knownReadings])).toEqual([
      ["grep -E 'Pause (Full|Young|Remark)' /var/log/app/gc.log | tail -n 20", undefined],
      ['ps -o pid,rss,vsz,pcpu,etime,args -p 29896', undefined],
      ['jstat -gcutil -t 29896 1000 10', ['app.gc_time_pct']],
    ]);
    expect(unknown?.[2]?.confirms).toMatch(/^GCT rises/);
  });

  it("asks a Python service's lock contention of py-spy, not of jstack (lab 203)", async () => {
    const facts = { 'symptom.kind': 'slow', 'proc.app_pid': 4242, 'strace.top_syscall': 'futex', 'strace.top_syscall_pct': 92.46 };
    const commands = async (runtime?: string) => (await diagnose(kb, runtime === undefined ? facts : { ...facts, 'app.runtime': runtime })).hypotheses.find((h) => h.id === 'system.lock_contention')?.checks.map((c) => c.command)[2];
    expect(await commands('python')).toBe('py-spy dump --pid 4242');
    expect(await commands('dotnet')).toBe('dotnet-stack report -p 4242');
    expect(await commands()).toBe('jstack 4242');
  });
});
