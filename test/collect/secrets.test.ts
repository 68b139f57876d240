import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/collect/secrets.js';

describe('redactSecrets: the secrets a pasted command line or header carried', () => {
  it.each([
    ['/usr/bin/mysqld --db-password=hunter2 --port 3306', '/usr/bin/mysqld --db-password=<redacted> --port 3306'],
    ['app --token hunter2 --verbose', 'app --token <redacted> --verbose'],
    ['env DB_PASSWORD=hunter2 API_KEY=k1 PATH=/bin', 'env DB_PASSWORD=<redacted> API_KEY=<redacted> PATH=/bin'],
    ['curl https://ops:hunter2@db.example/x?access_token=t1&page=2', 'curl https://<redacted>@db.example/x?access_token=<redacted>&page=2'],
    ['> Authorization: Bearer eyJhbGciOi.x.y', '> Authorization: Bearer <redacted>'],
    ['authorization: hunter2', 'authorization: <redacted>'],
    ['  java -Djavax.net.ssl.trustStorePassword=changeit -jar app.jar', '  java -Djavax.net.ssl.trustStorePassword=<redacted> -jar app.jar'],
    ['client_secret: s3cr3t\n\tline two', 'client_secret: <redacted>\n\tline two'],
  ])('%j -> %j', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it.each([
    // Near misses: names that only look alike, an option with its value on the next line, the parsers' own words.
    'ftp --passive host.example',
    'tokenizer --mode fast',
    'FATAL: password authentication failed for user "app"',
    'time_connect:0.012 time_starttransfer:0.230',
    'https://db.example/x?page=2',
    ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242',
    '--password\nnext line stays',
  ])('leaves %j as it is', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('reads hostile text in linear time: a megabyte of one word, of secret options, of URLs without credentials', () => {
    const started = Date.now();
    for (const text of ['a'.repeat(1_000_000), '--password '.repeat(100_000), 'a://'.repeat(250_000), `${'x'.repeat(70)}=`.repeat(14_000), 'Authorization: '.repeat(60_000)]) redactSecrets(text);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
