import { expect } from 'chai';
import { rewriteMountPath } from '../../../cluster/node-agent/host-paths.js';

describe('rewriteMountPath', () => {
  const mounts = [
    { mountPath: '/tmp', hostPath: '/state/pod/volumes/tmp' },
    { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: '/state/pod/volumes/sa' },
    { mountPath: '/var/run', hostPath: '/state/pod/volumes/run' },
    { mountPath: '/etc/conf/', hostPath: '/state/pod/volumes/conf/' },
  ];
  const cases = [
    { name: 'rewrites the mount path itself', value: '/tmp', expected: '/state/pod/volumes/tmp' },
    { name: 'rewrites a path below a mount', value: '/tmp/a/b', expected: '/state/pod/volumes/tmp/a/b' },
    { name: 'prefers the longest mount', value: '/var/run/secrets/kubernetes.io/serviceaccount/token', expected: '/state/pod/volumes/sa/token' },
    { name: 'uses the shorter mount for other paths', value: '/var/run/pxl.sock', expected: '/state/pod/volumes/run/pxl.sock' },
    { name: 'ignores trailing slashes on mounts', value: '/etc/conf/app.yaml', expected: '/state/pod/volumes/conf/app.yaml' },
    { name: 'leaves a path that only shares a prefix', value: '/tmpfile', expected: '/tmpfile' },
    { name: 'leaves a value that is not a mounted path', value: '--listen=127.42.0.2:8088', expected: '--listen=127.42.0.2:8088' },
    { name: 'rewrites the path of a --flag=/path argument', value: '--dir=/tmp/x', expected: '--dir=/state/pod/volumes/tmp/x' },
    { name: 'leaves a --flag=value that is not a mounted path', value: '--listen=127.42.0.2:8088', expected: '--listen=127.42.0.2:8088' },
    { name: 'leaves a mount path in the middle of a value', value: 'dir:/tmp', expected: 'dir:/tmp' },
  ];
  for (const { name, value, expected } of cases) {
    it(name, () => {
      expect(rewriteMountPath(value, mounts)).to.equal(expected);
    });
  }
});
