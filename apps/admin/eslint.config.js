import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import { baseConfig } from '@renkei/eslint-config/base';

export default [
  ...baseConfig(import.meta.dirname),
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
  },
];
