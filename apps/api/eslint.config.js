import { baseConfig } from '@renkei/eslint-config/base';

export default [
  ...baseConfig(import.meta.dirname),
  {
    // HTTP tests read untyped JSON bodies (supertest's `body` is `any`); asserting on them field by
    // field is the point of those tests.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
];
