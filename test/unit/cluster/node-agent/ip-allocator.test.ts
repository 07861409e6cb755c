import { expect } from 'chai';
import { IpAllocator, parsePodCidr, parsePodIp, PodCidrError } from '../../../cluster/node-agent/ip-allocator.js';

describe('IpAllocator', () => {
  it('hands out loopback addresses in 127.42.0.0/16, starting at .2', () => {
    const ips = new IpAllocator();
    expect([ips.allocate(), ips.allocate()]).to.deep.equal(['127.42.0.2', '127.42.0.3']);
  });

  it('skips addresses reserved from a previous run', () => {
    const ips = new IpAllocator();
    expect(ips.reserve('127.42.0.2')).to.equal(true);
    expect(ips.reserve('127.42.0.2')).to.equal(false);
    expect(ips.allocate()).to.equal('127.42.0.3');
  });

  it('does not reuse a released address at once', () => {
    const ips = new IpAllocator();
    const first = ips.allocate();
    ips.release(first);
    expect(ips.allocate()).to.not.equal(first);
  });

  it('never hands out .0 or .255 and stays inside the range', () => {
    const ips = new IpAllocator();
    for (let i = 0; i < 600; i += 1) {
      const ip = ips.allocate();
      expect(ip).to.match(/^127\.42\.\d+\.\d+$/);
      expect(ip.endsWith('.0') || ip.endsWith('.255'), ip).to.equal(false);
    }
  });

  describe('parsePodIp', () => {
    const cases = [
      { ip: '127.42.1.7', expected: 263 },
      { ip: '127.43.0.1', expected: undefined },
      { ip: '10.42.0.1', expected: undefined },
      { ip: '127.42.300.1', expected: undefined },
    ];
    for (const { ip, expected } of cases) {
      it(`reads ${ip} as ${String(expected)}`, () => {
        expect(parsePodIp(ip)).to.equal(expected);
      });
    }
  });

  describe('with a --pod-cidr sub-range', () => {
    it('allocates only inside it and wraps around', () => {
      const ips = new IpAllocator(parsePodCidr('127.42.240.0/28'));
      const handed = Array.from({ length: 15 }, () => ips.allocate());
      expect(handed[0]).to.equal('127.42.240.1');
      expect(handed.every((ip) => ip.startsWith('127.42.240.'))).to.equal(true);
      expect(() => ips.allocate()).to.throw('taken');
    });

    const bad = ['10.42.0.0/16', '127.43.0.0/16', '127.42.0.0/8', '127.42.1.0/16', '127.42.0.0/30'];
    for (const cidr of bad) {
      it(`rejects ${cidr}`, () => {
        expect(() => parsePodCidr(cidr)).to.throw(PodCidrError);
      });
    }
  });
});
