// The architecture's boundaries as lint rules (docs/architecture.md): each rule names the
// package that owns what it forbids elsewhere.
import { relative, resolve, sep } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '../..');

/** Files where the process environment and Smaregi's wire details may appear: tests and tools. */
const TOOLING_FILES = [
  '**/*.test.ts',
  'test/**',
  'e2e/**',
  'bench/**',
  'scripts/**',
  'examples/**',
  'src/testing.ts',
  '*.config.ts',
  '*.config.js',
];

/** Imports that do I/O (or pull in the code that does): none of them belongs in the rules. */
const IO_MODULES = [
  'fs',
  'fs/promises',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'worker_threads',
  'cluster',
  'readline',
]
  .flatMap((m) => [m, `node:${m}`])
  .concat(['express', 'pg', 'pg-boss', 'better-sqlite3', 'pino', 'undici', 'node-fetch']);
const IO_PACKAGES = [
  '@mikro-orm/*',
  '@trpc/*',
  '@renkei/persistence',
  '@renkei/smaregi-client',
  '@renkei/smaregi-simulator',
  '@renkei/config',
];

/** The apps: libraries are used by apps, never the reverse. */
const APP_IMPORTS = {
  group: ['@renkei/api', '@renkei/api/*', '@renkei/worker', '@renkei/worker/*', '@renkei/admin'],
  message: 'a package must not import an app (apps use packages, not the reverse)',
};
const APP_PATHS = {
  group: ['**/apps/**'],
  message: 'a package must not import an app (apps use packages, not the reverse)',
};

/** The ID and API hosts (links to Smaregi's help pages are fine). */
const smaregiHost = /\b(?:id|api)\.smaregi\.(?:jp|dev)\b/.source;
/** Smaregi's own request and webhook headers (the client reads and writes them). */
const smaregiHeader = /^(?:x-smaregi-[\w-]+|smaregi-(?:event|event-id|contract-id))$/i.source;
const SMAREGI_WIRE = [
  {
    selector: `Literal[value=/${smaregiHost}/]`,
    message:
      "Smaregi's hosts belong to packages/smaregi-client (SMAREGI_ENVIRONMENTS); pass `SMAREGI_ENV` or a configured base URL",
  },
  {
    selector: `TemplateElement[value.raw=/${smaregiHost}/]`,
    message:
      "Smaregi's hosts belong to packages/smaregi-client (SMAREGI_ENVIRONMENTS); pass `SMAREGI_ENV` or a configured base URL",
  },
  {
    selector: `Literal[value=/${smaregiHeader}/i]`,
    message: "Smaregi's HTTP headers belong to packages/smaregi-client: use its helpers",
  },
];

const PROCESS_ENV = {
  object: 'process',
  property: 'env',
  message:
    "read the environment through the service's loadConfig (@renkei/config's processEnv()); pass configuration in as arguments",
};

/**
 * Boundary rules for the package at `packageDir`:
 * - `process.env` only in packages/config (and tests, scripts, tool configs);
 * - packages never import apps;
 * - packages/domain imports nothing that does I/O;
 * - Smaregi hosts and headers only in packages/smaregi-client and packages/smaregi-simulator.
 * @param {string} packageDir the package folder (import.meta.dirname of its eslint.config.js)
 */
export function boundaryRules(packageDir) {
  const where = relative(repositoryRoot, packageDir).split(sep).join('/');
  const isPackage = where.startsWith('packages/');
  const ownsSmaregiWire =
    where === 'packages/smaregi-client' || where === 'packages/smaregi-simulator';
  const restrictedImports = [
    ...(isPackage ? [APP_IMPORTS, APP_PATHS] : []),
    ...(where === 'packages/domain'
      ? [
          {
            group: IO_PACKAGES,
            message: 'packages/domain is pure: no storage, HTTP, Smaregi client or environment',
          },
        ]
      : []),
  ];
  const configs = [];
  if (restrictedImports.length > 0 || where === 'packages/domain')
    configs.push({
      files: ['**/*.ts', '**/*.js', '**/*.vue'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            ...(where === 'packages/domain'
              ? {
                  paths: IO_MODULES.map((name) => ({
                    name,
                    message: 'packages/domain is pure: no I/O (files, network, processes, logs)',
                  })),
                }
              : {}),
            patterns: restrictedImports,
          },
        ],
      },
    });
  if (where !== 'packages/config')
    configs.push({
      files: ['**/*.ts', '**/*.js', '**/*.vue'],
      ignores: TOOLING_FILES,
      rules: { 'no-restricted-properties': ['error', PROCESS_ENV] },
    });
  if (!ownsSmaregiWire)
    configs.push({
      files: ['**/*.ts', '**/*.js', '**/*.vue'],
      ignores: TOOLING_FILES,
      rules: { 'no-restricted-syntax': ['error', ...SMAREGI_WIRE] },
    });
  return configs;
}
