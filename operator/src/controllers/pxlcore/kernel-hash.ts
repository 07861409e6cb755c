// The kernel hash of API §4 computed from a ConfigMap of .v sources, so the operator can pin and roll Pods.
import { createHash } from 'node:crypto';

/** The hash of the .v files a ConfigMap holds (keys are the relative paths, sorted). */
export function hashConfigMapKernel(data: Readonly<Record<string, string>>, binaryData: Readonly<Record<string, string>> = {}): string {
  const files = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(data)) if (key.endsWith('.v')) files.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(binaryData)) if (key.endsWith('.v')) files.set(key, Buffer.from(value, 'base64'));
  const hash = createHash('sha256');
  // Byte order, like the prover's sort of relative paths, rather than locale order.
  for (const path of [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(path, 'utf8');
    hash.update(Buffer.from([0]));
    hash.update(files.get(path) ?? Buffer.alloc(0));
    hash.update(Buffer.from([0]));
  }
  return `sha256:${hash.digest('hex')}`;
}
