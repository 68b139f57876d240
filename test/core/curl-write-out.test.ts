import { describe, expect, it } from 'vitest';
import { readWriteOut } from '../../src/collect/parsers/curl-w.js';
import { curlWriteOuts } from '../../src/core/curl-commands.js';
import { cpuStopwatch } from '../cpu-time.js';

/** The curl-write-out check's reading of commands (its fires and near-miss cases are in checks.test.ts). */
describe("curl-write-out's reading of a command", () => {
  it('finds the format after -w, in a cluster of short options, attached, after --write-out, and takes the last one given', () => {
    expect(curlWriteOuts("curl -s -w '%{http_code}\\n' URL")).toEqual([{ format: '%{http_code}\\n', inLoop: false }]);
    expect(curlWriteOuts("curl -sSw '%{http_code}' URL")).toEqual([{ format: '%{http_code}', inLoop: false }]);
    expect(curlWriteOuts("curl -w'%{http_code}' URL")).toEqual([{ format: '%{http_code}', inLoop: false }]);
    expect(curlWriteOuts('curl --write-out "%{http_code} \\"x\\"" URL')).toEqual([{ format: '%{http_code} "x"', inLoop: false }]);
    expect(curlWriteOuts("curl -w a -w 'b' URL")).toEqual([{ format: 'b', inLoop: false }]);
  });

  it('reads the value of an option that takes one as that value, not as options: -o, -H, a cluster ending in one', () => {
    expect(curlWriteOuts("curl -o -w -H '-w x' URL")).toEqual([]);
    expect(curlWriteOuts('curl -sSo/dev/null -w x URL')).toEqual([{ format: 'x', inLoop: false }]);
    expect(curlWriteOuts('curl -- -w x')).toEqual([]);
  });

  it('finds curl as the program of any simple command: after wrappers, assignments and reserved words, in a pipeline, a substitution or a loop', () => {
    expect(curlWriteOuts('timeout 10 curl -w a URL')).toEqual([{ format: 'a', inLoop: false }]);
    expect(curlWriteOuts('sudo -u www /usr/bin/curl -w a URL')).toEqual([{ format: 'a', inLoop: false }]);
    expect(curlWriteOuts('LC_ALL=C curl -w a URL | sort; x=$(curl -w b URL)')).toEqual([
      { format: 'a', inLoop: false },
      { format: 'b', inLoop: false },
    ]);
    expect(curlWriteOuts('for i in $(seq 3); do curl -w a URL; done; curl -w b URL')).toEqual([
      { format: 'a', inLoop: true },
      { format: 'b', inLoop: false },
    ]);
    expect(curlWriteOuts('while true\ndo\n  curl -w a URL\ndone')).toEqual([{ format: 'a', inLoop: true }]);
  });

  it("reads the shell's words as placeholders are read (shell-words.ts): a substitution inside double quotes, a redirection's &, a word after a substitution", () => {
    expect(curlWriteOuts('echo "$(curl -w "%{http_code}" URL)"')).toEqual([{ format: '%{http_code}', inLoop: false }]);
    expect(curlWriteOuts('curl -s 2>&1 -w x URL')).toEqual([{ format: 'x', inLoop: false }]);
    expect(curlWriteOuts('echo $(date) curl -w x URL')).toEqual([]);
  });

  it('finds nothing where curl is not the program, or is in a comment', () => {
    expect(curlWriteOuts("echo curl -w '%{http_code}'")).toEqual([]);
    expect(curlWriteOuts('sudo -u curl ls -w x')).toEqual([]);
    expect(curlWriteOuts('ping -c 3 HOST # curl -w x URL')).toEqual([]);
    expect(curlWriteOuts('curl -sI URL')).toEqual([]);
  });

  it('reads a hostile command in linear time', () => {
    const start = cpuStopwatch();
    for (const text of ["'".repeat(200_000), '"\\'.repeat(200_000), 'curl -w '.repeat(50_000), 'do '.repeat(100_000), '#'.repeat(200_000)]) curlWriteOuts(text);
    expect(start.ms()).toBeLessThan(5000);
  });
});

describe("what the curl-w parser makes of a -w format's output", () => {
  it('reads named pairs with http_code and a time_ variable in any order, and %{json}', () => {
    expect(readWriteOut('time_total=%{time_total} http_code=%{http_code}\\n', 2)).toBeUndefined();
    expect(readWriteOut('http_code=%{http_code}\\ttime_connect=%{time_connect} errormsg=%{errormsg}')).toBeUndefined();
    expect(readWriteOut('%{json}')).toBeUndefined();
  });

  it("reads curl's escapes, %% and %header{...} as curl prints them", () => {
    expect(readWriteOut('http_code=%{http_code}%%time_total=%{time_total}')).toEqual({ sample: 'http_code=200%time_total=0.100000', named: 'http_code=%{http_code} time_total=%{time_total}\\n' });
    expect(readWriteOut('http_code=%{http_code} %header{server} time_total=%{time_total}\\r\\n')).toBeUndefined();
    expect(readWriteOut('http_code=%{http_code}\\ntime_total=%{time_total}\\n')).toEqual({ sample: 'http_code=200\ntime_total=0.100000\n', named: 'http_code=%{http_code} time_total=%{time_total}\\n' });
  });

  it('names the variables as the parser reads them: http_code first, errormsg last, a time_ one added, %{json} on a line of its own', () => {
    expect(readWriteOut('errormsg=%{errormsg} http_code=%{http_code} time_total=%{time_total}\\n')).toEqual({
      sample: 'errormsg= http_code=200 time_total=0.100000\n',
      named: 'http_code=%{http_code} time_total=%{time_total} errormsg=%{errormsg}\\n',
    });
    expect(readWriteOut('%{exitcode} %{http_code}')?.named).toBe('http_code=%{http_code} exitcode=%{exitcode} time_total=%{time_total}\\n');
    expect(readWriteOut('%{json}', 2)?.named).toBe('%{json}\\n');
  });

  it('prints an unclosed %{ as it is, in linear time', () => {
    expect(readWriteOut('%{time_total} %{http_code')?.sample).toBe('0.100000 %{http_code');
    const start = cpuStopwatch();
    readWriteOut('%{'.repeat(200_000));
    readWriteOut('%a{'.repeat(200_000));
    expect(start.ms()).toBeLessThan(5000);
  });
});
