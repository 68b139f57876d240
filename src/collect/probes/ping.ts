import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { isIPv6 } from 'node:net';
import { delimiter, join } from 'node:path';
import { RcaError } from '../../core/errors.js';
import { parseArtifact } from '../parsers/index.js';
import { found, skip, type ProbeOutcome, type SkippedProbe } from './outcome.js';

export interface PingOptions {
  timeoutMs: number;
  /** PATH to search for the ping binary (the process's own by default). */
  path?: string;
  platform?: NodeJS.Platform;
}

/** Output beyond this is not a ping summary any more; stop collecting it. */
const MAX_OUTPUT = 256 * 1024;

export function findOnPath(binary: string, path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Runs ping and returns its stdout and stderr; killed at the deadline, so never longer. */
function run(binary: string, args: readonly string[], deadlineMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`${output}\n${error.message}`);
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** Parses ping output, or explains in one line why it holds no facts ("ping: socket: Operation not permitted"). */
function readOutput(kind: 'ping' | 'ping-mtu', output: string): ProbeOutcome {
  try {
    return found({ ...parseArtifact(kind, output) });
  } catch (error) {
    if (!(error instanceof RcaError)) throw error;
    const firstLine = output.split('\n').find((line) => line.trim() !== '') ?? 'no output';
    return skip(kind, `ping gave no statistics: ${firstLine.trim()}`);
  }
}

/**
 * Small pings (ping.result, loss, rtt), then on Linux don't-fragment pings of a full
 * 1500-byte packet (ping.large_packet_fail), which only mean something when small ones pass.
 */
export async function probePing(address: string, { timeoutMs, path = process.env.PATH ?? '', platform = process.platform }: PingOptions): Promise<ProbeOutcome> {
  const binary = findOnPath('ping', path);
  if (binary === undefined) return skip('ping', 'no ping binary on PATH');
  const bsd = platform === 'darwin' || platform.endsWith('bsd');
  if (platform !== 'linux' && !bsd) return skip('ping', `the ping probe does not know ping's options on ${platform}`);
  const startedAt = Date.now();
  const deadlineS = String(Math.max(1, Math.floor(timeoutMs / 1000)));
  // iputils: -w is the deadline for the whole run, -W the wait per reply; BSD/macOS: -t.
  const timing = bsd ? ['-t', deadlineS] : ['-W', '1', '-w', deadlineS];
  const small = readOutput('ping', await run(binary, ['-n', '-c', '4', '-i', '0.25', ...timing, address], timeoutMs));
  const remainingMs = timeoutMs - (Date.now() - startedAt);
  if (small.facts['ping.result'] !== 'ok' || bsd) return small;
  if (remainingMs < 1000) return found(small.facts, [...small.skipped, { probe: 'ping-mtu', reason: 'no time left within --timeout' }]);
  // The payload that fills a 1500-byte packet: minus the IP header (20 / 40) and ICMP header (8).
  const payload = String(1500 - (isIPv6(address) ? 40 : 20) - 8);
  const mtuArgs = ['-n', '-M', 'do', '-s', payload, '-c', '2', '-i', '0.25', '-W', '1', '-w', String(Math.floor(remainingMs / 1000)), address];
  const large = readOutput('ping-mtu', await run(binary, mtuArgs, remainingMs));
  const skipped: SkippedProbe[] = [...small.skipped, ...large.skipped];
  return found({ ...small.facts, ...large.facts }, skipped);
}
