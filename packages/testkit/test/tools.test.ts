import { afterEach, describe, expect, it } from 'vitest';
import { MissingToolError, requireTool, SerialQueue } from '../src/index.js';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('requireTool', () => {
  it('finds a tool on PATH', () => {
    expect(requireTool('openssl')).toMatch(/\/openssl$/);
  });

  it('names the Debian package to install when a tool is missing', () => {
    process.env.PATH = '/nonexistent';
    expect(() => requireTool('pdfsig')).toThrow(MissingToolError);
    expect(() => requireTool('pdfsig')).toThrow(/apt-get install poppler-utils/);
    expect(() => requireTool('certutil')).toThrow(/libnss3-tools/);
  });
});

describe('SerialQueue', () => {
  it('runs work one at a time, in order, even when one fails', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      queue.enqueue(async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 1, true), task('c', 5)]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
