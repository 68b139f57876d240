import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';

export const artifactsDir = join(packageRoot, 'test', 'fixtures', 'artifacts');

/** A saved artifact: test/fixtures/artifacts/KIND/NAME. */
export function artifactPath(kind: string, name: string): string {
  return join(artifactsDir, kind, name);
}

export function readArtifact(kind: string, name: string): string {
  return readFileSync(artifactPath(kind, name), 'utf8');
}

/** The day the openssl captures were taken, so certificate days left are exact. */
export const CAPTURE_DAY = new Date('2026-11-24T18:07:00Z');

/** Checks that timing facts are plausible milliseconds, and returns the other facts to compare exactly. */
export function withoutTimings(facts: Readonly<Record<string, unknown>>, ...names: string[]): Record<string, unknown> {
  const rest = { ...facts };
  for (const name of names) {
    expect(rest[name], name).toBeTypeOf('number');
    expect(rest[name] as number, name).toBeGreaterThanOrEqual(0);
    expect(rest[name] as number, name).toBeLessThan(5000);
    delete rest[name];
  }
  return rest;
}
