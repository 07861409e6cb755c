import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1KeyToPath, V1Volume, V1VolumeProjection } from '@kubernetes/client-node';
import { decodeData, type ObjectReader } from './container-env.js';
import { PodSetupError } from './errors.js';
import { resolveFieldRef, type PodPlacement } from './field-ref.js';
import type { Plain } from './plain.js';

/** Issues service-account tokens through the TokenRequest API, bound to the Pod. */
export interface TokenIssuer {
  requestToken(request: {
    namespace: string; serviceAccount: string; audience: string | undefined; expirationSeconds: number;
    podName: string; podUid: string;
  }): Promise<{ token: string; expiresAt: Date }>;
}

/** The host directories backing a Pod's volumes, and when projected tokens need a refresh. */
export interface MaterializedVolumes {
  readonly hostPaths: ReadonlyMap<string, string>;
  /** Milliseconds until the earliest token should be renewed (80 % of its life), if any token was written. */
  readonly refreshInMs: number | undefined;
}

interface VolumeContext {
  readonly placement: PodPlacement;
  readonly reader: ObjectReader;
  readonly tokens: TokenIssuer;
  readonly refreshTimes: number[];
}

const defaultMode = 0o644;

async function writeVolumeFile(dir: string, relative: string, content: string | Buffer, mode: number): Promise<void> {
  const target = path.resolve(dir, relative);
  if (!target.startsWith(`${dir}${path.sep}`)) {
    throw new PodSetupError(`volume path "${relative}" escapes its volume`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  // Write then rename, so a process reading a refreshed token never sees half a file.
  const temporary = `${target}.tmp-${String(process.pid)}`;
  await writeFile(temporary, content);
  await chmod(temporary, mode);
  await rename(temporary, target);
}

async function writeKeyed(
  dir: string, kind: 'Secret' | 'ConfigMap', name: string, items: V1KeyToPath[] | undefined, optional: boolean,
  mode: number, context: VolumeContext,
): Promise<void> {
  const namespace = context.placement.pod.metadata?.namespace ?? 'default';
  const object = kind === 'Secret'
    ? await context.reader.readSecret(namespace, name)
    : await context.reader.readConfigMap(namespace, name);
  if (object === undefined) {
    if (optional) {
      return;
    }
    throw new PodSetupError(`${kind} ${namespace}/${name} not found`);
  }
  const data = decodeData(object, kind);
  const selected: readonly Plain<V1KeyToPath>[] = items ?? [...data.keys()].map((key) => ({ key, path: key }));
  for (const item of selected) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) {
        continue;
      }
      throw new PodSetupError(`${kind} ${namespace}/${name} has no key ${item.key}`);
    }
    await writeVolumeFile(dir, item.path, value, item.mode ?? mode);
  }
}

async function writeProjection(dir: string, source: Plain<V1VolumeProjection>, mode: number, context: VolumeContext): Promise<void> {
  const { pod } = context.placement;
  if (source.secret !== undefined) {
    await writeKeyed(dir, 'Secret', source.secret.name ?? '', source.secret.items, source.secret.optional === true, mode, context);
  }
  if (source.configMap !== undefined) {
    const ref = source.configMap;
    await writeKeyed(dir, 'ConfigMap', ref.name ?? '', ref.items, ref.optional === true, mode, context);
  }
  for (const item of source.downwardAPI?.items ?? []) {
    if (item.fieldRef === undefined) {
      throw new PodSetupError(`downwardAPI item ${item.path}: only fieldRef is supported`);
    }
    await writeVolumeFile(dir, item.path, resolveFieldRef(item.fieldRef, context.placement), item.mode ?? mode);
  }
  const token = source.serviceAccountToken;
  if (token !== undefined) {
    const expirationSeconds = token.expirationSeconds ?? 3600;
    const issued = await context.tokens.requestToken({
      namespace: pod.metadata?.namespace ?? 'default',
      serviceAccount: pod.spec?.serviceAccountName ?? 'default',
      audience: token.audience,
      expirationSeconds,
      podName: pod.metadata?.name ?? '',
      podUid: pod.metadata?.uid ?? '',
    });
    await writeVolumeFile(dir, token.path, issued.token, mode);
    context.refreshTimes.push(expirationSeconds * 1000 * 0.8);
  }
}

async function materializeVolume(volume: V1Volume, dir: string, context: VolumeContext): Promise<string> {
  if (volume.hostPath !== undefined) {
    return volume.hostPath.path;
  }
  await mkdir(dir, { recursive: true });
  if (volume.emptyDir !== undefined) {
    return dir;
  }
  if (volume.secret !== undefined) {
    const { secret } = volume;
    await writeKeyed(dir, 'Secret', secret.secretName ?? '', secret.items, secret.optional === true, secret.defaultMode ?? defaultMode, context);
    return dir;
  }
  if (volume.configMap !== undefined) {
    const { configMap } = volume;
    await writeKeyed(dir, 'ConfigMap', configMap.name ?? '', configMap.items, configMap.optional === true, configMap.defaultMode ?? defaultMode, context);
    return dir;
  }
  if (volume.downwardAPI !== undefined) {
    await writeProjection(dir, { downwardAPI: volume.downwardAPI }, volume.downwardAPI.defaultMode ?? defaultMode, context);
    return dir;
  }
  if (volume.projected !== undefined) {
    for (const source of volume.projected.sources ?? []) {
      await writeProjection(dir, source, volume.projected.defaultMode ?? defaultMode, context);
    }
    return dir;
  }
  throw new PodSetupError(
    `volume ${volume.name}: unsupported volume source (the PXL node agent supports emptyDir, secret, configMap, projected, downwardAPI, hostPath)`,
  );
}

/** Writes every volume of a Pod under volumesDir/<name>/ (hostPath volumes are used in place). */
export async function materializeVolumes(
  volumes: readonly V1Volume[], volumesDir: string, placement: PodPlacement, reader: ObjectReader, tokens: TokenIssuer,
): Promise<MaterializedVolumes> {
  const context: VolumeContext = { placement, reader, tokens, refreshTimes: [] };
  const hostPaths = new Map<string, string>();
  for (const volume of volumes) {
    hostPaths.set(volume.name, await materializeVolume(volume, path.join(volumesDir, volume.name), context));
  }
  const refreshInMs = context.refreshTimes.length === 0 ? undefined : Math.min(...context.refreshTimes);
  return { hostPaths, refreshInMs };
}
