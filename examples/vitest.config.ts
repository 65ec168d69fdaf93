import { kysoVitestConfig } from '../scripts/vitest-shared';

export default kysoVitestConfig(process.cwd());
