import { chmod, rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { readBase64 } from './pki.js';

/** What a kubeconfig for one client certificate needs. */
export interface KubeconfigInput {
  readonly server: string;
  readonly caCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly user: string;
}

/** Writes a self-contained kubeconfig (certificates embedded) atomically with mode 0600, since it holds a private key. */
export async function writeKubeconfig(file: string, input: KubeconfigInput): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'pxl-local', cluster: { server: input.server, 'certificate-authority-data': await readBase64(input.caCert) } }],
    users: [{
      name: input.user,
      user: { 'client-certificate-data': await readBase64(input.clientCert), 'client-key-data': await readBase64(input.clientKey) },
    }],
    contexts: [{ name: 'pxl-local', context: { cluster: 'pxl-local', user: input.user } }],
    'current-context': 'pxl-local',
    preferences: {},
  };
  const tmp = `${file}.tmp-${String(process.pid)}`;
  await writeFile(tmp, stringify(config), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
