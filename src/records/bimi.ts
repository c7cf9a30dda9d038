import { Dmarc, DmarcModel, DmarcPolicy } from './dmarc';
import { Finding, RuleDefinition, Severity, aboutRecord, finding, rule } from './finding';
import { RecordFormat, checkText, checkTxtRecordSet, renderModel, validateModel } from './private/record-model';
import { httpsProblem, isHostname, uriScheme, uriSyntaxProblem } from './private/uri';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** The BIMI specification every rule cites: the IETF draft the BIMI Group maintains. */
const BIMI = 'BIMI (draft-brand-indicators-for-message-identification-10)';
/** The SVG profile BIMI indicators use. */
const SVG_PS = 'BIMI Group, SVG Tiny Portable/Secure (draft-svg-tiny-ps-abrotman)';

/** Rules about BIMI assertion records, the DMARC policy they need, and the logo and certificate they name. @internal */
export const BIMI_RULES = {
  version: rule('BIMI-VERSION', Severity.ERROR,
    'A BIMI assertion record starts with v=BIMI1, written exactly so; receivers discard any other record.',
    `${BIMI} §4.3, §7.2`),
  tagSyntax: rule('BIMI-TAG-SYNTAX', Severity.ERROR,
    'Each tag is name=value: a name of a letter then letters, digits and "_", a value of visible characters other than ";".',
    `${BIMI} §4.3; RFC 6376 §3.2`),
  logoUrl: rule('BIMI-LOGO-URL', Severity.ERROR,
    'The record has an l= tag: empty (declining to publish) or one https: URL, naming a host, of an SVG indicator (no other image suffix).',
    `${BIMI} §4.3, §4.3.2, §7.3`),
  authorityUrl: rule('BIMI-AUTHORITY-URL', Severity.ERROR,
    'An a= tag is empty or one https: URL, naming a host, of the evidence document (a PEM mark certificate).',
    `${BIMI} §4.3`),
  tagValue: rule('BIMI-TAG-VALUE', Severity.WARNING,
    'lps= is "true" or "false" and avp= is "brand" or "personal"; receivers ignore other values, or treat the record as failing.',
    `${BIMI} §4.3`),
  selector: rule('BIMI-SELECTOR', Severity.ERROR,
    'A selector is one or more labels of letters, digits and hyphens, separated by dots.',
    `${BIMI} §4.4`),
  duplicateTag: rule('BIMI-DUPLICATE-TAG', Severity.ERROR,
    'Each tag appears at most once.',
    `${BIMI} §4.3; RFC 6376 §3.2`),
  unknownTag: rule('BIMI-UNKNOWN-TAG', Severity.INFO,
    'Receivers ignore tags BIMI does not define (tag names are case-sensitive).',
    `${BIMI} §4.3`),
  declined: rule('BIMI-DECLINED', Severity.INFO,
    'A record with empty l= and a= declines BIMI: no logo is shown for the selector.',
    `${BIMI} §4.3.1`),
  multipleRecords: rule('BIMI-MULTIPLE-RECORDS', Severity.ERROR,
    'A name holds at most one v=BIMI1 record: with more, receivers use none of them.',
    `${BIMI} §7.2`),
  dmarcPolicy: rule('BIMI-DMARC-POLICY', Severity.ERROR,
    'A domain that publishes a BIMI logo has one DMARC record at enforcement: p=quarantine (no pct below 100) or p=reject, and no sp=none.',
    `${BIMI} §1, §7.1; RFC 7489 §6.3`),

  logoUnavailable: rule('BIMI-LOGO-UNAVAILABLE', Severity.ERROR,
    'The SVG named by l= can be fetched over HTTPS with a valid certificate, HTTP 200 and no redirect.',
    `${BIMI} §7.5, §7.6`),
  svgXml: rule('BIMI-SVG-XML', Severity.ERROR,
    'The indicator is a well-formed XML document whose root element is <svg>.',
    `${BIMI} §7.6; ${SVG_PS}`),
  svgProfile: rule('BIMI-SVG-PROFILE', Severity.ERROR,
    'The root <svg> has version="1.2" and baseProfile="tiny-ps".',
    SVG_PS),
  svgTitle: rule('BIMI-SVG-TITLE', Severity.ERROR,
    'The SVG has a <title> element (the brand name).',
    SVG_PS),
  svgSquare: rule('BIMI-SVG-SQUARE', Severity.WARNING,
    'The indicator is square: a viewBox, when stated, is as wide as it is high.',
    SVG_PS),
  svgForbiddenElement: rule('BIMI-SVG-FORBIDDEN-ELEMENT', Severity.ERROR,
    'The SVG holds no <script>, <foreignObject>, animation or other interactive element.',
    SVG_PS),
  svgExternalReference: rule('BIMI-SVG-EXTERNAL-REFERENCE', Severity.ERROR,
    'The SVG references nothing outside itself: every href and xlink:href is a "#fragment".',
    SVG_PS),
  svgRootPosition: rule('BIMI-SVG-ROOT-POSITION', Severity.ERROR,
    'The root <svg> has no x= or y= attribute.',
    SVG_PS),
  svgSize: rule('BIMI-SVG-SIZE', Severity.WARNING,
    'The SVG is at most 32 KB, the size receivers are asked to accept.',
    `${BIMI} §7.6, §8.3; ${SVG_PS}`),

  authorityUnavailable: rule('BIMI-AUTHORITY-UNAVAILABLE', Severity.ERROR,
    'The certificate named by a= can be fetched over HTTPS with a valid certificate, HTTP 200 and no redirect.',
    `${BIMI} §4.3, §7.4`),
  authorityCertificate: rule('BIMI-AUTHORITY-CERTIFICATE', Severity.ERROR,
    'The a= document is a PEM certificate, within its validity period, that names the domain.',
    `${BIMI} §3.5, §7.4; RFC 5280 §4.1.2.5, §4.2.1.6`),
  authorityNotVerified: rule('BIMI-AUTHORITY-NOT-VERIFIED', Severity.INFO,
    'The mark certificate\'s chain to a mark verifying authority and its logotype extension are not verified here; receivers verify them.',
    `${BIMI} §3.3, §7.4; RFC 3709`),
} satisfies Record<string, RuleDefinition>;

/**
 * Whether a domain prefers its BIMI logo or a sender's personal avatar (`avp=`).
 */
export enum BimiAvatarPreference {
  /** Show the BIMI logo (the default). */
  BRAND = 'brand',
  /** Show the sender's personal avatar when there is one. */
  PERSONAL = 'personal',
}

/**
 * A tag of a BIMI record other than the ones the model reads, kept as written: a tag BIMI does
 * not define, a tag written twice, or `lps`/`avp` with a value BIMI does not define.
 */
export interface BimiTag {
  /** The tag name, as written (tag names are case-sensitive). */
  readonly name: string;
  /** The value, as written, without surrounding white space. */
  readonly value: string;
}

/**
 * A BIMI assertion record (`<selector>._bimi.<domain>` TXT): where the brand indicator (logo)
 * is, and the evidence that the domain may use it.
 */
export interface BimiModel {
  /**
   * Where the indicator is (`l=`): an `https:` URL of an SVG Tiny Portable/Secure document.
   * Empty (`l=`) with no `a=` declines BIMI for the selector.
   *
   * @default - no `l=` tag, which is an error: the tag is required
   */
  readonly logoUrl?: string;
  /**
   * Where the evidence document is (`a=`): an `https:` URL of a PEM Verified Mark Certificate or
   * Common Mark Certificate. Empty (`a=`) says there is none to disclose.
   *
   * @default - no `a=` tag (the same as empty)
   */
  readonly authorityUrl?: string;
  /**
   * Whether receivers look up a selector made from the sender's local part (`lps=`).
   *
   * @default - no `lps=` tag (false)
   */
  readonly localPartSelectors?: boolean;
  /**
   * Logo or personal avatar (`avp=`).
   *
   * @default - no `avp=` tag (brand)
   */
  readonly avatarPreference?: BimiAvatarPreference;
  /**
   * Other tags, kept in order.
   *
   * @default - none
   */
  readonly extensions?: BimiTag[];
}

/**
 * Options for `Bimi.checkDmarc`.
 */
export interface BimiDmarcCheckOptions {
  /**
   * The DNS name the BIMI record is published at (`default._bimi.dept.gov.uk`): the findings'
   * path and subject.
   *
   * @default - findings carry no path and no subject
   */
  readonly name?: string;
  /**
   * The DNS name the DMARC values were read at, named in messages.
   *
   * @default '_dmarc.<domain>'
   */
  readonly dmarcName?: string;
}

/**
 * Reads, writes and checks BIMI assertion records (Brand Indicators for Message
 * Identification, draft-brand-indicators-for-message-identification, maintained by the BIMI
 * Group).
 */
export class Bimi {
  /** The selector receivers use when a message names none. */
  public static readonly DEFAULT_SELECTOR = 'default';

  /**
   * Read a BIMI record as DNS holds it.
   *
   * Lenient about white space around `;` and `=`, a trailing `;`, empty tags, and quoted or split
   * strings. Tag names are case-sensitive, so `L=` is an unknown tag, not the location.
   *
   * @param text the TXT value, unquoted or as DNS tools print it
   * @throws RecordSyntaxError when the text does not start with `v=BIMI1`
   */
  public static parse(text: string): BimiModel {
    const record = TxtChunks.parse(text);
    const pieces = record.split(';');
    if (!VERSION.test(pieces[0])) {
      throw new RecordSyntaxError(BIMI_RULES.version, notBimiMessage(record));
    }
    const fields: { -readonly [K in keyof BimiModel]: BimiModel[K] } = {};
    const extensions: BimiTag[] = [];
    for (const piece of pieces.slice(1)) {
      if (piece.trim().length === 0) continue;
      const eq = piece.indexOf('=');
      const name = (eq < 0 ? piece : piece.slice(0, eq)).trim();
      const value = eq < 0 ? '' : piece.slice(eq + 1).trim();
      if (eq >= 0 && name === 'l' && fields.logoUrl === undefined) {
        fields.logoUrl = value;
      } else if (eq >= 0 && name === 'a' && fields.authorityUrl === undefined) {
        fields.authorityUrl = value;
      } else if (eq >= 0 && name === 'lps' && fields.localPartSelectors === undefined && (value === 'true' || value === 'false')) {
        fields.localPartSelectors = value === 'true';
      } else if (eq >= 0 && name === 'avp' && fields.avatarPreference === undefined && isAvatarPreference(value)) {
        fields.avatarPreference = value;
      } else {
        extensions.push({ name, value });
      }
    }
    return extensions.length > 0 ? { ...fields, extensions } : fields;
  }

  /**
   * Write a record in canonical form: `v=BIMI1; l=<url>`, then `a=`, `lps=`, `avp=` when set and
   * any extensions, separated by `; `.
   *
   * @throws Error when `validate` reports an error (no `l=`, a URL that is not `https:`, a
   * logo with another image format's suffix)
   */
  public static render(model: BimiModel): string {
    return renderModel(BIMI_FORMAT, model);
  }

  /**
   * Check a model against every rule of the BIMI assertion record, and the text it is published
   * as (ASCII, string lengths, UDP size).
   */
  public static validate(model: BimiModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(BIMI_FORMAT, model, options);
  }

  /**
   * Read and check a record as DNS holds it: its TXT encoding and every BIMI record rule. Never
   * throws: text that is not a BIMI record gives a finding.
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(BIMI_FORMAT, text, options);
  }

  /**
   * Whether a TXT value is a BIMI record: it starts with `v=BIMI1` followed by `;` or the end,
   * as receivers select records (records that do not are discarded).
   */
  public static isBimi(text: string): boolean {
    try {
      return BIMI_START.test(TxtChunks.parse(text));
    } catch {
      return false;
    }
  }

  /**
   * Whether a selector is one BIMI accepts: `sub-domain *("." sub-domain)`, each label letters,
   * digits and hyphens (not at either end), at most 63 characters.
   */
  public static isValidSelector(selector: string): boolean {
    return selector.length > 0 && selector.length <= 200 && selector.split('.').every((l) => SELECTOR_LABEL.test(l));
  }

  /**
   * Whether a record declines BIMI: `l=` and `a=` both empty.
   */
  public static isDeclined(model: BimiModel): boolean {
    return model.logoUrl === '' && (model.authorityUrl ?? '') === '';
  }

  /**
   * Check every TXT value at a `<selector>._bimi.<domain>` name: with more than one `v=BIMI1`
   * record receivers use none. Each BIMI record, and each value that looks like a failed attempt
   * at one, is checked too; other values are ignored, as receivers ignore them.
   *
   * @param values the TXT values at the name, as DNS holds them
   */
  public static checkRecordSet(values: string[], options: RecordCheckOptions = {}): Finding[] {
    return checkTxtRecordSet(BIMI_FORMAT, values, options, {
      isRecord: (v) => Bimi.isBimi(v),
      looksLike: (v) => /v\s*=\s*bimi/i.test(safeParse(v)),
      multiple: {
        rule: BIMI_RULES.multipleRecords,
        message: (records) => `${records.length} records start with v=BIMI1; receivers use none of them and show no logo. Keep one.`,
        checkEach: true,
      },
    });
  }

  /**
   * Whether the DMARC record published for the domain lets receivers show its BIMI logo: one
   * DMARC record, `p=quarantine` (with no `pct` below 100, and not in test mode) or `p=reject`,
   * and no `sp=none`. BIMI asks this of the author domain and of its organisational domain; give
   * the values at each `_dmarc` name to check them.
   *
   * @param dmarcValues the TXT values at the `_dmarc` name, as DNS holds them
   */
  public static checkDmarc(dmarcValues: string[], options: BimiDmarcCheckOptions = {}): Finding[] {
    const dmarcName = options.dmarcName ?? '_dmarc.<domain>';
    const problem = dmarcProblem(dmarcValues, dmarcName);
    if (problem === undefined) return [];
    return aboutRecord([finding(BIMI_RULES.dmarcPolicy,
      `Receivers show no BIMI logo unless DMARC is at enforcement: ${problem}.`, options.name)], options.name, 'TXT');
  }

  private constructor() {}
}

/** `bimi-version = "v" *WSP "=" *WSP "BIMI1"`, the first tag. */
const VERSION = /^[ \t]*v[ \t]*=[ \t]*BIMI1[ \t]*$/;
const BIMI_START = /^[ \t]*v[ \t]*=[ \t]*BIMI1[ \t]*(?:;|$)/;
/** RFC 5321 §4.1.2 `sub-domain`, a selector's label. */
const SELECTOR_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** RFC 6376 §3.2: `tag-name = ALPHA *ALNUMPUNC`. */
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** RFC 6376 §3.2: `tag-value = [ tval *( 1*(WSP / FWS) tval ) ]`, `tval = 1*VALCHAR` (%x21-3A / %x3C-7E). */
const TAG_VALUE = /^(?:[\x21-\x3A\x3C-\x7E]+(?:[ \t\r\n]+[\x21-\x3A\x3C-\x7E]+)*)?$/;
/** Image suffixes other than SVG's: a logo URL ending in one is a permanent error (§4.3.2). */
const OTHER_IMAGE_SUFFIX = /\.(png|jpe?g|gif|webp|bmp|ico|tiff?|avif|heic|heif|jxl|apng)$/i;
/** The tags the model reads. */
const KNOWN_TAGS = new Set(['v', 'l', 'a', 'lps', 'avp']);

function isAvatarPreference(value: string): value is BimiAvatarPreference {
  return value === BimiAvatarPreference.BRAND || value === BimiAvatarPreference.PERSONAL;
}

function safeParse(value: string): string {
  try {
    return TxtChunks.parse(value);
  } catch {
    return value;
  }
}

function notBimiMessage(record: string): string {
  if (/^\s*\\?"/.test(record)) {
    return `The record text starts with a quote character: ${record.slice(0, 60)}. The quotes were typed into the value, so receivers discard the record; remove them.`;
  }
  const first = record.split(';')[0].trim();
  if (/^v\s*=\s*BIMI1$/i.test(first)) {
    return `The record starts "${first}"; it must be "v=BIMI1" (the case as shown), or receivers discard it.`;
  }
  if (/^v\s*=\s*BIMI1\s/.test(first)) {
    return `The version tag reads "${first}": separate tags with ";" (for example "v=BIMI1; l=https://...").`;
  }
  const shown = JSON.stringify(record.length > 60 ? `${record.slice(0, 60)}...` : record);
  return `A BIMI record starts with v=BIMI1; got ${shown}.`;
}

/** The first problem with an `l=` or `a=` URL, or undefined. */
function urlProblem(url: string): string | undefined {
  if (url.includes(',')) {
    return 'holds a "," which must be percent-encoded (%2C), and names one URL only';
  }
  if (url.includes(';')) {
    return 'holds a ";", which would end the tag: percent-encode it (%3B)';
  }
  const scheme = uriScheme(url);
  if (scheme !== 'https') {
    return scheme === undefined ? 'has no scheme: write https://<host>/<path>' : `uses ${scheme}:; only https: is allowed`;
  }
  const syntax = uriSyntaxProblem(url) ?? httpsProblem(url);
  if (syntax !== undefined) return syntax;
  const host = /^https:\/\/([^/?#:]*)/i.exec(url)?.[1] ?? '';
  return isHostname(host) ? undefined : `names "${host}", not a fully qualified host name`;
}

/** The path of an https URL without query and fragment. */
function urlPath(url: string): string {
  return url.replace(/^https:\/\/[^/?#]*/i, '').split(/[?#]/)[0];
}

/** The canonical text of a model, written as it is. */
function writeBimi(model: BimiModel): string {
  const tags = ['v=BIMI1'];
  if (model.logoUrl !== undefined) tags.push(`l=${model.logoUrl}`);
  if (model.authorityUrl !== undefined) tags.push(`a=${model.authorityUrl}`);
  if (model.localPartSelectors !== undefined) tags.push(`lps=${model.localPartSelectors}`);
  if (model.avatarPreference !== undefined) tags.push(`avp=${model.avatarPreference}`);
  for (const ext of model.extensions ?? []) tags.push(`${ext.name}=${ext.value}`);
  return tags.join('; ');
}

/** Every rule of the BIMI assertion record (§4.3). */
function bimiRules(model: BimiModel, options: RecordCheckOptions): Finding[] {
  const path = options.name;
  const findings: Finding[] = [];
  const add = (r: RuleDefinition, message: string, severity?: Severity) => findings.push(finding(r, message, path, severity));
  const extensions = model.extensions ?? [];

  if (model.logoUrl === undefined) {
    const variant = extensions.find((e) => e.name !== 'l' && e.name.toLowerCase() === 'l');
    add(BIMI_RULES.logoUrl, variant === undefined
      ? 'The record has no l= tag: add l=https://<host>/<logo>.svg, or l= (empty) with an empty a= to decline BIMI.'
      : `The record has no l= tag: tag names are case-sensitive, so "${variant.name}" is not l.`);
  } else if (model.logoUrl === '') {
    if ((model.authorityUrl ?? '') === '') {
      add(BIMI_RULES.declined, 'l= and a= are empty: the record declines BIMI, and receivers show no logo for this selector.');
    } else {
      add(BIMI_RULES.logoUrl, `l= is empty but a= names "${model.authorityUrl}": receivers find no indicator. Give the logo's URL in l=, or empty a= as well to decline BIMI.`);
    }
  } else {
    const problem = urlProblem(model.logoUrl);
    if (problem !== undefined) {
      add(BIMI_RULES.logoUrl, `l= "${model.logoUrl}" ${problem}.`);
    } else if (OTHER_IMAGE_SUFFIX.test(urlPath(model.logoUrl))) {
      add(BIMI_RULES.logoUrl, `l= "${model.logoUrl}" names another image format; the indicator is an SVG (SVG Tiny Portable/Secure), usually ending .svg.`);
    }
  }
  if (model.authorityUrl !== undefined && model.authorityUrl !== '') {
    const problem = urlProblem(model.authorityUrl);
    if (problem !== undefined) add(BIMI_RULES.authorityUrl, `a= "${model.authorityUrl}" ${problem}.`);
  }

  const modelled = new Map<string, boolean>([
    ['v', true], ['l', model.logoUrl !== undefined], ['a', model.authorityUrl !== undefined],
    ['lps', model.localPartSelectors !== undefined], ['avp', model.avatarPreference !== undefined],
  ]);
  const seen = new Map<string, number>();
  for (const ext of extensions) seen.set(ext.name, (seen.get(ext.name) ?? 0) + 1);
  for (const [name, count] of seen) {
    const total = count + (modelled.get(name) === true ? 1 : 0);
    if (total > 1) add(BIMI_RULES.duplicateTag, `The tag ${name} appears ${total} times; it may appear once.`);
  }
  for (const ext of extensions) {
    if (!TAG_NAME.test(ext.name) || !TAG_VALUE.test(ext.value)) {
      add(BIMI_RULES.tagSyntax, `"${ext.name}=${ext.value}" is not a tag: the name is a letter then letters, digits or "_", and the value visible characters other than ";".`);
    } else if (KNOWN_TAGS.has(ext.name)) {
      if (modelled.get(ext.name) !== true && (ext.name === 'lps' || ext.name === 'avp')) {
        add(BIMI_RULES.tagValue, ext.name === 'lps'
          ? `lps=${ext.value} is neither "true" nor "false".`
          : `avp=${ext.value} is neither "brand" nor "personal"; receivers ignore it or treat the record as failing.`);
      }
      // Otherwise a tag written twice, reported above.
    } else {
      add(BIMI_RULES.unknownTag, `The tag ${ext.name}=${ext.value} is not defined by BIMI; receivers ignore it.`);
    }
  }
  return findings;
}

/** Pieces of a published record that are not tag=value at all (a name with no "="). */
function readBimi(text: string): { model: BimiModel; findings: Finding[] } {
  const model = Bimi.parse(text);
  const pieces = TxtChunks.parse(text).split(';').slice(1).filter((p) => p.trim().length > 0 && !p.includes('='));
  return {
    model,
    findings: pieces.map((p) => finding(BIMI_RULES.tagSyntax, `"${p.trim()}" is not a tag: write name=value.`)),
  };
}

/** Why a domain's DMARC record does not let receivers show its BIMI logo, or undefined. */
function dmarcProblem(values: string[], dmarcName: string): string | undefined {
  const records = values.map(safeParse).filter((v) => Dmarc.isDmarc(v));
  if (records.length === 0) return `there is no DMARC record at ${dmarcName}`;
  if (records.length > 1) return `${dmarcName} holds ${records.length} DMARC records, so receivers apply none`;
  let model: DmarcModel;
  try {
    model = Dmarc.parse(records[0]);
  } catch {
    return `the DMARC record at ${dmarcName} cannot be read`;
  }
  const got = `Got: "${records[0]}"`;
  const policy = model.policy;
  if (policy !== DmarcPolicy.QUARANTINE && policy !== DmarcPolicy.REJECT) {
    return `the DMARC policy is ${policy === undefined ? 'absent' : `p=${policy}`}; set p=quarantine or p=reject. ${got}`;
  }
  if (model.subdomainPolicy === DmarcPolicy.NONE) {
    return `the DMARC subdomain policy is sp=none; remove it or set sp=quarantine or sp=reject. ${got}`;
  }
  if (policy === DmarcPolicy.QUARANTINE && model.percentage !== undefined && model.percentage !== 100) {
    return `p=quarantine applies to ${model.percentage}% of mail (pct=${model.percentage}); remove pct or set pct=100. ${got}`;
  }
  if (model.testing === true) {
    return `the DMARC record is in test mode (t=y), which asks receivers not to enforce it; remove t=y. ${got}`;
  }
  return undefined;
}

/**
 * BIMI in the one record-model contract (see `private/record-model.ts`).
 * @internal
 */
export const BIMI_FORMAT: RecordFormat<BimiModel, RecordCheckOptions> = {
  what: 'BIMI record',
  type: 'TXT',
  parse: (text) => Bimi.parse(text),
  write: writeBimi,
  rules: bimiRules,
  read: (text) => readBimi(text),
  unreadable: BIMI_RULES.version,
  txt: {},
};
