import { baseConfig } from '@renkei/eslint-config/base';

export default baseConfig(import.meta.dirname);
