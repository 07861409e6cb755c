import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { V1ContainerPort, V1Probe } from '@kubernetes/client-node';

/** The outcome of one probe attempt. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly message: string;
}

/** Where and how a probe runs for one container. */
export interface ProbeTarget {
  readonly podIP: string;
  readonly ports: readonly V1ContainerPort[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** Whether an address is on loopback: the agent never sends probe traffic anywhere else. */
export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === 'localhost' || host === '::1';
}

function resolvePort(port: number | string, ports: readonly V1ContainerPort[]): number | undefined {
  if (typeof port === 'number') {
    return port;
  }
  if (/^\d+$/.test(port)) {
    return Number(port);
  }
  return ports.find((candidate) => candidate.name === port)?.containerPort;
}

function probeHttp(probe: V1Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const action = probe.httpGet;
  const port = action === undefined ? undefined : resolvePort(action.port, target.ports);
  const host = action?.host ?? target.podIP;
  if (action === undefined || port === undefined) {
    return Promise.resolve({ ok: false, message: `httpGet port ${String(action?.port)} does not name a container port` });
  }
  if (!isLoopback(host)) {
    return Promise.resolve({ ok: false, message: `probe host ${host} is not a loopback address; the PXL node agent only probes loopback` });
  }
  const secure = action.scheme === 'HTTPS';
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/pxl-node-agent', accept: '*/*' };
  for (const header of action.httpHeaders ?? []) {
    headers[header.name] = header.value;
  }
  const options = { host, port, path: action.path ?? '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false };
  return new Promise((resolve) => {
    const request = (secure ? https : http).request(options, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve({ ok: status >= 200 && status < 400, message: `HTTP probe failed with statuscode: ${String(status)}` });
    });
    request.on('timeout', () => {
      request.destroy(new Error(`timeout after ${String(timeoutMs)}ms`));
    });
    request.on('error', (error) => {
      resolve({ ok: false, message: `Get "http${secure ? 's' : ''}://${host}:${String(port)}${action.path ?? '/'}": ${error.message}` });
    });
    request.end();
  });
}

function probeTcp(probe: V1Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const port = probe.tcpSocket === undefined ? undefined : resolvePort(probe.tcpSocket.port, target.ports);
  const host = probe.tcpSocket?.host ?? target.podIP;
  if (port === undefined || !isLoopback(host)) {
    return Promise.resolve({ ok: false, message: `tcpSocket probe needs a container port on a loopback host` });
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: '' });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${String(port)}: i/o timeout` });
    });
    socket.once('error', (error) => {
      resolve({ ok: false, message: `dial tcp ${host}:${String(port)}: ${error.message}` });
    });
  });
}

function probeExec(probe: V1Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const [file, ...args] = probe.exec?.command ?? [];
  if (file === undefined) {
    return Promise.resolve({ ok: false, message: 'exec probe has no command' });
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: target.cwd, env: target.env, stdio: 'ignore', timeout: timeoutMs });
    child.once('error', (error) => {
      resolve({ ok: false, message: `exec probe: ${error.message}` });
    });
    child.once('exit', (code) => {
      resolve({ ok: code === 0, message: `exec probe exited with ${String(code)}` });
    });
  });
}

/** Runs one probe attempt: httpGet and tcpSocket to the Pod IP on loopback, exec as a host process. */
export function runProbe(probe: V1Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet !== undefined) {
    return probeHttp(probe, target, timeoutMs);
  }
  if (probe.tcpSocket !== undefined) {
    return probeTcp(probe, target, timeoutMs);
  }
  if (probe.exec !== undefined) {
    return probeExec(probe, target, timeoutMs);
  }
  return Promise.resolve({ ok: false, message: 'probe type not supported by the PXL node agent (httpGet, tcpSocket, exec are)' });
}
