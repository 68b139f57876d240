import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectKinds } from '../../src/collect/parsers/detect.js';
import { artifactKinds } from '../../src/collect/parsers/index.js';
import { artifactsDir, readArtifact } from './fixtures.js';
import { cpuStopwatch } from '../cpu-time.js';

/** Every saved capture of a kind, except `dig +short`: a bare address says nothing of the tool that printed it. */
const captures = artifactKinds.flatMap((kind) =>
  readdirSync(`${artifactsDir}/${kind}`)
    .filter((name) => !(kind === 'dig' && name === 'short.txt'))
    .map((name) => [kind, name] as const),
);

describe('artifact kinds told by their signature', () => {
  it('every kind has captures to be told by', () => {
    expect(new Set(captures.map(([kind]) => kind))).toEqual(new Set(artifactKinds));
  });

  it.each(captures)('%s/%s is told as its kind and nothing else', (kind, name) => {
    expect(detectKinds(readArtifact(kind, name))).toEqual([kind]);
  });

  it("openssl x509 -checkhost's verdict alone is told as openssl", () => {
    expect(detectKinds('Hostname shop.example.com does NOT match certificate\n')).toEqual(['openssl']);
    expect(detectKinds('IP 192.0.2.1 does match certificate\n')).toEqual(['openssl']);
  });

  it('text of no tool, or a bare answer, is told as nothing', () => {
    expect(detectKinds('hello world\n')).toEqual([]);
    expect(detectKinds('')).toEqual([]);
    expect(detectKinds(readArtifact('dig', 'short.txt'))).toEqual([]);
  });

  it("a curl -w loop's command line in top -c or ps is no request line: curl prints numbers where the command has %{...}", () => {
    const command = "11520 root 20 0 20004 10712 9328 S 0.0 0.0 0:00.00 curl -s -o /dev/null -w http_code=%{http_code} time_total=%{time_total}\\n http://10.195.0.2:8084/";
    expect(detectKinds(`${command}\n`)).toEqual([]);
    expect(detectKinds('http_code=200 time_total=0.004\n')).toEqual(['curl-w']);
  });

  it("an application's log is told by Python's OSError repr and urllib3's exceptions too (lab 209, cases 03 and 08)", () => {
    expect(detectKinds("2026-12-03 01:15:31 ERROR /api/orders: OSError(28, 'No space left on device')\n")).toEqual(['app-errors']);
    expect(detectKinds("ERROR ConnectTimeout(MaxRetryError(\"HTTPConnectionPool(host='10.209.3.2', port=8080): Max retries exceeded (Caused by ConnectTimeoutError(<HTTPConnection(host='10.209.3.2', port=8080) at 0x7f02>, 'Connection to 10.209.3.2 timed out. (connect timeout=3)'))\")\n")).toEqual(['app-errors']);
    // A class name and a number alone are no error's repr.
    expect(detectKinds('ValueError 28 times today\n')).toEqual([]);
  });

  it('two tools pasted into one text are told as both, in the order of --list', () => {
    expect(detectKinds(`${readArtifact('dig', 'noerror.txt')}\n${readArtifact('ping', 'linux-ok.txt')}`)).toEqual(['ping', 'dig']);
  });

  it('reads only the head of the text, each line cut short: a hostile line costs no more than its first bytes', () => {
    const start = cpuStopwatch();
    expect(detectKinds(`${') = '.repeat(2_000_000)}\n`.repeat(4))).toEqual([]);
    expect(detectKinds(`${'\n'.repeat(70_000)}${readArtifact('ping', 'linux-ok.txt')}`)).toEqual([]);
    expect(start.ms()).toBeLessThan(5000);
  });
});
