// The operator process: wiring only — flags, logger, clients, controllers, health, start.
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError, describeUsage, parseConfig, type OperatorConfig } from './config.js';
import { setupControllers } from './controllers/setup.js';
import { KubeClient, Manager, stopReasons } from './runtime/index.js';

function loadConfig(): OperatorConfig | undefined {
  try {
    const config = parseConfig(process.argv.slice(2), process.env);
    if (config !== 'help') return config;
    process.stdout.write(describeUsage());
    return undefined;
  } catch (err) {
    process.stderr.write(`pxl-operator: ${err instanceof Error ? err.message : String(err)}\n\n${describeUsage()}`);
    process.exit(2);
  }
}

function loadKubeConfig(config: OperatorConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(config.kubeconfig);
  return kubeConfig;
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config === undefined) return;
  const logger = pino({ level: config.logLevel, base: { component: 'pxl-operator' }, redact: ['token', '*.token', 'headers.authorization'] });
  const client = new KubeClient(loadKubeConfig(config));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const manager = new Manager({
    client,
    logger,
    registry,
    health: { host: config.metricsHost, port: config.metricsPort },
    ...(config.leaderElection ? { leaderElection: { namespace: config.leaseNamespace, name: config.leaseName } } : {}),
  });
  const handles = setupControllers(manager, client, registry, logger, {
    namespace: config.watchNamespace,
    workers: config.workers,
    defaultImage: config.proverImage,
    operator: { namespace: config.operatorNamespace, labels: config.operatorLabels },
    maxAttempts: config.maxAttempts,
  });
  manager.handleSignals();
  await manager.start();
  logger.info({ namespace: config.watchNamespace ?? '(all)', leaderElection: config.leaderElection, metricsPort: manager.healthPort() }, 'operator started');
  const reason = await manager.done;
  handles.cancelFlights();
  process.exitCode = reason === stopReasons.leadershipLost ? 1 : 0;
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`pxl-operator: ${message}\n`);
  process.exit(1);
});
