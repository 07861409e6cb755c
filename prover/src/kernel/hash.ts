// The kernel hash of API §4: a content address over every .v file of a kernel directory.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Lists the .v files under a directory as sorted, '/'-separated relative paths. */
export async function listKernelSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.v'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  // Byte order, not locale order, so every machine agrees on the hash.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Computes "sha256:" + hex sha256 over, per .v file sorted by relative path: path, NUL, bytes, NUL. */
export async function hashKernelDir(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listKernelSources(dir)) {
    hash.update(file, 'utf8');
    hash.update(Buffer.of(0));
    hash.update(await readFile(path.join(dir, file)));
    hash.update(Buffer.of(0));
  }
  return `sha256:${hash.digest('hex')}`;
}
