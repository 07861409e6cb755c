import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiException, ApiextensionsV1Api, CustomObjectsApi, PatchStrategy, Watch, loadYaml, setHeaderOptions,
  type KubeConfig, type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { expect } from 'chai';
import { createTestNamespace, loadKubeConfig, type TestNamespace } from '../../fixtures/kube.js';

interface Gadget {
  metadata: { name: string; generation?: number; resourceVersion?: string };
  spec?: { size?: number };
  status?: { phase?: string; observedSize?: number };
}

// A group per run, so runs sharing one plane never fight over the cluster-scoped CRD.
const group = `r${randomBytes(3).toString('hex')}.smoke.pxl.logos.dev`;
const plural = 'gadgets';
const version = 'v1';

function buildCrd(): V1CustomResourceDefinition {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: 'gadget', kind: 'Gadget' },
      versions: [{
        name: version, served: true, storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer', minimum: 0 } } },
              status: { type: 'object', properties: { phase: { type: 'string' }, observedSize: { type: 'integer' } } },
            },
          },
        },
      }],
    },
  };
  return loadYaml<V1CustomResourceDefinition>(JSON.stringify(crd));
}

async function waitEstablished(api: ApiextensionsV1Api, name: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const crd = await api.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true) return;
    await sleep(200);
  }
  throw new Error(`CRD ${name} was not Established within 30 s`);
}

describe('a CRD with a status subresource on the local control plane', () => {
  // Clients are made in `before`: the kubeconfig exists only once the root hook has brought the plane up.
  let kc: KubeConfig;
  let extensions: ApiextensionsV1Api;
  let objects: CustomObjectsApi;
  const crdName = `${plural}.${group}`;
  let ns: TestNamespace;

  const ref = (name: string) => ({ group, version, plural, namespace: ns.name, name });
  const create = async (body: object): Promise<Gadget> =>
    (await objects.createNamespacedCustomObject({ group, version, plural, namespace: ns.name, body })) as Gadget;
  const get = async (name: string): Promise<Gadget> => (await objects.getNamespacedCustomObject(ref(name))) as Gadget;
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  // Established comes slightly before the apiserver serves the new resource path.
  const waitServed = async (): Promise<void> => {
    for (let i = 0; ; i++) {
      try {
        await objects.listNamespacedCustomObject({ group, version, plural, namespace: ns.name });
        return;
      } catch (error) {
        if (i >= 100) throw error;
        await sleep(100);
      }
    }
  };

  before(async () => {
    kc = loadKubeConfig();
    extensions = kc.makeApiClient(ApiextensionsV1Api);
    objects = kc.makeApiClient(CustomObjectsApi);
    ns = await createTestNamespace({}, 'crd');
    await extensions.createCustomResourceDefinition({ body: buildCrd() });
    await waitEstablished(extensions, crdName);
    await waitServed();
  });

  after(async () => {
    await extensions.deleteCustomResourceDefinition({ name: crdName });
    await ns.delete();
  });

  it('delivers ADDED and then MODIFIED with the new status to a watch', async () => {
    const events: { type: string; object: Gadget }[] = [];
    const watchEnded: unknown[] = [];
    const controller = await new Watch(kc).watch(
      `/apis/${group}/${version}/namespaces/${ns.name}/${plural}`, {},
      (type, object: Gadget) => { events.push({ type, object }); },
      (error: unknown) => { watchEnded.push(error); },
    );
    try {
      await create({ apiVersion: `${group}/${version}`, kind: 'Gadget', metadata: { name: 'watched' }, spec: { size: 3 } });
      await objects.patchNamespacedCustomObjectStatus({ ...ref('watched'), body: { status: { phase: 'Ready', observedSize: 3 } } }, merge);
      for (let i = 0; i < 100 && !events.some((e) => e.type === 'MODIFIED'); i++) await sleep(100);
    } finally {
      controller.abort();
    }
    expect(events.map((e) => e.type), `watch ended with ${String(watchEnded[0])}`).to.deep.equal(['ADDED', 'MODIFIED']);
    expect(events[0]?.object.status).to.equal(undefined);
    expect(events[1]?.object.status).to.deep.equal({ phase: 'Ready', observedSize: 3 });
  });

  it('keeps status and spec apart: each is written only through its own endpoint', async () => {
    const created = await create({
      apiVersion: `${group}/${version}`, kind: 'Gadget', metadata: { name: 'split' }, spec: { size: 1 }, status: { phase: 'Forged' },
    });
    expect(created.status, 'status sent with the object is dropped').to.equal(undefined);
    expect(created.metadata.generation).to.equal(1);

    await objects.patchNamespacedCustomObjectStatus({ ...ref('split'), body: { spec: { size: 9 }, status: { phase: 'Ready' } } }, merge);
    const afterStatus = await get('split');
    expect(afterStatus.spec?.size, 'spec sent to the status subresource is ignored').to.equal(1);
    expect(afterStatus.status?.phase).to.equal('Ready');
    expect(afterStatus.metadata.generation, 'a status write does not bump the generation').to.equal(1);

    await objects.patchNamespacedCustomObject({ ...ref('split'), body: { spec: { size: 2 }, status: { phase: 'Overwritten' } } }, merge);
    const afterSpec = await get('split');
    expect(afterSpec.spec?.size).to.equal(2);
    expect(afterSpec.status?.phase, 'status sent to the main resource is ignored').to.equal('Ready');
    expect(afterSpec.metadata.generation).to.equal(2);
  });

  it('rejects an object that breaks the structural schema with 422', async () => {
    const error: unknown = await create({
      apiVersion: `${group}/${version}`, kind: 'Gadget', metadata: { name: 'bad' }, spec: { size: -1 },
    }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ApiException);
    const { code, body } = error as ApiException<unknown>;
    expect(code).to.equal(422);
    expect(typeof body === 'string' ? body : JSON.stringify(body)).to.contain('spec.size');
  });
});
