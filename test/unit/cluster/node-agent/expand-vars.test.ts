import { expect } from 'chai';
import { expandVars } from '../../../cluster/node-agent/expand-vars.js';

describe('expandVars', () => {
  const defined: Record<string, string> = { A: 'alpha', B: 'beta', EMPTY: '' };
  const lookup = (name: string): string | undefined => defined[name];
  const cases: { name: string; input: string; expected: string }[] = [
    { name: 'replaces a defined reference', input: '$(A)', expected: 'alpha' },
    { name: 'replaces several references in text', input: 'x-$(A)-$(B)-y', expected: 'x-alpha-beta-y' },
    { name: 'keeps an undefined reference literally', input: '$(NOPE)', expected: '$(NOPE)' },
    { name: 'turns $$ into one dollar', input: '$$(A)', expected: '$(A)' },
    { name: 'keeps a lone dollar', input: 'cost $5', expected: 'cost $5' },
    { name: 'keeps an unclosed reference', input: '$(A', expected: '$(A' },
    { name: 'keeps an empty reference', input: '$()', expected: '$()' },
    { name: 'expands to an empty value', input: '[$(EMPTY)]', expected: '[]' },
    { name: 'keeps a trailing dollar', input: 'end$', expected: 'end$' },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      expect(expandVars(input, lookup)).to.equal(expected);
    });
  }
});
