import { expect } from 'chai';
import { LruCache } from '../../../prover/src/cache/lru-cache.js';

describe('LruCache', () => {
  describe('when it is full', () => {
    it('evicts the least recently inserted entry', () => {
      const cache = new LruCache<number>(2);
      cache.set('a', 1);
      cache.set('b', 2);
      cache.set('c', 3);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).to.deep.equal([undefined, 2, 3]);
    });

    it('keeps an entry that was read recently', () => {
      const cache = new LruCache<number>(2);
      cache.set('a', 1);
      cache.set('b', 2);
      cache.get('a');
      cache.set('c', 3);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).to.deep.equal([1, undefined, 3]);
    });
  });

  describe('when a key is set again', () => {
    it('replaces the value without growing', () => {
      const cache = new LruCache<number>(2);
      cache.set('a', 1);
      cache.set('a', 9);
      expect(cache.size).to.equal(1);
      expect(cache.get('a')).to.equal(9);
    });
  });

  describe('when the capacity is 0', () => {
    it('stores nothing', () => {
      const cache = new LruCache<number>(0);
      cache.set('a', 1);
      expect(cache.get('a')).to.equal(undefined);
      expect(cache.size).to.equal(0);
    });
  });
});
