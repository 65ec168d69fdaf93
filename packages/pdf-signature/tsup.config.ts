import { kysoTsupConfig } from '../../scripts/tsup-shared';

// shims: the `node` entry finds the default font beside the package through import.meta.url,
// which the CJS build needs shimmed.
export default kysoTsupConfig({ shims: true });
