/**
 * The process runs on the host, not in a mount namespace, so a value naming a path inside
 * a container mount is rewritten to the host directory that backs the mount.
 */

/** One container mount and the host path that backs it. */
export interface MountMapping {
  readonly mountPath: string;
  readonly hostPath: string;
}

function trimSlash(value: string): string {
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value;
}

/**
 * Rewrites a value that starts with a mount path (longest match, on a path boundary) to the host
 * path; in a `--flag=/path` argument the part after `=` is rewritten the same way.
 */
export function rewriteMountPath(value: string, mounts: readonly MountMapping[]): string {
  const flag = /^(--?[A-Za-z0-9][\w.-]*=)(\/.*)$/.exec(value);
  if (flag !== null) {
    return `${flag[1] ?? ''}${rewritePath(flag[2] ?? '', mounts)}`;
  }
  return rewritePath(value, mounts);
}

function rewritePath(value: string, mounts: readonly MountMapping[]): string {
  let best: MountMapping | undefined;
  for (const mount of mounts) {
    const mountPath = trimSlash(mount.mountPath);
    const onBoundary = value === mountPath || value.startsWith(`${mountPath}/`) || mountPath === '/';
    if (onBoundary && mountPath.length > (best === undefined ? -1 : trimSlash(best.mountPath).length)) {
      best = mount;
    }
  }
  if (best === undefined) {
    return value;
  }
  const mountPath = trimSlash(best.mountPath);
  const rest = mountPath === '/' ? value.slice(1) : value.slice(mountPath.length);
  return mountPath === '/' ? `${trimSlash(best.hostPath)}/${rest}` : `${trimSlash(best.hostPath)}${rest}`;
}
