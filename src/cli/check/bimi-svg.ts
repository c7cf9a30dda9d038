/**
 * The basic rules of SVG Tiny Portable/Secure, the profile a BIMI indicator is drawn in, checked
 * on the document a domain's `l=` URL serves: well-formed XML read with no entity expanded, a root
 * `<svg version="1.2" baseProfile="tiny-ps">` with no `x`/`y`, a `<title>`, a square viewBox,
 * nothing that runs (scripts, event attributes, animation, `<foreignObject>`), nothing fetched
 * from elsewhere, and at most 32 KB.
 *
 * This is not a full validation against the profile's RelaxNG schema: an element or attribute
 * the profile does not list, other than those above, is not reported.
 */
import { gunzipSync } from 'node:zlib';
import type * as FastXmlParser from 'fast-xml-parser';
import { BIMI_RULES } from '../../records/bimi';
import { Finding, FindingSubject, finding } from '../../records/finding';

/**
 * fast-xml-parser, loaded when the first logo is read rather than when `gov-email check` starts:
 * most runs fetch no logo.
 */
function xml(): typeof FastXmlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('fast-xml-parser');
}

/** The size receivers are asked to accept (BIMI Group; draft-brand-indicators-for-message-identification §7.6). */
export const MAX_SVG_BYTES = 32 * 1024;
/** An SVGZ is inflated up to this size; anything larger is refused unread. */
const MAX_INFLATED_BYTES = 1024 * 1024;
/** Deeper nesting than any logo needs is refused, so the reader cannot be made to recurse without end. */
const MAX_DEPTH = 64;

/** Elements that run code, animate, or embed content from another language or place. */
const FORBIDDEN_ELEMENTS = new Set([
  'script', 'foreignobject', 'handler', 'listener',
  'animate', 'animatecolor', 'animatemotion', 'animatetransform', 'set', 'discard',
  'audio', 'video', 'iframe', 'canvas',
]);
/** A document type or entity declaration: never read, so no entity can be expanded. */
const DECLARATION = /<!(DOCTYPE|ENTITY)\b/i;

/** Where the findings about one SVG go. */
export interface BimiSvgCheckOptions {
  /** The URL the SVG was fetched from: the findings' path. */
  readonly url: string;
  /**
   * The BIMI record that names the SVG, as the findings' subject.
   * @default - no subject
   */
  readonly subject?: FindingSubject;
}

type Node = Record<string, unknown>;

/**
 * Check a BIMI indicator as it was served (an SVG, or an SVGZ gzip of one) against the basic
 * rules of SVG Tiny Portable/Secure. Never throws.
 *
 * @param served the body, as served
 */
export function checkBimiSvg(served: Buffer, options: BimiSvgCheckOptions): Finding[] {
  const findings: Finding[] = [];
  const add = (r: typeof BIMI_RULES[keyof typeof BIMI_RULES], message: string) =>
    findings.push(finding(r, message, options.url, undefined, options.subject));

  let bytes = served;
  if (served.length >= 2 && served[0] === 0x1f && served[1] === 0x8b) {
    try {
      bytes = gunzipSync(served, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (err) {
      add(BIMI_RULES.svgXml, `The SVGZ at ${options.url} cannot be inflated (${firstLine((err as Error).message)}), or inflates to more than ${MAX_INFLATED_BYTES} octets.`);
      return findings;
    }
  }
  if (bytes.length > MAX_SVG_BYTES) {
    add(BIMI_RULES.svgSize, `The SVG at ${options.url} is ${bytes.length} octets; keep it to ${MAX_SVG_BYTES} (32 KB), or receivers may not show it.`);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (DECLARATION.test(text)) {
    add(BIMI_RULES.svgXml, `The SVG at ${options.url} has a document type or entity declaration; SVG Tiny Portable/Secure has none, and it is not read.`);
    return findings;
  }
  const { XMLParser, XMLValidator } = xml();
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    add(BIMI_RULES.svgXml, `The document at ${options.url} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col}).`);
    return findings;
  }
  let doc: Node[];
  try {
    doc = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      processEntities: false,
      htmlEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: MAX_DEPTH,
    }).parse(text) as Node[];
  } catch (err) {
    add(BIMI_RULES.svgXml, `The document at ${options.url} cannot be read: ${firstLine((err as Error).message)}.`);
    return findings;
  }
  const elements = doc.filter((n) => elementName(n) !== undefined);
  const root = elements[0];
  if (elements.length !== 1 || localName(elementName(root)!) !== 'svg') {
    add(BIMI_RULES.svgXml, `The root element at ${options.url} is <${elements.map((e) => elementName(e)).join('>, <') || 'none'}>; an indicator is one <svg> document.`);
    return findings;
  }

  const rootAttributes = attributesOf(root);
  const version = rootAttributes.version;
  const profile = rootAttributes.baseProfile;
  if (version !== '1.2' || profile !== 'tiny-ps') {
    add(BIMI_RULES.svgProfile, `The root <svg> has version=${show(version)} and baseProfile=${show(profile)}; SVG Tiny Portable/Secure needs version="1.2" and baseProfile="tiny-ps".`);
  }
  for (const attr of ['x', 'y']) {
    if (rootAttributes[attr] !== undefined) {
      add(BIMI_RULES.svgRootPosition, `The root <svg> has ${attr}="${rootAttributes[attr]}"; remove it.`);
    }
  }
  if (!childrenOf(root).some((c) => localName(elementName(c) ?? '') === 'title')) {
    add(BIMI_RULES.svgTitle, 'The root <svg> has no <title> child; add one naming the brand.');
  }
  const viewBox = rootAttributes.viewBox;
  if (viewBox !== undefined) {
    const box = viewBox.trim().split(/[\s,]+/).map(Number);
    if (box.length !== 4 || box.some((n) => !Number.isFinite(n)) || box[2] <= 0 || box[3] <= 0) {
      add(BIMI_RULES.svgSquare, `The viewBox "${viewBox}" is not four numbers with a positive width and height.`);
    } else if (box[2] !== box[3]) {
      add(BIMI_RULES.svgSquare, `The viewBox "${viewBox}" is ${box[2]} wide and ${box[3]} high; an indicator is square (receivers crop it to a circle or a square).`);
    }
  }

  const forbidden = new Set<string>();
  const events = new Set<string>();
  const external = new Set<string>();
  walk(root, (name, attributes) => {
    if (FORBIDDEN_ELEMENTS.has(localName(name).toLowerCase())) forbidden.add(`<${name}>`);
    for (const [attr, value] of Object.entries(attributes)) {
      if (/^on/i.test(localName(attr))) events.add(`${attr}= on <${name}>`);
      if (localName(attr) === 'href' && !value.trim().startsWith('#')) external.add(`${attr}="${value}" on <${name}>`);
      const url = /url\(\s*['"]?\s*([^'")\s]*)/i.exec(value);
      if (url && !url[1].startsWith('#')) external.add(`${attr}="${value}" on <${name}>`);
    }
  });
  if (forbidden.size > 0 || events.size > 0) {
    add(BIMI_RULES.svgForbiddenElement, `The SVG holds ${[...forbidden, ...[...events].map((e) => `the event attribute ${e}`)].join(', ')}; `
      + 'SVG Tiny Portable/Secure allows no scripts, animation, event handlers or foreign content.');
  }
  if (external.size > 0) {
    add(BIMI_RULES.svgExternalReference, `The SVG references ${[...external].join(', ')}; an indicator references nothing outside itself (only "#fragment" links).`);
  }
  return findings;
}

function elementName(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && !k.startsWith('#') && !k.startsWith('?') && !k.startsWith('!'));
}

function attributesOf(node: Node): Record<string, string> {
  const attrs = node[':@'];
  return typeof attrs === 'object' && attrs !== null ? attrs as Record<string, string> : {};
}

function childrenOf(node: Node): Node[] {
  const name = elementName(node);
  const children = name === undefined ? undefined : node[name];
  return Array.isArray(children) ? children as Node[] : [];
}

function walk(node: Node, visit: (name: string, attributes: Record<string, string>) => void): void {
  const name = elementName(node);
  if (name === undefined) return;
  visit(name, attributesOf(node));
  for (const child of childrenOf(node)) walk(child, visit);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function show(value: string | undefined): string {
  return value === undefined ? '(none)' : `"${value}"`;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
