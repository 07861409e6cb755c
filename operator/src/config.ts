// The operator's command line and environment, parsed into one validated, immutable configuration.
import { parseArgs } from 'node:util';

/** Everything the operator's wiring needs to know, after flags and environment are merged. */
export interface OperatorConfig {
  /** Path to a kubeconfig; absent → in-cluster or the default loading rules. */
  readonly kubeconfig?: string;
  /** Watch only this namespace; absent → all namespaces. */
  readonly watchNamespace?: string;
  readonly workers: number;
  readonly leaderElection: boolean;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  /** Host and port of the health and metrics server. */
  readonly metricsHost: string;
  readonly metricsPort: number;
  /** The default prover image when a PxlCore sets none. */
  readonly proverImage: string;
  /** Where the operator runs: the NetworkPolicy admits only this namespace's operator pods. */
  readonly operatorNamespace: string;
  readonly operatorLabels: Readonly<Record<string, string>>;
  readonly logLevel: string;
  /** Bounded retries on infrastructure errors before a request is marked Error. */
  readonly maxAttempts: number;
}

/** A flag or environment value that cannot be used. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The image a PxlCore runs when its spec names none. */
export const defaultProverImage = 'ghcr.io/logos-dev/pxl-prover:0.1.0';

const usage = `pxl-operator: reconciles PxlCore and ProofRequest resources

  --kubeconfig PATH          kubeconfig (default $KUBECONFIG, then in-cluster)
  --namespace NS             watch one namespace only (default all; env WATCH_NAMESPACE)
  --workers N                concurrent ProofRequest reconciles (default 16; PxlCore uses 2)
  --leader-elect true|false  Lease leader election (default true)
  --lease-namespace NS       namespace of the Lease (default the operator namespace)
  --metrics-bind HOST:PORT   /healthz, /readyz, /metrics (default 127.0.0.1:8080; env METRICS_BIND)
  --prover-image IMAGE       default prover image (env PXL_PROVER_IMAGE)
  --operator-namespace NS    the operator's namespace (env POD_NAMESPACE, default pxl-system)
  --operator-labels K=V,...  the operator pods' labels (env OPERATOR_LABELS, default app.kubernetes.io/name=pxl-operator)
  --max-attempts N           attempts on infrastructure errors before phase Error (default 5)
  --log-level LEVEL          pino level (default info; env LOG_LEVEL)
`;

/** The text `--help` prints. */
export function describeUsage(): string {
  return usage;
}

/** Parses `k=v,k2=v2` into labels, refusing malformed pairs. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`label "${pair}" is not key=value`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (Object.keys(labels).length === 0) throw new ConfigError('operator labels must not be empty');
  return labels;
}

function parsePositiveInt(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got "${text}"`);
  return value;
}

function parseBool(name: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${text}"`);
}

function parseBind(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw new ConfigError(`--metrics-bind must be HOST:PORT, got "${text}"`);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--metrics-bind port is invalid in "${text}"`);
  return { host: text.slice(0, colon), port };
}

/** Builds the configuration from argv (without node and script) and the environment. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): OperatorConfig | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      workers: { type: 'string' },
      'leader-elect': { type: 'string' },
      'lease-namespace': { type: 'string' },
      'metrics-bind': { type: 'string' },
      'prover-image': { type: 'string' },
      'operator-namespace': { type: 'string' },
      'operator-labels': { type: 'string' },
      'max-attempts': { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  if (values.help === true) return 'help';
  const kubeconfig = values.kubeconfig ?? env.KUBECONFIG;
  const watchNamespace = values.namespace ?? env.WATCH_NAMESPACE;
  const operatorNamespace = values['operator-namespace'] ?? env.POD_NAMESPACE ?? 'pxl-system';
  const bind = parseBind(values['metrics-bind'] ?? env.METRICS_BIND ?? '127.0.0.1:8080');
  return {
    ...(kubeconfig !== undefined && kubeconfig !== '' ? { kubeconfig } : {}),
    ...(watchNamespace !== undefined && watchNamespace !== '' ? { watchNamespace } : {}),
    workers: parsePositiveInt('--workers', values.workers ?? '16'),
    leaderElection: parseBool('--leader-elect', values['leader-elect'] ?? env.LEADER_ELECT ?? 'true'),
    leaseNamespace: values['lease-namespace'] ?? operatorNamespace,
    leaseName: 'pxl-operator',
    metricsHost: bind.host,
    metricsPort: bind.port,
    proverImage: values['prover-image'] ?? env.PXL_PROVER_IMAGE ?? defaultProverImage,
    operatorNamespace,
    operatorLabels: parseLabels(values['operator-labels'] ?? env.OPERATOR_LABELS ?? 'app.kubernetes.io/name=pxl-operator'),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    maxAttempts: parsePositiveInt('--max-attempts', values['max-attempts'] ?? '5'),
  };
}
