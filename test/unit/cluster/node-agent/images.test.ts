import { expect } from 'chai';
import { describeUnknownImage, findImageMapping, getRepository, resolveCommand } from '../../../cluster/node-agent/images.js';

describe('images', () => {
  describe('getRepository', () => {
    const cases = [
      { image: 'ghcr.io/logos/pxl-prover:1.2', expected: 'ghcr.io/logos/pxl-prover' },
      { image: 'localhost:5000/pxl-prover', expected: 'localhost:5000/pxl-prover' },
      { image: 'localhost:5000/pxl-prover:dev', expected: 'localhost:5000/pxl-prover' },
      { image: 'pxl-prover@sha256:abc', expected: 'pxl-prover' },
      { image: 'pxl.test/http-echo:1', expected: 'pxl.test/http-echo' },
    ];
    for (const { image, expected } of cases) {
      it(`strips tag and digest from ${image}`, () => {
        expect(getRepository(image)).to.equal(expected);
      });
    }
  });

  describe('findImageMapping', () => {
    const cases = [
      { image: 'ghcr.io/logos/pxl-prover:1.2', entry: 'dist/prover/src/main.js' },
      { image: 'pxl-prover', entry: 'dist/prover/src/main.js' },
      { image: 'registry.local:5000/x/pxl-operator@sha256:00', entry: 'dist/operator/src/main.js' },
      { image: 'pxl.test/http-echo:1', entry: 'dist/test/fixtures/http-echo.js' },
      { image: 'ghcr.io/logos/not-pxl-prover:1', entry: undefined },
      { image: 'evil.example/pxl.test/http-echo:1', entry: undefined },
      { image: 'nginx:1.27', entry: undefined },
    ];
    for (const { image, entry } of cases) {
      it(`maps ${image} to ${entry ?? 'nothing'}`, () => {
        expect(findImageMapping(image)?.entry).to.equal(entry);
      });
    }
  });

  it('runs the entry point with the host node and the container args', () => {
    const mapping = findImageMapping('pxl-prover:1');
    expect(mapping).to.not.equal(undefined);
    const command = resolveCommand(mapping ?? { repository: '', entry: '' }, '/repo', ['--listen', '127.42.0.2:8088']);
    expect(command).to.deep.equal({ file: process.execPath, args: ['/repo/dist/prover/src/main.js', '--listen', '127.42.0.2:8088'], entry: '/repo/dist/prover/src/main.js' });
  });

  it('names the image and the known repositories when it cannot run one', () => {
    expect(describeUnknownImage('nginx:1')).to.contain('"nginx:1"').and.to.contain('*/pxl-prover');
  });
});
