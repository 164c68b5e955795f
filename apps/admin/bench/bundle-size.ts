import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One entry of Vite's build manifest (dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export function readManifest(dist: string): Manifest {
  return JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/**
 * The JavaScript files the browser loads to show the given source modules: the entry, each
 * module's chunk, and everything they import statically (what a dynamic route import pulls in
 * before the component renders). Dynamic imports of those chunks (other routes) are not followed.
 */
export function chunksFor(manifest: Manifest, sources: readonly string[]): string[] {
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry === true);
  if (entry === undefined) throw new Error('the manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`${key} is not in the build manifest`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry[0]);
  for (const source of sources) visit(source);
  return [...seen].map((key) => manifest[key]!.file).filter((file) => file.endsWith('.js'));
}

/** Gzip size in bytes of the given dist files together (each compressed on its own, as served). */
export function gzipBytes(dist: string, files: readonly string[]): number {
  return files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
    0,
  );
}
