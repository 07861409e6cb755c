import { pino } from 'pino';
import { startAgent } from './agent.js';
import { parseFlags, usage, UsageError } from './flags.js';

/** The node agent's entry point: flags, logger, start, and a clean stop on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`node-agent: ${error.message}\n${usage}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ name: 'pxl-node-agent', level: flags.logLevel });
  const agent = await startAgent(flags, log);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, 'stopping node agent');
    agent.stop().then(() => {
      process.exit(0);
    }, (error: unknown) => {
      log.error({ err: error }, 'node agent did not stop cleanly');
      process.exit(1);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`node-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
