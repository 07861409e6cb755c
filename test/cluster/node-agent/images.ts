import path from 'node:path';

/**
 * The image → command table: there is no container runtime here, so each image the project
 * ships maps to the project's own entry point, run with the host's node binary.
 */

/** One image this agent knows how to "run", matched by repository name. */
export interface ImageMapping {
  /** What the repository must equal, or end with after a `/` when it starts with `*\/`. */
  readonly repository: string;
  /** The entry point relative to the repository root, run as `node <entry> <args>`. */
  readonly entry: string;
}

/** The images the agent can run; the container's `command` is ignored for these (it names paths in an image). */
export const imageMappings: readonly ImageMapping[] = [
  { repository: '*/pxl-prover', entry: 'dist/prover/src/main.js' },
  { repository: '*/pxl-operator', entry: 'dist/operator/src/main.js' },
  { repository: 'pxl.test/http-echo', entry: 'dist/test/fixtures/http-echo.js' },
];

/** The command line a mapped image resolves to. */
export interface ResolvedCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly entry: string;
}

/** Strips the tag and digest from an image reference, keeping registry and path. */
export function getRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** Whether a repository matches a mapping pattern (`*\/name` matches any registry or path prefix). */
export function matchesRepository(repository: string, pattern: string): boolean {
  if (pattern.startsWith('*/')) {
    const name = pattern.slice(2);
    return repository === name || repository.endsWith(`/${name}`);
  }
  return repository === pattern;
}

/** Finds the mapping for an image, or undefined when the agent cannot run it. */
export function findImageMapping(image: string): ImageMapping | undefined {
  const repository = getRepository(image);
  return imageMappings.find((mapping) => matchesRepository(repository, mapping.repository));
}

/** Resolves an image and its (already expanded) container args to a host command line. */
export function resolveCommand(mapping: ImageMapping, repoRoot: string, args: readonly string[]): ResolvedCommand {
  const entry = path.join(repoRoot, mapping.entry);
  return { file: process.execPath, args: [entry, ...args], entry };
}

/** The message a Pod shows when its image is not in the table. */
export function describeUnknownImage(image: string): string {
  const known = imageMappings.map((mapping) => mapping.repository).join(', ');
  return `image "${image}" is not known to the PXL node agent (no container runtime here); known repositories: ${known}`;
}
