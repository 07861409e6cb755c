import { expect } from 'chai';
import { LruCache } from '../../../prover/src/cache/lru-cache.js';

describe('LruCache', () => {
  describe('when it is full', () => {
    it('evicts the least recently inserted entry', () => {
      const cache = new LruCache<number>({ capacity: 2 });
      cache.set('a', 1);
      cache.set('b', 2);
      cache.set('c', 3);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).to.deep.equal([undefined, 2, 3]);
    });

    it('keeps an entry that was read recently', () => {
      const cache = new LruCache<number>({ capacity: 2 });
      cache.set('a', 1);
      cache.set('b', 2);
      cache.get('a');
      cache.set('c', 3);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).to.deep.equal([1, undefined, 3]);
    });
  });

  describe('when a key is set again', () => {
    it('replaces the value without growing', () => {
      const cache = new LruCache<number>({ capacity: 2 });
      cache.set('a', 1);
      cache.set('a', 9);
      expect(cache.size).to.equal(1);
      expect(cache.get('a')).to.equal(9);
    });
  });

  describe('when the capacity is 0', () => {
    it('stores nothing', () => {
      const cache = new LruCache<number>({ capacity: 0 });
      cache.set('a', 1);
      expect(cache.get('a')).to.equal(undefined);
      expect(cache.size).to.equal(0);
    });
  });

  describe('when values have weights', () => {
    const weighed = (): LruCache<string> => new LruCache<string>({ capacity: 100, maxWeight: 160, weigh: (value) => value.length });

    it('evicts the least recent entries beyond the weight budget', () => {
      const cache = weighed();
      cache.set('a', 'x'.repeat(8));
      cache.set('b', 'x'.repeat(8));
      for (let i = 0; i < 19; i += 1) cache.set(`k${i}`, 'x'.repeat(8));
      expect(cache.weight).to.be.at.most(160);
      expect(cache.get('a')).to.equal(undefined);
      expect(cache.get('k18')).to.equal('x'.repeat(8));
      expect(cache.get('b')).to.equal('x'.repeat(8));
    });

    it('does not store an entry heavier than a sixteenth of the budget', () => {
      const cache = weighed();
      cache.set('small', 'x');
      cache.set('huge', 'x'.repeat(11));
      expect(cache.get('huge')).to.equal(undefined);
      expect(cache.get('small')).to.equal('x');
    });

    it('keeps the weight right when a key is replaced', () => {
      const cache = weighed();
      cache.set('a', 'x'.repeat(5));
      cache.set('a', 'x'.repeat(3));
      expect(cache.weight).to.equal(3);
    });
  });
});
