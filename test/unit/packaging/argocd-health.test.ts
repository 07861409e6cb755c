import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { healthScriptsDir, repositoryRoot } from '../../../scripts/sync-packaging.js';
import { toLuaLiteral } from './lua-literal.js';

const run = promisify(execFile);

interface Health {
  readonly status: string;
  readonly message: string;
}

// Argo CD sets the global `obj` and runs the script as a chunk whose return value is the health; gopher-lua
// opens only the base, table, string and math libraries, so the sandbox here offers nothing more.
const harness = (objLiteral: string): string => `
obj = ${objLiteral}
local chunk = assert(loadfile(arg[1]))
setfenv(chunk, { obj = obj, ipairs = ipairs, pairs = pairs, next = next, tostring = tostring, tonumber = tonumber,
  type = type, select = select, error = error, pcall = pcall, unpack = unpack, string = string, table = table, math = math })
local hs = chunk()
io.write(tostring(hs.status), "\\n", tostring(hs.message))
`;

/** Runs one health script against one object in the real Lua 5.1 interpreter. */
async function runHealthScript(kind: string, object: unknown, dir: string): Promise<Health> {
  const harnessPath = join(dir, 'harness.lua');
  await writeFile(harnessPath, harness(toLuaLiteral(object)));
  const script = join(repositoryRoot, healthScriptsDir, 'pxl.logos.dev', kind, 'health.lua');
  const { stdout } = await run('lua5.1', [harnessPath, script]);
  const newline = stdout.indexOf('\n');
  return { status: stdout.slice(0, newline), message: stdout.slice(newline + 1) };
}

const condition = (type: string, status: string, reason: string, message: string, observedGeneration = 2) => ({
  type, status, reason, message, observedGeneration, lastTransitionTime: '2026-12-04T20:00:00Z',
});
const core = (status?: unknown) => ({
  apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore',
  metadata: { name: 'core', namespace: 'proofs', generation: 2 }, spec: { replicas: 2 },
  ...(status === undefined ? {} : { status }),
});
const request = (status?: unknown) => ({
  apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest',
  metadata: { name: 'box-k', namespace: 'proofs', generation: 2 }, spec: { coreRef: { name: 'core' }, goal: 'p -> p', ttlSecondsAfterFinished: null },
  ...(status === undefined ? {} : { status }),
});

const coreCases = [
  { name: 'no status yet', object: core(), status: 'Progressing', message: /Waiting for the operator/ },
  { name: 'status for an older generation', object: core({ observedGeneration: 1, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', 'all ready', 1)] }), status: 'Progressing', message: /generation 2/ },
  { name: 'Ready for the current generation', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', '2/2 provers ready, kernel sha256:ab12'), condition('Progressing', 'False', 'RolloutComplete', ''), condition('Degraded', 'False', 'AsExpected', '')] }), status: 'Healthy', message: /^2\/2 provers ready, kernel sha256:ab12$/ },
  { name: 'Ready without a message', object: core({ observedGeneration: 2, replicas: 3, readyReplicas: 3, conditions: [condition('Ready', 'True', 'Ready', '')] }), status: 'Healthy', message: /^3\/3 provers ready$/ },
  { name: 'a rolling update', object: core({ observedGeneration: 2, replicas: 3, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', ''), condition('Progressing', 'True', 'RollingUpdate', '1 of 3 provers updated')] }), status: 'Progressing', message: /^1 of 3 provers updated$/ },
  { name: 'a degraded pool', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 0, conditions: [condition('Ready', 'False', 'KernelHashMismatch', 'x'), condition('Degraded', 'True', 'KernelHashMismatch', 'kernel hash sha256:00 does not match expectedHash sha256:ff')] }), status: 'Degraded', message: /^kernel hash sha256:00 does not match expectedHash sha256:ff$/ },
  { name: 'not ready and not rolling', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 0, conditions: [condition('Ready', 'False', 'NoReadyProver', 'no prover Pod is ready')] }), status: 'Degraded', message: /^no prover Pod is ready$/ },
  { name: 'a Ready condition from an older generation', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', 'old', 1)] }), status: 'Progressing', message: /Waiting for the Ready condition/ },
  { name: 'no conditions', object: core({ observedGeneration: 2, conditions: [] }), status: 'Progressing', message: /^Waiting for the Ready condition: 0\/0 provers ready$/ },
];

const requestCases = [
  { name: 'no status yet', object: request(), status: 'Progressing', message: /Waiting for the operator/ },
  { name: 'Pending', object: request({ observedGeneration: 2, phase: 'Pending', conditions: [condition('Succeeded', 'Unknown', 'Pending', 'waiting for a ready prover')] }), status: 'Progressing', message: /^Pending: waiting for a ready prover$/ },
  { name: 'Running', object: request({ observedGeneration: 2, phase: 'Running', conditions: [condition('Succeeded', 'Unknown', 'Running', '')] }), status: 'Progressing', message: /^Running$/ },
  { name: 'Proved for the current generation', object: request({ observedGeneration: 2, phase: 'Proved', conditions: [condition('Succeeded', 'True', 'Proved', 'kernel accepted the proof')] }), status: 'Healthy', message: /^Proved: kernel accepted the proof$/ },
  { name: 'Proved for an older generation', object: request({ observedGeneration: 1, phase: 'Proved', conditions: [condition('Succeeded', 'True', 'Proved', '', 1)] }), status: 'Progressing', message: /^Verifying generation 2$/ },
  { name: 'Refuted', object: request({ observedGeneration: 2, phase: 'Refuted', conditions: [condition('Succeeded', 'False', 'Refuted', 'countermodel: p false at w0')] }), status: 'Degraded', message: /^Refuted: countermodel: p false at w0$/ },
  { name: 'Failed by a timeout', object: request({ observedGeneration: 2, phase: 'Failed', conditions: [condition('Succeeded', 'False', 'Timeout', 'no verdict within 30s')] }), status: 'Degraded', message: /^Failed \(Timeout\): no verdict within 30s$/ },
  { name: 'Rejected with quotes and non-ASCII', object: request({ observedGeneration: 2, phase: 'Rejected', conditions: [condition('Succeeded', 'False', 'ParseError', 'line 1, column 3: expected ")" after "□ p"\n')] }), status: 'Degraded', message: /^Rejected \(ParseError\): line 1, column 3: expected "\)" after "□ p"\n$/ },
  { name: 'Error', object: request({ observedGeneration: 2, phase: 'Error', conditions: [condition('Succeeded', 'False', 'NoReadyProver', 'gave up after 5 attempts')] }), status: 'Degraded', message: /^Error \(NoReadyProver\): gave up after 5 attempts$/ },
  { name: 'an unknown phase', object: request({ observedGeneration: 2, phase: 'Paused' }), status: 'Unknown', message: /Unknown phase Paused/ },
];

for (const [kind, cases] of [['PxlCore', coreCases], ['ProofRequest', requestCases]] as const) {
  describe(`${kind} health.lua`, () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pxl-health-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    for (const { name, object, status, message } of cases) {
      describe(`when the object has ${name}`, () => {
        it(`is ${status} with the expected message`, async () => {
          const health = await runHealthScript(kind, object, dir);
          expect(health.status).to.equal(status);
          expect(health.message).to.match(message);
        });
      });
    }
  });
}
