import path from 'node:path';
import type { ClusterLayout } from './layout.js';
import type { Pki } from './pki.js';

/** The processes of the plane in start order; `down` stops them in reverse. */
export const componentNames = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'node-agent'] as const;

/** One process of the plane. */
export type ComponentName = (typeof componentNames)[number];

/** The loopback ports one running plane uses. */
export interface PlanePorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
}

/** Service ClusterIPs come from loopback too: nothing dials them, and a stray dial must never leave the machine. */
export const serviceClusterIpRange = '127.43.0.0/16';

/** The first address of the service range, which the `kubernetes` Service takes and the serving certificate names. */
export const firstServiceIp = '127.43.0.1';

/** How to start one component and where to find its health endpoint. */
export interface ComponentSpec {
  readonly name: ComponentName;
  readonly command: string;
  readonly args: readonly string[];
  readonly healthUrl: string;
}

/** Inputs the component specs are built from. */
export interface PlaneInputs {
  readonly layout: ClusterLayout;
  readonly binDir: string;
  readonly pki: Pki;
  readonly ports: PlanePorts;
  readonly env: NodeJS.ProcessEnv;
}

/** The kubeconfig each control-plane client uses, by component. */
export function componentKubeconfig(layout: ClusterLayout, name: 'kube-controller-manager' | 'kube-scheduler'): string {
  return path.join(layout.runDir, `${name}.kubeconfig`);
}

// Extra flags for debugging, e.g. PXL_KUBE_APISERVER_EXTRA_ARGS="--v=4"; also how the tests make a component die on start.
function extraArgs(env: NodeJS.ProcessEnv, name: ComponentName): string[] {
  const value = env[`PXL_${name.toUpperCase().replace(/-/g, '_')}_EXTRA_ARGS`] ?? '';
  return value.split(/\s+/).filter((a) => a !== '');
}

function etcdSpec({ layout, binDir, ports, env }: PlaneInputs): ComponentSpec {
  const client = `http://127.0.0.1:${String(ports.etcdClient)}`;
  const peer = `http://127.0.0.1:${String(ports.etcdPeer)}`;
  return {
    name: 'etcd',
    command: path.join(binDir, 'etcd'),
    args: [
      '--name=pxl', `--data-dir=${layout.etcdDir}`,
      `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=pxl=${peer}`,
      '--initial-cluster-state=new',
      // A throw-away test store: skipping fsync makes writes fast on a shared disk.
      '--unsafe-no-fsync', '--quota-backend-bytes=2147483648', '--log-level=warn',
      ...extraArgs(env, 'etcd'),
    ],
    healthUrl: `${client}/health`,
  };
}

/** How to start kube-apiserver; `restartApiServer` rebuilds it from the recorded state, so a restart keeps every flag. */
export function buildApiServerSpec({ binDir, pki, ports, env }: PlaneInputs): ComponentSpec {
  return {
    name: 'kube-apiserver',
    command: path.join(binDir, 'kube-apiserver'),
    args: [
      '--bind-address=127.0.0.1', `--secure-port=${String(ports.apiserver)}`,
      // The advertised address lands in the `kubernetes` Service's endpoints, which reject loopback,
      // so the endpoint reconciler is off (as in the upstream test server).
      '--advertise-address=127.0.0.1', '--endpoint-reconciler-type=none',
      `--etcd-servers=http://127.0.0.1:${String(ports.etcdClient)}`,
      `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--requestheader-client-ca-file=${pki.frontProxyCaCert}`, '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User', '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxyClientCert}`, `--proxy-client-key-file=${pki.frontProxyClientKey}`,
      '--authorization-mode=Node,RBAC',
      // Default admission plugins (PodSecurity among them); privileged Pods are allowed by the server
      // so that rejecting them is PodSecurity's decision per namespace.
      '--allow-privileged=true',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--profiling=false',
      ...extraArgs(env, 'kube-apiserver'),
    ],
    healthUrl: `https://127.0.0.1:${String(ports.apiserver)}/readyz`,
  };
}

function controllerManagerSpec({ layout, binDir, pki, ports, env }: PlaneInputs): ComponentSpec {
  const kubeconfig = componentKubeconfig(layout, 'kube-controller-manager');
  return {
    name: 'kube-controller-manager',
    command: path.join(binDir, 'kube-controller-manager'),
    args: [
      '--bind-address=127.0.0.1', `--secure-port=${String(ports.controllerManager)}`,
      `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      `--client-ca-file=${pki.caCert}`,
      // Every default controller, with per-controller service accounts as in a real cluster.
      '--controllers=*', '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--leader-elect=false', '--profiling=false',
      ...extraArgs(env, 'kube-controller-manager'),
    ],
    healthUrl: `https://127.0.0.1:${String(ports.controllerManager)}/healthz`,
  };
}

function schedulerSpec({ layout, binDir, pki, ports, env }: PlaneInputs): ComponentSpec {
  const kubeconfig = componentKubeconfig(layout, 'kube-scheduler');
  return {
    name: 'kube-scheduler',
    command: path.join(binDir, 'kube-scheduler'),
    args: [
      '--bind-address=127.0.0.1', `--secure-port=${String(ports.scheduler)}`,
      `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      `--client-ca-file=${pki.caCert}`,
      '--leader-elect=false', '--profiling=false',
      ...extraArgs(env, 'kube-scheduler'),
    ],
    healthUrl: `https://127.0.0.1:${String(ports.scheduler)}/healthz`,
  };
}

/** The control-plane components in start order (the node agent is started separately, as it is optional). */
export function buildControlPlaneSpecs(inputs: PlaneInputs): ComponentSpec[] {
  return [etcdSpec(inputs), buildApiServerSpec(inputs), controllerManagerSpec(inputs), schedulerSpec(inputs)];
}

/** The node agent's entry point, built by `npm run build` from test/cluster/node-agent/. */
export function nodeAgentEntry(layout: ClusterLayout): string {
  return path.join(layout.repoRoot, 'dist', 'test', 'cluster', 'node-agent', 'main.js');
}

/** How to start the node agent with `nodes` Nodes against the admin kubeconfig. */
export function buildNodeAgentSpec(layout: ClusterLayout, nodes: number): Omit<ComponentSpec, 'healthUrl'> {
  return {
    name: 'node-agent',
    command: process.execPath,
    args: [
      nodeAgentEntry(layout), '--kubeconfig', layout.kubeconfigPath, '--state-dir', layout.agentStateDir,
      '--nodes', String(nodes), '--repo-root', layout.repoRoot,
      // e.g. PXL_NODE_AGENT_EXTRA_ARGS="--pod-cidr 127.42.128.0/20" keeps a second plane's Pod IPs apart.
      ...extraArgs(process.env, 'node-agent'),
    ],
  };
}
