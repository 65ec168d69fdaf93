/**
 * `@kyso/lifecycle-rules`: the decrees on public-service digital signatures as data, evaluated at a
 * date, per province.
 *
 * @packageDocumentation
 */

export type { RulesErrorCode } from './errors.js';
export { RulesError } from './errors.js';
