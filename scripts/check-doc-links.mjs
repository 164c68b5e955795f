#!/usr/bin/env node
// Fails when a code comment or a Markdown file cites a file that is not in the repository.
//
// The repository must document itself (docs/README.md): a newcomer who clones it has nothing
// else. Scanned: every file git knows (tracked, or new and not ignored) with a source or text
// extension. Checked:
//   - `docs/<path>.md` anywhere: the file must exist (from the repository root);
//   - relative links in Markdown (`[text](path)`, `[ref]: path`): the target must exist
//     (from the Markdown file's folder);
//   - the names of documents that live outside the repository (wire.md, DESIGN.md,
//     RELIABILITY.md, CONVENTIONS.md, smaregi-api.md, with or without a folder): an error unless
//     such a file exists at that path;
//   - `../shared` and "digest §N": the research folder next to the checkout is not part of the
//     repository; cite docs/smaregi-wire.md §N instead.
// Prints `file:line: message` per problem and exits 1 when there is any. No dependencies.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const self = relative(root, fileURLToPath(import.meta.url))
  .split(sep)
  .join('/');

const SCANNED_EXTENSIONS = new Set([
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.mjs',
  '.cjs',
  '.vue',
  '.json',
  '.md',
  '.sh',
  '.yaml',
  '.yml',
]);
const SKIPPED = new Set(['pnpm-lock.yaml', self]);

/** Every file git knows about: tracked, plus new files that are not ignored. */
function repositoryFiles() {
  const out = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const files = [...new Set(out.split('\0').filter((f) => f !== ''))];
  // A tracked file deleted in the working tree does not count as present.
  return files.filter((f) => existsSync(join(root, f)));
}

const files = repositoryFiles();
const present = new Set(files);
for (const file of files) {
  for (let dir = dirname(file); dir !== '.' && !present.has(dir); dir = dirname(dir))
    present.add(dir);
}
present.add('.');

/** True when `target` (relative to the repository root, normalised) is a file or folder of it. */
function exists(target) {
  if (target.startsWith('..')) return false;
  const clean = target.replace(/\/+$/, '') || '.';
  return present.has(clean);
}

function fromRoot(path) {
  return normalize(path).split(sep).join('/');
}

function fromFile(file, path) {
  return fromRoot(join(dirname(file), path));
}

const DOCS_REF = /(?<![\w./-])docs\/[\w./-]*?\.md\b/g;
const OUTSIDE_DOC =
  /(?<![\w-])(?:[\w.-]+\/)*(?:wire|DESIGN|RELIABILITY|CONVENTIONS|smaregi-api)\.md\b/g;
const SHARED = /\.\.\/shared(?![\w-])/g;
const DIGEST = /\bdigest §/g;
const INLINE_LINK = /\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_LINK = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

const problems = [];
const report = (file, line, message) => problems.push(`${file}:${line}: ${message}`);

function checkLinkTarget(file, lineNo, raw) {
  if (raw.startsWith('#') || SCHEME.test(raw) || raw.startsWith('//')) return;
  const path = decodeURI(raw.replace(/[#?].*$/, ''));
  if (path === '') return;
  const target = path.startsWith('/') ? fromRoot(path.slice(1)) : fromFile(file, path);
  if (!exists(target)) report(file, lineNo, `link to a missing file: ${raw}`);
}

let scanned = 0;
for (const file of files) {
  if (SKIPPED.has(file)) continue;
  const ext = extname(file);
  if (!SCANNED_EXTENSIONS.has(ext) && !file.startsWith('.ci/') && !file.startsWith('scripts/'))
    continue;
  let text;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    continue;
  }
  if (text.includes('\0')) continue; // binary
  scanned++;
  const markdown = ext === '.md';
  let fence = null;
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    for (const match of line.matchAll(DOCS_REF)) {
      if (!exists(fromRoot(match[0]))) report(file, lineNo, `cites a missing file: ${match[0]}`);
    }
    for (const match of line.matchAll(OUTSIDE_DOC)) {
      const cited = match[0];
      if (!exists(fromRoot(cited)) && !exists(fromFile(file, cited)))
        report(file, lineNo, `cites ${cited}, which is not in the repository (see docs/README.md)`);
    }
    for (const _ of line.matchAll(SHARED))
      report(
        file,
        lineNo,
        'cites ../shared, which is not part of the repository (see docs/README.md)',
      );
    for (const _ of line.matchAll(DIGEST))
      report(
        file,
        lineNo,
        'cites the research digest, which is not in the repository: cite docs/smaregi-wire.md §N',
      );
    if (!markdown) return;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1];
      if (fence === null) fence = marker[0];
      else if (marker[0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(INLINE_LINK)) checkLinkTarget(file, lineNo, match[1]);
    const ref = REFERENCE_LINK.exec(withoutCode);
    if (ref) checkLinkTarget(file, lineNo, ref[1]);
  });
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(
    `\ncheck-doc-links: ${problems.length} citation(s) of files that are not in the repository`,
  );
  process.exit(1);
}
console.log(`check-doc-links: ${scanned} files, every cited file exists`);
