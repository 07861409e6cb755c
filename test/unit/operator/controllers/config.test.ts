import { expect } from 'chai';
import { ConfigError, defaultProverImage, parseConfig, parseLabels } from '../../../../operator/src/config.js';

describe('parseConfig', () => {
  it('when given nothing, uses out-of-cluster friendly defaults', () => {
    const config = parseConfig([], {});
    expect(config).to.include({ workers: 16, leaderElection: true, metricsHost: '127.0.0.1', metricsPort: 8080, proverImage: defaultProverImage, operatorNamespace: 'pxl-system' });
    expect(config === 'help' ? {} : config.operatorLabels).to.deep.equal({ 'app.kubernetes.io/name': 'pxl-operator' });
  });

  it('when given flags and env, prefers the flags', () => {
    const config = parseConfig(['--workers', '8', '--leader-elect', 'false', '--metrics-bind', '0.0.0.0:9090'], { KUBECONFIG: '/k', PXL_PROVER_IMAGE: 'img' });
    expect(config).to.include({ workers: 8, leaderElection: false, metricsHost: '0.0.0.0', metricsPort: 9090, kubeconfig: '/k', proverImage: 'img' });
  });

  const bad = [
    { name: 'zero workers', argv: ['--workers', '0'] },
    { name: 'a bad boolean', argv: ['--leader-elect', 'yes'] },
    { name: 'a bad bind', argv: ['--metrics-bind', 'nowhere'] },
  ];
  for (const c of bad) {
    it(`when given ${c.name}, throws a ConfigError`, () => {
      expect(() => parseConfig(c.argv, {})).to.throw(ConfigError);
    });
  }

  it('refuses labels without a value', () => {
    expect(() => parseLabels('a')).to.throw(ConfigError);
  });
});
