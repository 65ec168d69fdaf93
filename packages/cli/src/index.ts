/**
 * `@kyso/cli`: the `kyso` command line. The programmatic entry runs it in-process.
 *
 * @packageDocumentation
 */
export { runCli } from './cli.js';
export type { CliIo, Lang } from './io.js';
export { EXIT } from './io.js';
