// Small helpers for the benchmarks: timing with warm-up, median of several rounds, external commands.
import { execFileSync } from 'node:child_process';

/** Median wall time in milliseconds of `rounds` runs of `fn` after one warm-up run. */
export async function medianMs(fn, rounds = 5) {
  await fn();
  const times = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs a command to completion, discarding its output. */
export function runCommand(cmd, args) {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** `name  ratio×` lines, relative to the first entry. */
export function printRatios(title, entries) {
  const [reference] = entries;
  console.log(title);
  for (const [name, ms] of entries) {
    console.log(
      `  ${name.padEnd(44)} ${(ms / reference[1]).toFixed(2)}× ${name === reference[0] ? '(reference)' : ''}`,
    );
  }
}
