import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import { baseConfig } from '@renkei/eslint-config/base';

export default [
  ...baseConfig(import.meta.dirname),
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        // One program for all .vue files (the tsconfig lists them). With the project service the
        // program was rebuilt for each .vue file: the admin's lint took 6+ minutes, now < 1.
        projectService: false,
        project: './tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    // vue-tsc checks every identifier with the DOM types; ESLint's no-undef knows no browser
    // globals in .vue files (typescript-eslint advises it off for typed code).
    rules: { 'no-undef': 'off' },
  },
  {
    // Layout of templates is Prettier's job (root `pnpm format`); ESLint keeps to correctness.
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  { ignores: ['test-results/**', 'playwright-report/**'] },
];
