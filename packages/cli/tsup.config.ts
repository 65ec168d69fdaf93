import { kysoTsupConfig } from '../../scripts/tsup-shared';

// testkit is private and never published: `kyso demo` carries the parts of it that it uses.
export default kysoTsupConfig({ noExternal: ['@kyso/testkit'] });
