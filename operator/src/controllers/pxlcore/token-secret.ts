// The generated bearer token shared by the operator and a core's provers, when the user brings none.
import { randomBytes } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childNames } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** A fresh random token: 32 bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The desired generated Secret; `token` is the existing value when there is one, so it is never regenerated. */
export function buildTokenSecret(core: CoreIdentity, token: string): Plain<V1Secret> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: buildChildMeta(core, childNames(core.name).tokenSecret),
    type: 'Opaque',
    data: { token: Buffer.from(token, 'utf8').toString('base64') },
  };
}
