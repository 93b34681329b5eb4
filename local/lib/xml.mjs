// A deliberately small XML reader for the handful of S3 request bodies the bridge
// must understand. It keeps element names (namespace prefixes dropped), child order
// and text; attributes are skipped because no S3 body we read depends on them.

const NAMED_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlSyntaxError extends Error {}

/**
 * Parses a document and returns its root element as { name, children, text }.
 * Throws XmlSyntaxError on anything that is not well formed.
 */
export function parseXml(source) {
  const reader = new Reader(String(source));
  reader.skipMisc();
  if (reader.peek() !== '<') reader.fail('expected a root element');
  const root = reader.element();
  reader.skipMisc();
  if (!reader.done()) reader.fail('content after the root element');
  return root;
}

/** First child element with the given local name, or undefined. */
export function child(element, name) {
  return element.children.find((c) => c.name === name);
}

/** Every child element with the given local name. */
export function childrenNamed(element, name) {
  return element.children.filter((c) => c.name === name);
}

export function escapeXml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

class Reader {
  constructor(text) {
    this.text = text;
    this.pos = 0;
  }

  done() {
    return this.pos >= this.text.length;
  }

  peek() {
    return this.text[this.pos];
  }

  startsWith(token) {
    return this.text.startsWith(token, this.pos);
  }

  fail(message) {
    throw new XmlSyntaxError(`${message} at offset ${this.pos}`);
  }

  skipUntil(token) {
    const end = this.text.indexOf(token, this.pos);
    if (end < 0) this.fail(`missing ${token}`);
    this.pos = end + token.length;
  }

  skipWhitespace() {
    while (!this.done() && /\s/.test(this.peek())) this.pos++;
  }

  // Prolog, comments and whitespace may surround the root element.
  skipMisc() {
    for (;;) {
      this.skipWhitespace();
      if (this.startsWith('<?')) this.skipUntil('?>');
      else if (this.startsWith('<!--')) this.skipUntil('-->');
      else if (this.startsWith('<!')) this.fail('DTDs are not accepted');
      else return;
    }
  }

  name() {
    const match = /^[A-Za-z_][\w.:-]*/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0];
  }

  element() {
    this.pos++; // '<'
    const qualified = this.name();
    const local = qualified.includes(':') ? qualified.slice(qualified.indexOf(':') + 1) : qualified;
    this.skipAttributes();
    const element = { name: local, children: [], text: '' };
    if (this.startsWith('/>')) {
      this.pos += 2;
      return element;
    }
    this.pos++; // '>'
    let text = '';
    for (;;) {
      if (this.done()) this.fail(`unclosed <${qualified}>`);
      if (this.startsWith('</')) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== qualified) this.fail(`</${closing}> does not close <${qualified}>`);
        this.skipWhitespace();
        if (this.peek() !== '>') this.fail('expected >');
        this.pos++;
        element.text = text;
        return element;
      }
      if (this.startsWith('<!--')) this.skipUntil('-->');
      else if (this.startsWith('<![CDATA[')) {
        const end = this.text.indexOf(']]>', this.pos);
        if (end < 0) this.fail('unclosed CDATA');
        text += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (this.startsWith('<?')) this.skipUntil('?>');
      else if (this.peek() === '<') element.children.push(this.element());
      else text += this.characters();
    }
  }

  skipAttributes() {
    for (;;) {
      this.skipWhitespace();
      const c = this.peek();
      if (c === '>' || this.startsWith('/>')) return;
      if (this.done()) this.fail('unterminated tag');
      this.name();
      this.skipWhitespace();
      if (this.peek() !== '=') this.fail('expected =');
      this.pos++;
      this.skipWhitespace();
      const quote = this.peek();
      if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
      const end = this.text.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail('unterminated attribute value');
      this.pos = end + 1;
    }
  }

  characters() {
    const end = this.text.indexOf('<', this.pos);
    const raw = this.text.slice(this.pos, end < 0 ? this.text.length : end);
    this.pos += raw.length;
    return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (whole, entity) => {
      if (entity === undefined) this.fail('bare & in text');
      if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
      if (!(entity in NAMED_ENTITIES)) this.fail(`unknown entity &${entity};`);
      return NAMED_ENTITIES[entity];
    });
  }
}
