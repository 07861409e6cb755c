// A small streaming XML reader for Coq's XML protocol: complete top-level elements out of a growing buffer.

/** One XML element with its attributes and children (text children are strings). */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

/** Raised when coqidetop sends something that is not XML (the session is then unusable). */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const namedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes XML character references; &nbsp; becomes a plain space because Coq uses it for spacing. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return namedEntities[body] ?? whole;
  });
}

/** Escapes text for an XML text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const incomplete = Symbol('incomplete');

/** Parses one element at `start`; returns it with the offset after it, or `incomplete` if the buffer ends first. */
function parseElement(buffer: string, start: number): [XmlElement, number] | typeof incomplete {
  const tagEnd = buffer.indexOf('>', start);
  if (tagEnd < 0) return incomplete;
  const head = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>$/.exec(buffer.slice(start, tagEnd + 1));
  if (head === null) throw new XmlSyntaxError(`bad tag at ${buffer.slice(start, start + 40)}`);
  const [, name = '', rawAttrs = '', selfClosing] = head;
  const attrs: Record<string, string> = {};
  for (const match of rawAttrs.matchAll(/([\w.:-]+)="([^"]*)"/g)) attrs[match[1] ?? ''] = decodeEntities(match[2] ?? '');
  if (selfClosing === '/') return [{ name, attrs, children: [] }, tagEnd + 1];
  const children: (XmlElement | string)[] = [];
  let i = tagEnd + 1;
  for (;;) {
    const lt = buffer.indexOf('<', i);
    if (lt < 0) return incomplete;
    if (lt > i) children.push(decodeEntities(buffer.slice(i, lt)));
    if (buffer.startsWith('</', lt)) {
      const close = buffer.indexOf('>', lt);
      if (close < 0) return incomplete;
      if (buffer.slice(lt + 2, close).trim() !== name) throw new XmlSyntaxError(`mismatched </${buffer.slice(lt + 2, close)}> for <${name}>`);
      return [{ name, attrs, children }, close + 1];
    }
    const child = parseElement(buffer, lt);
    if (child === incomplete) return incomplete;
    children.push(child[0]);
    i = child[1];
  }
}

/** Takes every complete top-level element from the buffer and returns them with the unconsumed rest. */
export function takeElements(buffer: string): { elements: XmlElement[]; rest: string } {
  const elements: XmlElement[] = [];
  let i = 0;
  for (;;) {
    const lt = buffer.indexOf('<', i);
    if (lt < 0) return { elements, rest: '' };
    const parsed = parseElement(buffer, lt);
    if (parsed === incomplete) return { elements, rest: buffer.slice(lt) };
    elements.push(parsed[0]);
    i = parsed[1];
  }
}

/** Concatenates the text inside an element (how Coq's rich pretty-printing reads as plain text). */
export function textOf(node: XmlElement | string): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** Returns the element children of a node. */
export function elementsOf(node: XmlElement): XmlElement[] {
  return node.children.filter((child): child is XmlElement => typeof child !== 'string');
}

/** Finds the first descendant element with a name, depth first. */
export function findElement(node: XmlElement, name: string): XmlElement | undefined {
  for (const child of elementsOf(node)) {
    if (child.name === name) return child;
    const found = findElement(child, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
