import { expect } from 'chai';
import { parseFlags, parseTaint, UsageError } from '../../../cluster/node-agent/flags.js';
import { computeBackoffMs, maxBackoffMs } from '../../../cluster/node-agent/backoff.js';
import { isLoopback } from '../../../cluster/node-agent/probes.js';

describe('node agent flags', () => {
  it('reads the flags the control plane passes', () => {
    const flags = parseFlags(['--kubeconfig', '/k', '--state-dir', '/s', '--nodes', '2', '--repo-root', '/r']);
    expect(flags).to.include({ kubeconfig: '/k', stateDir: '/s', nodes: 2, repoRoot: '/r', nodePrefix: 'pxl-node' });
  });

  const bad = [
    { name: 'a missing kubeconfig', argv: ['--state-dir', '/s'], message: '--kubeconfig' },
    { name: 'a node count of zero', argv: ['--kubeconfig', '/k', '--state-dir', '/s', '--nodes', '0'], message: '--nodes' },
    { name: 'an unknown flag', argv: ['--kubeconfig', '/k', '--state-dir', '/s', '--bogus'], message: 'bogus' },
    { name: 'a bad node prefix', argv: ['--kubeconfig', '/k', '--state-dir', '/s', '--node-prefix', 'Bad_Name'], message: '--node-prefix' },
  ];
  for (const { name, argv, message } of bad) {
    it(`rejects ${name} with a UsageError`, () => {
      expect(() => parseFlags(argv)).to.throw(UsageError, message);
    });
  }

  it('parses taints like the kubelet', () => {
    expect(parseTaint('example.com/gpu=true:NoSchedule')).to.deep.equal({ key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' });
    expect(parseTaint('dedicated:NoExecute')).to.deep.equal({ key: 'dedicated', value: '', effect: 'NoExecute' });
    expect(() => parseTaint('dedicated:Sometimes')).to.throw(UsageError);
  });
});

describe('restart back-off', () => {
  it('doubles from one second and is capped', () => {
    expect([1, 2, 3, 4].map(computeBackoffMs)).to.deep.equal([1_000, 2_000, 4_000, 8_000]);
    expect(computeBackoffMs(50)).to.equal(maxBackoffMs);
  });
});

describe('isLoopback', () => {
  const cases = [
    { host: '127.42.0.2', expected: true },
    { host: '127.0.0.1', expected: true },
    { host: 'localhost', expected: true },
    { host: '10.0.0.1', expected: false },
    { host: '192.168.1.1', expected: false },
    { host: 'example.com', expected: false },
  ];
  for (const { host, expected } of cases) {
    it(`says ${host} is ${expected ? '' : 'not '}loopback`, () => {
      expect(isLoopback(host)).to.equal(expected);
    });
  }
});
