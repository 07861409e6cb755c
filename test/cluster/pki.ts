import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ClusterError } from './errors.js';

/** The client identities of the plane; `O=system:masters` makes the admin a cluster superuser without RBAC bindings. */
export const clientIdentities = {
  admin: '/O=system:masters/CN=pxl-admin',
  'kube-controller-manager': '/CN=system:kube-controller-manager',
  'kube-scheduler': '/CN=system:kube-scheduler',
} as const;

/** One of the client identities that gets a certificate and a kubeconfig. */
export type ClientName = keyof typeof clientIdentities;

/** Paths of the generated key material. */
export interface Pki {
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  readonly frontProxyCaCert: string;
  readonly frontProxyClientCert: string;
  readonly frontProxyClientKey: string;
  readonly client: (name: ClientName) => { cert: string; key: string };
}

/** The DNS names and IPs of the loopback serving certificate shared by the apiserver, controller-manager and scheduler. */
export function servingNames(firstServiceIp: string): string {
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  return [...dns.map((d) => `DNS:${d}`), 'IP:127.0.0.1', `IP:${firstServiceIp}`].join(',');
}

async function runOpenssl(args: readonly string[], input?: string): Promise<void> {
  const result = await execa('openssl', args, { reject: false, all: true, ...(input === undefined ? { stdin: 'ignore' } : { input }) });
  if (result.code === 'ENOENT') {
    throw new ClusterError('openssl is not installed; install it (apt-get install -y openssl) and re-run', { cause: result.cause });
  }
  if (result.failed) {
    throw new ClusterError(`openssl ${args[0] ?? ''} failed (exit ${String(result.exitCode)}); see the lines below`, {
      details: result.all.split('\n').slice(-8),
    });
  }
}

async function allExist(files: readonly string[]): Promise<boolean> {
  try {
    await Promise.all(files.map((f) => access(f)));
    return true;
  } catch {
    return false;
  }
}

// P-256 keys: generated in milliseconds, accepted by every component and by Node's TLS.
const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'] as const;

async function issueCert(dir: string, name: string, subject: string, extensions: string, ca: { cert: string; key: string }): Promise<void> {
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  await runOpenssl(['req', '-new', ...keyArgs, '-keyout', path.join(dir, `${name}.key`), '-subj', subject, '-out', csr]);
  const serial = `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
  await runOpenssl([
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', serial,
    '-days', '3650', '-extfile', ext, '-out', path.join(dir, `${name}.crt`),
  ]);
  await rm(csr);
  await rm(ext);
}

async function createCa(cert: string, key: string, name: string): Promise<void> {
  await runOpenssl(['req', '-x509', '-new', ...keyArgs, '-keyout', key, '-out', cert, '-days', '3650',
    '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** Creates the CA, the loopback serving certificate, client certificates and the service-account key pair, keeping any that exist. */
export async function ensurePki(dir: string, firstServiceIp: string): Promise<Pki> {
  const file = (name: string): string => path.join(dir, name);
  const pki: Pki = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    servingCert: file('serving.crt'),
    servingKey: file('serving.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPub: file('service-account.pub'),
    frontProxyCaCert: file('front-proxy-ca.crt'),
    frontProxyClientCert: file('front-proxy-client.crt'),
    frontProxyClientKey: file('front-proxy-client.key'),
    client: (name) => ({ cert: file(`${name}.crt`), key: file(`${name}.key`) }),
  };
  const clients = Object.keys(clientIdentities) as ClientName[];
  const everything = [pki.caCert, pki.caKey, pki.servingCert, pki.servingKey, pki.serviceAccountKey, pki.serviceAccountPub,
    pki.frontProxyCaCert, pki.frontProxyClientCert, pki.frontProxyClientKey, ...clients.flatMap((c) => [pki.client(c).cert, pki.client(c).key])];
  if (await allExist(everything)) return pki;

  // A partial set (an interrupted run) is regenerated as a whole so every certificate chains to one CA.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await createCa(pki.caCert, pki.caKey, 'pxl-local-ca');
  const ca = { cert: pki.caCert, key: pki.caKey };
  const leaf = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n';
  // The front-proxy pair lets the apiserver publish a request-header CA, which the controller-manager
  // and scheduler read for delegated authentication (without it they log errors in a loop).
  const frontProxyCa = { cert: pki.frontProxyCaCert, key: file('front-proxy-ca.key') };
  await createCa(frontProxyCa.cert, frontProxyCa.key, 'pxl-front-proxy-ca');
  await issueCert(dir, 'front-proxy-client', '/CN=front-proxy-client', `${leaf}extendedKeyUsage=clientAuth\n`, frontProxyCa);
  await issueCert(dir, 'serving', '/CN=pxl-local-serving', `${leaf}extendedKeyUsage=serverAuth\nsubjectAltName=${servingNames(firstServiceIp)}\n`, ca);
  for (const name of clients) {
    await issueCert(dir, name, clientIdentities[name], `${leaf}extendedKeyUsage=clientAuth\n`, ca);
  }
  await runOpenssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', pki.serviceAccountKey]);
  await runOpenssl(['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  return pki;
}

/** Reads a PEM file as base64, the form kubeconfigs embed. */
export async function readBase64(file: string): Promise<string> {
  return (await readFile(file)).toString('base64');
}
