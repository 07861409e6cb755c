// Reads ProofRequest manifests (multi-document YAML) into proof requests the pipeline can check.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { apiVersion } from '../../../crds/index.js';
import { HttpError } from '../http/errors.js';
import type { BodyValidators, ProveBody } from '../http/schemas.js';

/** One ProofRequest found in a file: its request, or why it cannot be checked. */
export type ManifestEntry =
  | { readonly name: string; readonly ok: true; readonly request: ProveBody }
  | { readonly name: string; readonly ok: false; readonly message: string };

const checkedFields = ['goal', 'statement', 'proof', 'source', 'theorem', 'allowedAxioms'] as const;

/** Reads every ProofRequest document of a file; other kinds are skipped, malformed documents become entries with a message. */
export async function readManifests(file: string, validators: BodyValidators): Promise<ManifestEntry[]> {
  const text = await readFile(file, 'utf8');
  const entries: ManifestEntry[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    const fallbackName = `${file}#${index + 1}`;
    if (document.errors.length > 0) {
      entries.push({ name: fallbackName, ok: false, message: `invalid YAML: ${document.errors[0]?.message ?? 'syntax error'}` });
      return;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    if (!isObject(value)) {
      entries.push({ name: fallbackName, ok: false, message: 'document is not a mapping' });
      return;
    }
    if (value.kind !== 'ProofRequest') return;
    entries.push(readProofRequest(value, fallbackName, validators));
  });
  return entries;
}

function readProofRequest(manifest: Record<string, unknown>, fallbackName: string, validators: BodyValidators): ManifestEntry {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : fallbackName;
  if (manifest.apiVersion !== apiVersion) {
    return { name, ok: false, message: `apiVersion must be ${apiVersion}, got ${JSON.stringify(manifest.apiVersion)}` };
  }
  if (!isObject(manifest.spec)) return { name, ok: false, message: 'spec is missing or not a mapping' };
  const spec = manifest.spec;
  // coreRef and ttlSecondsAfterFinished concern the cluster; only what decides the verdict is checked here.
  const body: Record<string, unknown> = {};
  for (const field of checkedFields) if (spec[field] !== undefined) body[field] = spec[field];
  if (spec.timeoutSeconds !== undefined) {
    const seconds = spec.timeoutSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
      return { name, ok: false, message: 'spec.timeoutSeconds must be an integer from 1 to 600' };
    }
    body.timeoutMs = seconds * 1000;
  }
  try {
    return { name, ok: true, request: validators.prove(body) };
  } catch (error) {
    if (error instanceof HttpError) return { name, ok: false, message: `spec: ${error.message}` };
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
