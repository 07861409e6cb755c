import net from 'node:net';
import { ClusterError } from './errors.js';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => { resolve(server); });
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => { server.close(() => { resolve(); }); });
}

/** Picks `count` distinct free ports on 127.0.0.1; all are held open until every one is chosen so none repeats. */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0));
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** Fails with a clear message when something already listens on 127.0.0.1:`port`. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  try {
    await close(await listen(port));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${code ?? String(error)})`;
    throw new ClusterError(`127.0.0.1:${String(port)} for ${what} ${reason}; stop whatever listens there or choose another port`, {
      cause: error,
    });
  }
}
