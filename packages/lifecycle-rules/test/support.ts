export * from '../src/index.js';

/** Whether `error` carries kyso's error marker (what core's isKysoError checks). */
export function isKysoErrorLike(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for('kyso.error')] === true
  );
}
