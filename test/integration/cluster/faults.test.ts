import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { findProcessesMentioning, runClusterCli, type CliResult } from './cli-process.js';

// Each case gets its own plane directory (PXL_CLUSTER_DIR) without a node agent, so the shared plane is untouched.
async function makePlaneDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'pxl-plane-'));
}

function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '));
}

async function expectNothingLeft(dir: string): Promise<void> {
  expect(await findProcessesMentioning(`${dir}/`), 'processes of the plane left running').to.deep.equal([]);
  const pidFiles = (await readdir(path.join(dir, 'run')).catch(() => [])).filter((f) => f.endsWith('.pid'));
  expect(pidFiles, 'pid files left behind').to.deep.equal([]);
}

describe('the cluster command on bad input and faults', () => {
  const dirs: string[] = [];
  const planeEnv = async (extra: Record<string, string> = {}): Promise<Record<string, string>> => {
    const dir = await makePlaneDir();
    dirs.push(dir);
    return { PXL_CLUSTER_DIR: dir, PXL_CLUSTER_NODES: '0', ...extra };
  };

  after(async () => {
    for (const dir of dirs) {
      await runClusterCli(['down'], { PXL_CLUSTER_DIR: dir });
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('when the apiserver port is taken', () => {
    it('fails with one line naming the port and starts nothing', async () => {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const env = await planeEnv({ PXL_APISERVER_PORT: String(port) });
        const result = await runClusterCli(['up'], env);
        expect(result.exitCode).to.equal(1);
        expect(errorLines(result)).to.deep.equal([
          `error: 127.0.0.1:${String(port)} for kube-apiserver (PXL_APISERVER_PORT) is already in use; stop whatever listens there or choose another port`,
        ]);
        await expectNothingLeft(env['PXL_CLUSTER_DIR'] ?? '');
      } finally {
        blocker.close();
      }
    });
  });

  describe('when a component dies on start', () => {
    it('names it, shows its last log lines, and stops what had started', async () => {
      const env = await planeEnv({ PXL_KUBE_APISERVER_EXTRA_ARGS: '--no-such-flag' });
      const result = await runClusterCli(['up'], env);
      expect(result.exitCode).to.equal(1);
      expect(errorLines(result)).to.have.length(1);
      expect(errorLines(result)[0]).to.match(/^error: kube-apiserver died during start-up \(exit code 1\)/);
      expect(result.stderr).to.match(/^ {2}\| .*unknown flag: --no-such-flag/m);
      expect(result.stdout).to.contain('etcd healthy');
      await expectNothingLeft(env['PXL_CLUSTER_DIR'] ?? '');
    });
  });

  describe('when a binary is missing', () => {
    it('names the missing binaries and what to do', async () => {
      const empty = await makePlaneDir();
      dirs.push(empty);
      const result = await runClusterCli(['up'], await planeEnv({ PXL_CLUSTER_BIN_DIR: empty }));
      expect(result.exitCode).to.equal(1);
      expect(errorLines(result)).to.deep.equal([
        `error: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, helm missing from PXL_CLUSTER_BIN_DIR=${empty}; put them there or unset PXL_CLUSTER_BIN_DIR to build the pinned versions`,
      ]);
    });
  });

  describe('when Go is missing and nothing is cached', () => {
    it('says to install Go', async () => {
      const cacheHome = await makePlaneDir();
      dirs.push(cacheHome);
      const env = await planeEnv({ XDG_CACHE_HOME: cacheHome, PATH: path.dirname(process.execPath) === '/usr/bin' ? '/usr/bin:/bin' : `${path.dirname(process.execPath)}:/usr/bin:/bin` });
      const result = await runClusterCli(['up'], env);
      expect(result.exitCode).to.equal(1);
      expect(errorLines(result)).to.deep.equal([
        'error: Go is not installed (no `go` on PATH); install Go 1.26 or newer from https://go.dev/dl and re-run',
      ]);
    });
  });

  describe('when the Go build fails', () => {
    it('says which binaries failed and shows the compiler output', async () => {
      // A `go` that fails like a broken build would; the real toolchain never sees this fault.
      const fakeBin = await makePlaneDir();
      const cacheHome = await makePlaneDir();
      dirs.push(fakeBin, cacheHome);
      await writeFile(path.join(fakeBin, 'go'), '#!/bin/sh\necho "main.go:3:1: syntax error: unexpected }" >&2\nexit 1\n', { mode: 0o755 });
      const env = await planeEnv({ XDG_CACHE_HOME: cacheHome, PATH: `${fakeBin}:${process.env['PATH'] ?? ''}` });
      const result = await runClusterCli(['up'], env);
      expect(result.exitCode).to.equal(1);
      expect(errorLines(result)).to.have.length(1);
      expect(errorLines(result)[0]).to.match(/^error: building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd failed \(go exited with 1\)/);
      expect(result.stderr).to.contain('  | main.go:3:1: syntax error: unexpected }');
      await expectNothingLeft(env['PXL_CLUSTER_DIR'] ?? '');
    });
  });

  describe('when the plane crashed', () => {
    it('shows the dead component in status, restarts on up, and down leaves nothing behind', async () => {
      const env = await planeEnv();
      const dir = env['PXL_CLUSTER_DIR'] ?? '';
      expect((await runClusterCli(['up'], env)).exitCode).to.equal(0);
      const pidText = (await runClusterCli(['status'], env)).stdout;
      const apiserverPid = Number(/^kube-apiserver\s+running\s+pid (\d+)/m.exec(pidText)?.[1]);
      process.kill(apiserverPid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 500));

      const status = await runClusterCli(['status'], env);
      expect(status.exitCode).to.equal(1);
      expect(status.stdout).to.match(/^kube-apiserver\s+stale/m);

      const again = await runClusterCli(['up'], env);
      expect(again.exitCode, again.stderr).to.equal(0);
      expect(again.stdout).to.not.contain('reusing');
      expect(again.stdout).to.contain('kube-apiserver healthy');

      const down = await runClusterCli(['down'], env);
      expect(down.exitCode).to.equal(0);
      expect(down.stdout).to.contain('stopped kube-apiserver');
      await expectNothingLeft(dir);
      expect((await runClusterCli(['status'], env)).exitCode).to.equal(3);
    });
  });
});
