import { expect } from 'chai';
import { mapToOwnerKeys } from '../../../../operator/src/runtime/controller.js';
import {
  KubeApiError,
  KubeConnectionError,
  NotFoundError,
  PermanentError,
  TransientError,
  classifyError,
} from '../../../../operator/src/runtime/errors.js';
import { keyOf, splitKey } from '../../../../operator/src/runtime/informer.js';
import { formatMicroTime } from '../../../../operator/src/runtime/leader-election.js';
import { buildPath } from '../../../../operator/src/runtime/resource-paths.js';

function apiError(statusCode: number): KubeApiError {
  return new KubeApiError(`HTTP ${statusCode}`, { statusCode, reason: 'x', body: undefined });
}

describe('classifyError', () => {
  const cases = [
    { name: 'NotFoundError', err: new NotFoundError('gone'), want: 'notFound' },
    { name: 'API 404', err: apiError(404), want: 'notFound' },
    { name: 'TransientError', err: new TransientError('later'), want: 'transient' },
    { name: 'connection refused', err: new KubeConnectionError('refused'), want: 'transient' },
    { name: 'API 409 conflict', err: apiError(409), want: 'transient' },
    { name: 'API 429 throttled', err: apiError(429), want: 'transient' },
    { name: 'API 500', err: apiError(500), want: 'transient' },
    { name: 'API 503', err: apiError(503), want: 'transient' },
    { name: 'API 422 invalid', err: apiError(422), want: 'permanent' },
    { name: 'API 403 forbidden', err: apiError(403), want: 'permanent' },
    { name: 'PermanentError', err: new PermanentError('never', { reason: 'Invalid' }), want: 'permanent' },
    { name: 'an unknown Error', err: new Error('bug'), want: 'transient' },
    { name: 'a thrown string', err: 'oops', want: 'transient' },
  ] as const;
  for (const c of cases) {
    it(`classifies ${c.name} as ${c.want}`, () => {
      expect(classifyError(c.err)).to.equal(c.want);
    });
  }
});

describe('keyOf and splitKey', () => {
  const cases = [
    { name: 'namespaced', object: { metadata: { namespace: 'ns', name: 'a' } }, key: 'ns/a', namespace: 'ns' as string | undefined, objectName: 'a' },
    { name: 'cluster-scoped', object: { metadata: { name: 'node1' } }, key: 'node1', namespace: undefined, objectName: 'node1' },
  ];
  for (const c of cases) {
    it(`round-trips a ${c.name} object`, () => {
      expect(keyOf(c.object)).to.equal(c.key);
      expect(splitKey(c.key)).to.deep.equal({ namespace: c.namespace, name: c.objectName });
    });
  }
});

describe('mapToOwnerKeys', () => {
  const map = mapToOwnerKeys({ apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore' });
  const ref = (over: Record<string, unknown>) => ({ apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore', name: 'core', uid: 'u', controller: true, ...over });
  const cases = [
    { name: 'a controller reference of the kind', refs: [ref({})], want: ['ns/core'] },
    { name: 'another version of the same group', refs: [ref({ apiVersion: 'pxl.logos.dev/v1' })], want: ['ns/core'] },
    { name: 'a non-controller reference', refs: [ref({ controller: false })], want: [] },
    { name: 'another kind', refs: [ref({ kind: 'ProofRequest' })], want: [] },
    { name: 'another group', refs: [ref({ apiVersion: 'apps/v1' })], want: [] },
    { name: 'no references', refs: [], want: [] },
  ];
  for (const c of cases) {
    it(`maps ${c.name}`, () => {
      expect(map({ metadata: { namespace: 'ns', ownerReferences: c.refs } })).to.deep.equal(c.want);
    });
  }
});

describe('formatMicroTime', () => {
  it('writes six fractional digits as metav1.MicroTime requires', () => {
    expect(formatMicroTime(new Date('2026-01-02T03:04:05.678Z'))).to.equal('2026-01-02T03:04:05.678000Z');
  });
});

describe('buildPath', () => {
  const cases = [
    { name: 'a core collection', got: buildPath('v1', { plural: 'pods', namespaced: true }, 'ns'), want: '/api/v1/namespaces/ns/pods' },
    { name: 'a grouped object', got: buildPath('apps/v1', { plural: 'deployments', namespaced: true }, 'ns', 'd'), want: '/apis/apps/v1/namespaces/ns/deployments/d' },
    { name: 'a cluster-scoped object', got: buildPath('v1', { plural: 'namespaces', namespaced: false }, 'ignored', 'n'), want: '/api/v1/namespaces/n' },
    { name: 'all namespaces', got: buildPath('pxl.logos.dev/v1alpha1', { plural: 'proofrequests', namespaced: true }), want: '/apis/pxl.logos.dev/v1alpha1/proofrequests' },
  ];
  for (const c of cases) {
    it(`builds ${c.name}`, () => {
      expect(c.got).to.equal(c.want);
    });
  }
});
