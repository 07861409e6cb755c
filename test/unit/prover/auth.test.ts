import { expect } from 'chai';
import { assertAuthorized } from '../../../prover/src/http/auth.js';
import { HttpError } from '../../../prover/src/http/errors.js';

function statusOf(header: string | undefined, token: string | undefined): number {
  try {
    assertAuthorized(header, token);
    return 200;
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    return (error as HttpError).status;
  }
}

describe('assertAuthorized', () => {
  const cases: [string, string | undefined, string | undefined, number][] = [
    ['no token configured and no header', undefined, undefined, 200],
    ['no token configured and any header', 'Bearer x', undefined, 200],
    ['the right token', 'Bearer s3cret', 's3cret', 200],
    ['the scheme in lower case', 'bearer s3cret', 's3cret', 200],
    ['no header', undefined, 's3cret', 401],
    ['an empty header', '', 's3cret', 401],
    ['a wrong token', 'Bearer s3cre7', 's3cret', 401],
    ['a prefix of the token', 'Bearer s3cr', 's3cret', 401],
    ['the token with a suffix', 'Bearer s3crets', 's3cret', 401],
    ['basic auth', 'Basic s3cret', 's3cret', 401],
    ['the bare token', 's3cret', 's3cret', 401],
    ['two tokens', 'Bearer s3cret s3cret', 's3cret', 401],
  ];
  for (const [name, header, token, status] of cases) {
    it(`answers ${status} for ${name}`, () => {
      expect(statusOf(header, token)).to.equal(status);
    });
  }

  it('asks for a bearer token in WWW-Authenticate', () => {
    expect(() => { assertAuthorized(undefined, 't'); }).to.throw(HttpError).with.property('headers').that.deep.equals({ 'www-authenticate': 'Bearer' });
  });
});
