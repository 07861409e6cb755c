// The streaming XML reader for coqidetop answers.
import { expect } from 'chai';
import { decodeEntities, escapeXml, findElement, takeElements, textOf, XmlSyntaxError } from '../../../../prover/src/coq/xml.js';

describe('takeElements', function () {
  it('reads complete elements and keeps the incomplete rest', function () {
    const { elements, rest } = takeElements('<value val="good"><state_id val="1"/></value><feedback obj');
    expect(elements.map((e) => e.name)).to.deep.equal(['value']);
    expect(rest).to.equal('<feedback obj');
  });

  it('reads rich text as plain text', function () {
    const { elements } = takeElements('<richpp><_><pp>Closed&nbsp;under&nbsp;&lt;x&gt;</pp></_></richpp>');
    expect(elements[0] === undefined ? '' : textOf(elements[0])).to.equal('Closed under <x>');
  });

  it('finds nested elements', function () {
    const [value] = takeElements('<value val="good"><pair><state_id val="7"/></pair></value>').elements;
    expect(value === undefined ? undefined : findElement(value, 'state_id')?.attrs.val).to.equal('7');
  });

  describe('when the stream is not XML', function () {
    it('throws XmlSyntaxError', function () {
      expect(() => takeElements('<a></b>')).to.throw(XmlSyntaxError);
    });
  });
});

describe('escapeXml and decodeEntities', function () {
  it('round-trip text with markup characters', function () {
    const text = 'Notation "x < y" := (x & y) "q"';
    expect(decodeEntities(escapeXml(text))).to.equal(text);
  });
});
