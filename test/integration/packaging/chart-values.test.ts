import { expect } from 'chai';
import { prepareTools, type Tools } from './tools.js';

// Each case breaks the values one way; helm must refuse before it touches the cluster and name the value.
const badValues = [
  { name: 'an unknown top-level key', set: ['replicas=2'], message: /additional properties 'replicas' not allowed/ },
  { name: 'an unknown nested key', set: ['networkPolicy.enable=true'], message: /networkPolicy.*additional properties 'enable' not allowed/ },
  { name: 'zero replicas', set: ['replicaCount=0'], message: /\/replicaCount.*minimum/ },
  { name: 'a string where a boolean belongs', set: ['crds.install=yes'], message: /\/crds\/install.*(boolean|got string)/ },
  { name: 'an unknown pull policy', set: ['image.pullPolicy=Sometimes'], message: /\/image\/pullPolicy/ },
  { name: 'a malformed digest', set: ['image.digest=sha256:xyz'], message: /\/image\/digest/ },
  { name: 'an invalid namespace name', set: ['watchNamespace=Proofs_NS'], message: /\/watchNamespace/ },
  { name: 'an unknown log level', set: ['logLevel=loud'], message: /\/logLevel/ },
  { name: 'a malformed resource quantity', set: ['resources.limits.memory=lots'], message: /\/resources\/limits\/memory/ },
  { name: 'two replicas without leader election', set: ['replicaCount=2', 'leaderElection.enabled=false'], message: /replicaCount > 1 needs leaderElection\.enabled=true/ },
];

describe('chart pxl-core values', function () {
  this.timeout(300_000);
  let tools: Tools;
  before(async () => {
    tools = await prepareTools();
  });

  for (const { name, set, message } of badValues) {
    describe(`when given ${name}`, () => {
      it('fails helm install with a message naming the value', async () => {
        const result = await tools.helm(['install', 'pkg-bad-values', 'charts/pxl-core', '-n', 'default', ...set.flatMap((pair) => ['--set', pair])]);
        expect(result.exitCode, result.stdout).to.not.equal(0);
        expect(result.stderr).to.match(message);
      });
    });
  }

  describe('when all bad installs are done', () => {
    it('left no release behind', async () => {
      const result = await tools.helm(['status', 'pkg-bad-values', '-n', 'default']);
      expect(result.exitCode).to.not.equal(0);
      expect(result.stderr).to.match(/not found/);
    });
  });
});
