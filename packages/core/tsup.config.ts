import { kysoTsupConfig } from '../../scripts/tsup-shared';

export default kysoTsupConfig();
