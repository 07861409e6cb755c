import type { V1ConfigMap, V1Container, V1EnvVar, V1Secret } from '@kubernetes/client-node';
import { ContainerConfigError } from './errors.js';
import { expandVars } from './expand-vars.js';
import { resolveFieldRef, resolveResourceFieldRef, type PodPlacement } from './field-ref.js';

/** Reads the objects a container's environment and volumes may refer to; undefined when absent. */
export interface ObjectReader {
  readSecret(namespace: string, name: string): Promise<V1Secret | undefined>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
}

/** Decodes every key of a Secret (base64 `data` plus `stringData`) or ConfigMap to text. */
export function decodeData(object: V1Secret | V1ConfigMap, kind: 'Secret' | 'ConfigMap'): Map<string, string> {
  const out = new Map<string, string>();
  // Secret `data` and ConfigMap `binaryData` are base64; ConfigMap `data` is text.
  const encoded = kind === 'Secret' ? object.data : (object as { binaryData?: Record<string, string> }).binaryData;
  for (const [key, value] of Object.entries(encoded ?? {})) {
    out.set(key, Buffer.from(value, 'base64').toString('utf8'));
  }
  if (kind === 'ConfigMap') {
    for (const [key, value] of Object.entries(object.data ?? {})) {
      out.set(key, value);
    }
  }
  return out;
}

/** The shape Secret and ConfigMap key selectors share. */
interface KeyRef {
  readonly name?: string;
  readonly key: string;
  readonly optional?: boolean;
}

/** The shape Secret and ConfigMap env sources share. */
interface NameRef {
  readonly name?: string;
  readonly optional?: boolean;
}

async function readKeyed(
  reader: ObjectReader, kind: 'Secret' | 'ConfigMap', namespace: string, name: string, optional: boolean,
): Promise<Map<string, string> | undefined> {
  const object = kind === 'Secret' ? await reader.readSecret(namespace, name) : await reader.readConfigMap(namespace, name);
  if (object === undefined) {
    if (optional) {
      return undefined;
    }
    throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" not found`);
  }
  return decodeData(object, kind);
}

async function resolveEnvVar(
  variable: V1EnvVar, container: V1Container, placement: PodPlacement, reader: ObjectReader,
  lookup: (name: string) => string | undefined,
): Promise<string | undefined> {
  const namespace = placement.pod.metadata?.namespace ?? 'default';
  const from = variable.valueFrom;
  if (from === undefined) {
    return expandVars(variable.value ?? '', lookup);
  }
  if (from.fieldRef !== undefined) {
    return resolveFieldRef(from.fieldRef, placement);
  }
  if (from.resourceFieldRef !== undefined) {
    return resolveResourceFieldRef(from.resourceFieldRef, container);
  }
  const keyRef: KeyRef | undefined = from.secretKeyRef ?? from.configMapKeyRef;
  if (keyRef !== undefined) {
    const kind = from.secretKeyRef !== undefined ? 'Secret' : 'ConfigMap';
    const optional = keyRef.optional === true;
    const data = await readKeyed(reader, kind, namespace, keyRef.name ?? '', optional);
    const value = data?.get(keyRef.key);
    if (value === undefined && data !== undefined && !optional) {
      throw new ContainerConfigError(`couldn't find key ${keyRef.key} in ${kind} ${namespace}/${keyRef.name ?? ''}`);
    }
    return value;
  }
  throw new ContainerConfigError(`env ${variable.name}: valueFrom names no supported source`);
}

/**
 * Builds a container's environment in the kubelet's order: envFrom first, then env, each value
 * expanded against what is defined before it; optional references that are absent are skipped.
 */
export async function buildContainerEnv(
  container: V1Container, placement: PodPlacement, reader: ObjectReader, base: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const namespace = placement.pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>(base);
  for (const source of container.envFrom ?? []) {
    const ref: NameRef | undefined = source.secretRef ?? source.configMapRef;
    if (ref === undefined) {
      continue;
    }
    const kind = source.secretRef !== undefined ? 'Secret' : 'ConfigMap';
    const data = await readKeyed(reader, kind, namespace, ref.name ?? '', ref.optional === true);
    for (const [key, value] of data ?? []) {
      env.set(`${source.prefix ?? ''}${key}`, value);
    }
  }
  for (const variable of container.env ?? []) {
    const value = await resolveEnvVar(variable, container, placement, reader, (name) => env.get(name));
    if (value !== undefined) {
      env.set(variable.name, value);
    }
  }
  return env;
}
