import { Finding, RuleDefinition, Severity, finding, rule } from './finding';
import { organisationalDomainOf } from './private/dmarc-org-domain';
import { normaliseDomainName } from './private/names';
import { RecordFormat, checkText, checkTxtRecordSet, renderModel, validateModel } from './private/record-model';
import { firstUnencoded, mailtoProblem, reportUriDomain, percentEncoded, splitCommaHint, splitReportUriSize, uriScheme, uriSyntaxProblem } from './private/uri';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about DMARC policy records. @internal */
export const DMARC_RULES = {
  version: rule('DMARC-VERSION', Severity.ERROR,
    'A DMARC record starts with the tag v=DMARC1, the value written exactly so; receivers ignore any other record.',
    'RFC 9989 §4.7, §4.8; RFC 7489 §6.3'),
  literalQuotes: rule('DMARC-LITERAL-QUOTES', Severity.ERROR,
    'The record text holds no quote characters of its own: quotes delimit a DNS string and are not part of it.',
    'RFC 9989 §4.7; RFC 1035 §5.1'),
  tagSyntax: rule('DMARC-TAG-SYNTAX', Severity.ERROR,
    'Each tag is name=value: a name of letters and a non-empty value, tags separated by ";".',
    'RFC 9989 §4.8'),
  duplicateTag: rule('DMARC-DUPLICATE-TAG', Severity.ERROR,
    'Each tag appears at most once.',
    'RFC 9989 §4.7 (DKIM tag-value syntax); RFC 6376 §3.2'),
  policyValue: rule('DMARC-POLICY-VALUE', Severity.ERROR,
    'p, sp and np are none, quarantine or reject.',
    'RFC 9989 §4.7, §4.10.1; RFC 7489 §6.3'),
  noPolicy: rule('DMARC-NO-POLICY', Severity.ERROR,
    'A record has a p tag or, failing that, a valid rua; with neither, receivers apply no DMARC processing.',
    'RFC 9989 §4.7, §4.10.1'),
  impliedNone: rule('DMARC-POLICY-IMPLIED-NONE', Severity.WARNING,
    'A record without p is treated as p=none: state the policy.',
    'RFC 9989 §4.7, §4.10.1'),
  alignmentValue: rule('DMARC-ALIGNMENT-VALUE', Severity.ERROR,
    'adkim and aspf are r (relaxed) or s (strict).',
    'RFC 9989 §4.7; RFC 7489 §6.3'),
  failureOptionsValue: rule('DMARC-FO-VALUE', Severity.ERROR,
    'fo is a colon-separated list of the options 0, 1, d and s.',
    'RFC 9989 §4.7; RFC 7489 §6.3'),
  failureOptionsCombination: rule('DMARC-FO-COMBINATION', Severity.WARNING,
    'fo is 0, 1, d, s, d:s or s:d; RFC 9989 receivers discard other lists (RFC 7489 syntax) and use the default 0.',
    'RFC 9989 §4.7, §4.8'),
  /**
   * `fo=0` and `fo=1` are not flagged: `0` is the default, and `fo=1` is what GOV.UK guidance
   * prescribes for every record (domains that do not send mail included), so a library that
   * writes it must not report its own default. A `d`, `s` or combined choice without `ruf` is
   * explicit and has no effect, so it is noted.
   */
  failureOptionsWithoutRuf: rule('DMARC-FO-WITHOUT-RUF', Severity.INFO,
    'fo is ignored unless the record also has ruf: fo=d, fo=s or a list of options without ruf has no effect (fo=0, the default, and fo=1, which GOV.UK guidance prescribes, are not noted).',
    'RFC 9989 §4.7; GOV.UK, "Protect domains that don\'t send email" (fo=1)'),
  reportUri: rule('DMARC-REPORT-URI', Severity.ERROR,
    'rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded.',
    'RFC 9989 §4.7, §4.8; RFC 7489 §6.2'),
  reportUriScheme: rule('DMARC-REPORT-URI-SCHEME', Severity.WARNING,
    'Report URIs use mailto:, the only scheme every receiver must support; receivers ignore schemes they do not support.',
    'RFC 9989 §4.7'),
  reportSize: rule('DMARC-REPORT-SIZE', Severity.INFO,
    'A !size suffix on a report URI is RFC 7489 syntax that RFC 9989 removed; receivers may ignore it.',
    'RFC 7489 §6.2; RFC 9989 §4.8'),
  psdValue: rule('DMARC-PSD-VALUE', Severity.ERROR,
    'psd is y, n or u.',
    'RFC 9989 §4.7'),
  testingValue: rule('DMARC-TESTING-VALUE', Severity.ERROR,
    't is y or n.',
    'RFC 9989 §4.7'),
  percentage: rule('DMARC-PCT', Severity.WARNING,
    'pct is historic: RFC 9989 removed it (use t=y to test), and a pct below 100 applies the policy to only part of the failing mail.',
    'RFC 9989 App. A.6; RFC 7489 §6.3'),
  historicTag: rule('DMARC-HISTORIC-TAG', Severity.INFO,
    'rf and ri are historic: RFC 9989 removed them and receivers ignore them.',
    'RFC 9989 §4.7, App. A.6 (tag registry: historic); RFC 7489 §6.3'),
  unknownTag: rule('DMARC-UNKNOWN-TAG', Severity.INFO,
    'Receivers ignore tags DMARC does not define.',
    'RFC 9989 §4.7'),
  multipleRecords: rule('DMARC-MULTIPLE-RECORDS', Severity.ERROR,
    'A name holds at most one v=DMARC1 record: with more, receivers discard them all and apply no policy.',
    'RFC 9989 §4.10; RFC 7489 §6.6.3'),
  noRecord: rule('DMARC-NO-RECORD', Severity.INFO,
    'No v=DMARC1 record at this name: receivers use the organisational domain\'s record, if there is one.',
    'RFC 9989 §4.10'),
} satisfies Record<string, RuleDefinition>;

/**
 * A DMARC policy: what the domain owner asks receivers to do with mail that fails DMARC.
 * The values are the words written in the record.
 */
export enum DmarcPolicy {
  /** No preference: deliver as usual and send reports. */
  NONE = 'none',
  /** Treat failing mail as suspicious, for example deliver it to the spam folder. */
  QUARANTINE = 'quarantine',
  /** Refuse failing mail. */
  REJECT = 'reject',
}

/**
 * An identifier alignment mode (`adkim`, `aspf`).
 */
export enum DmarcAlignment {
  /** Relaxed: the authenticated domain and the From domain share an organisational domain. */
  RELAXED = 'r',
  /** Strict: the authenticated domain is the From domain exactly. */
  STRICT = 's',
}

/**
 * Whether a record is published by a public suffix domain (RFC 9989 `psd`).
 */
export enum DmarcPsd {
  /** The domain is a public suffix domain (its operator publishes the record for the names under it). */
  YES = 'y',
  /** The domain is not a public suffix domain, but its own organisational domain. */
  NO = 'n',
  /** Not stated: the default, found by the DNS tree walk. */
  UNKNOWN = 'u',
}

/**
 * A report destination in a `rua` or `ruf` tag.
 */
export interface DmarcReportUri {
  /**
   * The URI, for example `mailto:dmarc-rua@dmarc.service.gov.uk`, with any `,` `!` or `;` in it
   * percent-encoded.
   */
  readonly uri: string;
  /**
   * The RFC 7489 size limit written after `!`, kept as written, for example `10m`.
   * RFC 9989 removed it.
   *
   * @default - no size limit
   */
  readonly maxSize?: string;
}

/**
 * A tag kept as written: one DMARC does not define, or one that could not be read into its field
 * (a duplicate, or a value that is not valid), so that the record renders back as it was.
 */
export interface DmarcTag {
  /** The tag name as written (known tag names in lower case). */
  readonly name: string;
  /** The value as written, without surrounding white space. */
  readonly value: string;
}

/**
 * A DMARC policy record (`_dmarc.<domain>` TXT), RFC 9989 with the RFC 7489 tags it made historic.
 */
export interface DmarcModel {
  /**
   * The policy for the domain (`p`).
   *
   * @default - none stated: with a `rua`, receivers treat the record as `p=none` (RFC 9989 §4.10.1)
   */
  readonly policy?: DmarcPolicy;
  /**
   * The policy for existing subdomains (`sp`).
   *
   * @default - the `policy`
   */
  readonly subdomainPolicy?: DmarcPolicy;
  /**
   * The policy for subdomains that do not exist (`np`).
   *
   * @default - the `subdomainPolicy`, or the `policy` when that is absent
   */
  readonly nonExistentSubdomainPolicy?: DmarcPolicy;
  /**
   * DKIM identifier alignment (`adkim`).
   *
   * @default - relaxed
   */
  readonly dkimAlignment?: DmarcAlignment;
  /**
   * SPF identifier alignment (`aspf`).
   *
   * @default - relaxed
   */
  readonly spfAlignment?: DmarcAlignment;
  /**
   * Failure reporting options (`fo`), each of `0`, `1`, `d` or `s`, for example `['1']` or `['d', 's']`.
   *
   * @default - `0` (report when every mechanism fails)
   */
  readonly failureOptions?: string[];
  /**
   * Where aggregate reports go (`rua`).
   *
   * @default - no aggregate reports
   */
  readonly aggregateReportUris?: DmarcReportUri[];
  /**
   * Where failure reports go (`ruf`).
   *
   * @default - no failure reports
   */
  readonly failureReportUris?: DmarcReportUri[];
  /**
   * Whether the domain is a public suffix domain (`psd`).
   *
   * @default - unknown (`u`)
   */
  readonly psd?: DmarcPsd;
  /**
   * Test mode (`t`): `true` asks receivers not to apply the policy yet (`t=y`).
   *
   * @default - not stated, which means `t=n`
   */
  readonly testing?: boolean;
  /**
   * The historic RFC 7489 percentage of failing mail the policy applies to (`pct`).
   *
   * @default - not stated (100)
   */
  readonly percentage?: number;
  /**
   * The historic RFC 7489 failure report format (`rf`), as written, for example `afrf`.
   *
   * @default - not stated
   */
  readonly reportFormat?: string;
  /**
   * The historic RFC 7489 aggregate report interval in seconds (`ri`).
   *
   * @default - not stated
   */
  readonly reportInterval?: number;
  /**
   * Tags kept as written: unknown tags, duplicates and tags whose value could not be read.
   *
   * @default - none
   */
  readonly unknownTags?: DmarcTag[];
}

/**
 * Reads, writes and checks DMARC policy records (RFC 9989, with RFC 7489 recognised).
 */
export class Dmarc {
  /**
   * Read a DMARC record as DNS holds it.
   *
   * Lenient where real records vary: tag names and enumerated values in any case, white space
   * around `;`, `=` and `,`, a trailing `;`, empty tags, and quoted or split strings. Tags that
   * cannot be read into their field are kept in `unknownTags` for `validate` to report.
   *
   * @param text the TXT value, unquoted or as DNS tools print it (`"v=DMARC1; " "p=reject"`)
   * @throws RecordSyntaxError when the text does not start with `v=DMARC1`
   */
  public static parse(text: string): DmarcModel {
    const record = TxtChunks.parse(text);
    const pieces = record.split(';');
    const first = splitTag(pieces[0]);
    if (first === undefined || first.name.toLowerCase() !== 'v' || first.value !== VERSION) {
      throw new RecordSyntaxError(literalQuotes(record) ? DMARC_RULES.literalQuotes : DMARC_RULES.version,
        notDmarcMessage(record, first));
    }
    const b = new ModelBuilder();
    for (const piece of pieces.slice(1)) {
      if (piece.trim().length === 0) {
        continue; // `;;` and a trailing `;`
      }
      const tag = splitTag(piece) ?? { name: piece.trim(), value: '' };
      b.add(tag.name, tag.value);
    }
    return b.build();
  }

  /**
   * Write a record in canonical form: `v=DMARC1` first, then `p sp np adkim aspf fo rua ruf psd t`,
   * the historic `pct rf ri`, then any unknown tags, separated by `; `.
   *
   * @throws Error when `validate` reports an error (for example a report URI with no scheme)
   */
  public static render(model: DmarcModel): string {
    return renderModel(DMARC_FORMAT, model);
  }

  /**
   * Check a model against every DMARC rule of RFC 9989 (and the RFC 7489 tags it made historic),
   * and the text it is published as (ASCII, string lengths, UDP size).
   * Makes no UK-profile judgement: an RFC-legal `p=none` has no finding here.
   */
  public static validate(model: DmarcModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(DMARC_FORMAT, model, options);
  }

  /**
   * Read and check a record as DNS holds it: its TXT encoding (ASCII, string lengths, UDP size;
   * plain text is measured split into 255-octet strings, as it is published)
   * and every DMARC rule. Never throws: text that is not a DMARC record gives a finding.
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(DMARC_FORMAT, text, options);
  }

  /**
   * Whether a TXT value is a DMARC record: its first tag is `v=DMARC1` (tag name in any case,
   * the value exactly so), as receivers select records (RFC 9989 §4.10).
   */
  public static isDmarc(text: string): boolean {
    try {
      return DMARC_START.test(TxtChunks.parse(text));
    } catch {
      return false;
    }
  }

  /**
   * Check every TXT value at a `_dmarc.<domain>` name: more than one DMARC record means
   * receivers apply no policy (RFC 7489 §6.6.3, RFC 9989 §4.10). Each DMARC record, and each
   * value that looks like a failed attempt at one (`v=dmarc1`, quoted text, `v` not first), is
   * checked too; other TXT values are ignored, as receivers ignore them.
   *
   * @param values the TXT values at the name, as DNS holds them
   */
  public static checkRecordSet(values: string[], options: RecordCheckOptions = {}): Finding[] {
    return checkTxtRecordSet(DMARC_FORMAT, values, options, {
      isRecord: (v) => Dmarc.isDmarc(v),
      looksLike: looksLikeDmarc,
      multiple: {
        rule: DMARC_RULES.multipleRecords,
        message: (records) => `${records.length} records start with v=DMARC1; receivers discard them all and apply no DMARC policy. Keep one.`,
        checkEach: true,
      },
      none: { rule: DMARC_RULES.noRecord, message: (total) => `None of the ${total} TXT values is a v=DMARC1 record.` },
    });
  }


  /**
   * The DNS name that must hold a `v=DMARC1` TXT record for a report destination outside the
   * policy domain's organisational domain to accept its reports: `<policyDomain>._report._dmarc.<host>`
   * (RFC 7489 §7.1; RFC 9990 §3). `undefined` when the destination is inside the organisational
   * domain, or the URI is not a `mailto:` URI with a readable address.
   *
   * The organisational domains are found with `organisationalDomain`.
   *
   * @param policyDomain the domain the policy is for, for example `example.gov.uk` (a leading `_dmarc.` is ignored)
   * @param uri a report URI as written in `rua` or `ruf`, for example `mailto:dmarc-rua@dmarc.service.gov.uk`
   */
  public static externalReportAuthorisation(policyDomain: string, uri: string): string | undefined {
    let domain = normaliseDomainName(policyDomain);
    if (domain.startsWith('_dmarc.')) {
      domain = domain.slice('_dmarc.'.length);
    }
    if (domain.length === 0) {
      return undefined;
    }
    const host = reportUriDomain(uri);
    if (host === undefined || organisationalDomainOf(host) === organisationalDomainOf(domain)) {
      return undefined;
    }
    return `${domain}._report._dmarc.${host}`;
  }

  /**
   * The organisational domain of a name, approximated without DNS.
   *
   * RFC 9989 finds it by a DNS tree walk. This uses a small built-in list of public suffixes
   * instead: `gov.uk`, `org.uk`, `co.uk`, `ac.uk`, `nhs.uk`, `police.uk`, `mod.uk`, `ltd.uk`,
   * `plc.uk`, `net.uk`, `me.uk`, `sch.uk` (where schools sit one level further down, as
   * `<school>.<authority>.sch.uk`) and every single-label top-level domain. So `a.dept.gov.uk`
   * and `dept.gov.uk` share the organisational domain `dept.gov.uk`, and `other.gov.uk` does not.
   * A name that is itself a public suffix is returned as it is.
   *
   * @param name a domain name; case and a trailing dot are ignored
   * @returns the organisational domain, in lower case
   */
  public static organisationalDomain(name: string): string {
    return organisationalDomainOf(name);
  }

  private constructor() {}
}

const VERSION = 'DMARC1';
/** RFC 9989 §4.8: `dmarc-version = "v" equals %s"DMARC1"`; the tag name is case-insensitive, the value is not. */
const DMARC_START = /^[ \t]*[vV][ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)/;
/** Every tag a DMARC record defines, RFC 9989 and historic RFC 7489 ones. */
const KNOWN_TAGS: ReadonlySet<string> = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rua', 'ruf', 'psd', 't', 'pct', 'rf', 'ri']);
const POLICIES: ReadonlySet<string> = new Set(Object.values(DmarcPolicy));
const ALIGNMENTS: ReadonlySet<string> = new Set(Object.values(DmarcAlignment));
const PSDS: ReadonlySet<string> = new Set(Object.values(DmarcPsd));
const FO_OPTIONS: ReadonlySet<string> = new Set(['0', '1', 'd', 's']);
/** fo values without ruf that DMARC-FO-WITHOUT-RUF leaves alone: the default, and GOV.UK's fo=1. */
const FO_NOT_NOTED: ReadonlySet<string> = new Set(['0', '1']);
/** RFC 9989 §4.8: `dmarc-fo = "0" / "1" / "d" / "s" / "d:s" / "s:d"`. */
const FO_RFC9989: ReadonlySet<string> = new Set(['0', '1', 'd', 's', 'd:s', 's:d']);
/** RFC 7489 §6.2: the size is digits with an optional unit; the number fits in 64 bits. */
const SIZE = /^([0-9]+)([kmgtKMGT]?)$/;
const MAX_UINT64 = BigInt('18446744073709551615');
const MAX_UINT32 = 4294967295;
/** RFC 9989 §4.8: `dmarc-tag = 1*ALPHA equals 1*dmarc-value`. */
const TAG_NAME = /^[A-Za-z]+$/;

interface RawTag {
  readonly name: string;
  readonly value: string;
}

/** Split `name=value` at the first `=`, trimming white space around both; `undefined` without `=`. */
function splitTag(piece: string): RawTag | undefined {
  const eq = piece.indexOf('=');
  if (eq < 0) {
    return undefined;
  }
  return { name: piece.slice(0, eq).trim(), value: piece.slice(eq + 1).trim() };
}

/** Text whose first character is a quote (or an escaped one) that is not DNS quoting. */
function literalQuotes(record: string): boolean {
  return /^\s*\\?"/.test(record);
}

/** A TXT value that mentions a DMARC version tag but is not a DMARC record. */
function looksLikeDmarc(value: string): boolean {
  let text: string;
  try {
    text = TxtChunks.parse(value);
  } catch {
    text = value;
  }
  return /v\s*=\s*dmarc/i.test(text);
}

function notDmarcMessage(record: string, first: RawTag | undefined): string {
  const shown = record.length > 60 ? `${record.slice(0, 60)}...` : record;
  if (literalQuotes(record)) {
    return `The record text starts with a quote character: ${shown}. The quotes were typed into the value, so the record does not start with v=DMARC1 and receivers ignore it; remove them.`;
  }
  if (first !== undefined && first.name.toLowerCase() === 'v') {
    if (first.value.toUpperCase() === VERSION) {
      return `The version is "${first.value}"; it must be exactly "DMARC1" (upper case), or receivers ignore the record.`;
    }
    if (/^DMARC1\s/i.test(first.value)) {
      return `The version tag reads "v=${first.value}": separate tags with ";" (for example "v=DMARC1; p=reject").`;
    }
    return `The version is "${first.value}"; a DMARC record starts with v=DMARC1.`;
  }
  if (/(^|;)\s*v\s*=\s*DMARC1\s*(;|$)/i.test(record)) {
    return `v=DMARC1 must be the first tag; got ${JSON.stringify(shown)}.`;
  }
  return `A DMARC record starts with v=DMARC1; got ${JSON.stringify(shown)}.`;
}

function renderUri(u: DmarcReportUri): string {
  return u.maxSize === undefined ? u.uri : `${u.uri}!${u.maxSize}`;
}

/** RFC 9989 §4.8: `dmarc-urilist = dmarc-uri *(*WSP "," *WSP dmarc-uri)`, with RFC 7489's `!size`. */
function parseUriList(value: string): DmarcReportUri[] {
  return value.split(',').map(splitReportUriSize);
}

/** Builds a canonical model from the tags of a record, in the order they were written. */
class ModelBuilder {
  private readonly fields: { -readonly [K in keyof DmarcModel]: DmarcModel[K] } = {};
  private readonly unknown: DmarcTag[] = [];

  public add(rawName: string, value: string): void {
    const lower = rawName.toLowerCase();
    if (!KNOWN_TAGS.has(lower)) {
      this.unknown.push({ name: rawName, value });
      return;
    }
    if (!this.read(lower, value)) {
      // A duplicate, an empty value or one that is not valid: keep it for validate to report.
      this.unknown.push({ name: lower, value });
    }
  }

  public build(): DmarcModel {
    return this.unknown.length > 0 ? { ...this.fields, unknownTags: this.unknown } : { ...this.fields };
  }

  /** Put a known tag in its field; false when the field is taken or the value cannot be read. */
  private read(name: string, value: string): boolean {
    const f = this.fields;
    const v = value.toLowerCase();
    if (value.length === 0) {
      return false;
    }
    switch (name) {
      case 'p':
        return f.policy === undefined && POLICIES.has(v) && set(() => f.policy = v as DmarcPolicy);
      case 'sp':
        return f.subdomainPolicy === undefined && POLICIES.has(v) && set(() => f.subdomainPolicy = v as DmarcPolicy);
      case 'np':
        return f.nonExistentSubdomainPolicy === undefined && POLICIES.has(v)
          && set(() => f.nonExistentSubdomainPolicy = v as DmarcPolicy);
      case 'adkim':
        return f.dkimAlignment === undefined && ALIGNMENTS.has(v) && set(() => f.dkimAlignment = v as DmarcAlignment);
      case 'aspf':
        return f.spfAlignment === undefined && ALIGNMENTS.has(v) && set(() => f.spfAlignment = v as DmarcAlignment);
      case 'fo': {
        const options = v.split(':').map((o) => o.trim());
        return f.failureOptions === undefined && options.every((o) => FO_OPTIONS.has(o))
          && set(() => f.failureOptions = options);
      }
      case 'rua':
        return f.aggregateReportUris === undefined && set(() => f.aggregateReportUris = parseUriList(value));
      case 'ruf':
        return f.failureReportUris === undefined && set(() => f.failureReportUris = parseUriList(value));
      case 'psd':
        return f.psd === undefined && PSDS.has(v) && set(() => f.psd = v as DmarcPsd);
      case 't':
        return f.testing === undefined && (v === 'y' || v === 'n') && set(() => f.testing = v === 'y');
      case 'pct':
        return f.percentage === undefined && /^[0-9]{1,9}$/.test(value) && set(() => f.percentage = Number(value));
      case 'rf':
        return f.reportFormat === undefined && set(() => f.reportFormat = value);
      case 'ri':
        return f.reportInterval === undefined && /^[0-9]{1,10}$/.test(value) && Number(value) <= MAX_UINT32
          && set(() => f.reportInterval = Number(value));
      default:
        return false; // a second `v`
    }
  }
}

function set(assign: () => unknown): true {
  assign();
  return true;
}

/** Whether the model holds a known tag in its field (`v` always), to count duplicates. */
function fieldPresent(model: DmarcModel, tag: string): boolean {
  switch (tag) {
    case 'v': return true;
    case 'p': return model.policy !== undefined;
    case 'sp': return model.subdomainPolicy !== undefined;
    case 'np': return model.nonExistentSubdomainPolicy !== undefined;
    case 'adkim': return model.dkimAlignment !== undefined;
    case 'aspf': return model.spfAlignment !== undefined;
    case 'fo': return model.failureOptions !== undefined;
    case 'rua': return model.aggregateReportUris !== undefined;
    case 'ruf': return model.failureReportUris !== undefined;
    case 'psd': return model.psd !== undefined;
    case 't': return model.testing !== undefined;
    case 'pct': return model.percentage !== undefined;
    case 'rf': return model.reportFormat !== undefined;
    case 'ri': return model.reportInterval !== undefined;
    default: return false;
  }
}

/** Runs every rule over one model. */
class Validator {
  private readonly findings: Finding[] = [];

  constructor(private readonly model: DmarcModel, private readonly path: string | undefined) {}

  public run(): Finding[] {
    const m = this.model;
    const unknownTags = m.unknownTags ?? [];
    this.policies();
    this.alignment('adkim', m.dkimAlignment);
    this.alignment('aspf', m.spfAlignment);
    this.failureOptions();
    this.uris('rua', m.aggregateReportUris);
    this.uris('ruf', m.failureReportUris);
    if (m.psd !== undefined && !PSDS.has(m.psd)) {
      this.add(DMARC_RULES.psdValue, `psd must be y, n or u; got "${m.psd}".`);
    }
    this.historic();
    this.duplicates(unknownTags);
    for (const tag of unknownTags) {
      this.keptTag(tag);
    }
    return this.findings;
  }

  private add(r: RuleDefinition, message: string): void {
    this.findings.push(finding(r, message, this.path));
  }

  private policies(): void {
    const m = this.model;
    for (const [tag, value] of [['p', m.policy], ['sp', m.subdomainPolicy], ['np', m.nonExistentSubdomainPolicy]] as const) {
      if (value !== undefined && !POLICIES.has(value)) {
        this.add(DMARC_RULES.policyValue, `${tag} must be none, quarantine or reject; got "${value}".`);
      }
    }
    const hasP = m.policy !== undefined || (m.unknownTags ?? []).some((t) => t.name.toLowerCase() === 'p');
    if (hasP) {
      return;
    }
    const validRua = (m.aggregateReportUris ?? []).some((u) => uriProblem(u) === undefined);
    if (validRua) {
      this.add(DMARC_RULES.impliedNone, 'The record has no p tag; receivers treat it as p=none. State the policy, for example p=reject.');
    } else {
      this.add(DMARC_RULES.noPolicy,
        'The record has no p tag and no valid rua, so receivers apply no DMARC processing. Add a policy, for example p=reject.');
    }
  }

  private alignment(tag: string, value: DmarcAlignment | undefined): void {
    if (value !== undefined && !ALIGNMENTS.has(value)) {
      this.add(DMARC_RULES.alignmentValue, `${tag} must be r or s; got "${value}".`);
    }
  }

  private failureOptions(): void {
    const fo = this.model.failureOptions;
    if (fo === undefined) {
      return;
    }
    const written = fo.join(':');
    const bad = fo.find((o) => !FO_OPTIONS.has(o));
    if (fo.length === 0 || bad !== undefined) {
      this.add(DMARC_RULES.failureOptionsValue, `fo must be a colon-separated list of 0, 1, d and s; got "${written}".`);
      return;
    }
    if (!FO_RFC9989.has(written)) {
      this.add(DMARC_RULES.failureOptionsCombination,
        `fo=${written} is RFC 7489 syntax; RFC 9989 allows 0, 1, d, s or d:s and receivers that follow it use fo=0 instead.`);
    }
    // fo=0 is the default and fo=1 what GOV.UK prescribes for every domain: neither is noted.
    if (this.model.failureReportUris === undefined && !FO_NOT_NOTED.has(written)) {
      this.add(DMARC_RULES.failureOptionsWithoutRuf, `fo=${written} has no effect: the record has no ruf.`);
    }
  }

  private uris(tag: string, uris: DmarcReportUri[] | undefined): void {
    if (uris === undefined) {
      return;
    }
    if (uris.length === 0) {
      this.add(DMARC_RULES.reportUri, `${tag} lists no URI.`);
      return;
    }
    uris.forEach((u, i) => {
      const problem = uriProblem(u);
      if (problem !== undefined) {
        const hint = splitCommaHint(i > 0 ? uris[i - 1].uri : undefined, u.uri);
        this.add(DMARC_RULES.reportUri, `${tag} URI "${renderUri(u)}" ${problem}${hint}.`);
        return;
      }
      const scheme = uriScheme(u.uri);
      if (scheme !== 'mailto') {
        this.add(DMARC_RULES.reportUriScheme,
          `${tag} URI "${u.uri}" uses ${scheme}:; receivers are only required to send reports to mailto: addresses.`);
      }
      if (u.maxSize !== undefined) {
        this.add(DMARC_RULES.reportSize,
          `${tag} URI "${renderUri(u)}" has the size limit !${u.maxSize}, which RFC 9989 removed; receivers may ignore it.`);
      }
    });
  }

  private historic(): void {
    const m = this.model;
    if (m.percentage !== undefined) {
      this.percentage(String(m.percentage), Number.isInteger(m.percentage) && m.percentage >= 0 && m.percentage <= 100);
    }
    if (m.reportFormat !== undefined) {
      this.add(DMARC_RULES.historicTag, `rf=${m.reportFormat} is historic (RFC 9989 removed it); receivers ignore it.`);
    }
    if (m.reportInterval !== undefined) {
      this.add(DMARC_RULES.historicTag, `ri=${m.reportInterval} is historic (RFC 9989 removed it); receivers ignore it.`);
    }
  }

  private percentage(value: string, valid: boolean): void {
    if (!valid) {
      this.add(DMARC_RULES.percentage,
        `pct="${value}" is not a whole number from 0 to 100 (RFC 7489), and RFC 9989 removed pct; remove it.`);
    } else if (value === '100') {
      this.add(DMARC_RULES.percentage, 'pct=100 is historic (RFC 9989 removed pct) and is the default anyway; remove it.');
    } else {
      this.add(DMARC_RULES.percentage,
        `pct=${value}: receivers that still read pct apply the policy to only ${value}% of failing mail, and RFC 9989 removed pct; remove it (use t=y to test).`);
    }
  }

  /** One finding for each tag written more than once (tag names are case-insensitive). */
  private duplicates(unknownTags: DmarcTag[]): void {
    const counts = new Map<string, number>();
    for (const tag of unknownTags.filter((t) => TAG_NAME.test(t.name))) {
      const lower = tag.name.toLowerCase();
      counts.set(lower, (counts.get(lower) ?? 0) + 1);
    }
    for (const [tag, count] of counts) {
      const total = count + (fieldPresent(this.model, tag) ? 1 : 0);
      if (total > 1) {
        this.add(DMARC_RULES.duplicateTag, `The tag ${tag} appears ${total} times; it may appear once.`);
      }
    }
  }

  /** A tag kept as written: malformed, a known tag whose value could not be read, or unknown. */
  private keptTag(tag: DmarcTag): void {
    const lower = tag.name.toLowerCase();
    // A ";" in a value (possible only in a model built by hand) would end the tag when written.
    if (!TAG_NAME.test(tag.name) || tag.value.trim().length === 0 || tag.value.includes(';')) {
      this.add(DMARC_RULES.tagSyntax, `"${tag.name}=${tag.value}" is not a tag: write name=value, the name in letters and the value not empty.`);
      return;
    }
    const value = tag.value;
    const v = value.toLowerCase();
    switch (lower) {
      case 'p': case 'sp': case 'np':
        if (!POLICIES.has(v)) {
          const effect = lower === 'p' ? ' Receivers treat the record as p=none if it has a valid rua, and ignore it otherwise.' : '';
          this.add(DMARC_RULES.policyValue, `${lower} must be none, quarantine or reject; got "${value}".${effect}`);
        }
        return;
      case 'adkim': case 'aspf':
        if (!ALIGNMENTS.has(v)) {
          this.add(DMARC_RULES.alignmentValue, `${lower} must be r or s; got "${value}".`);
        }
        return;
      case 'fo':
        if (!v.split(':').every((o) => FO_OPTIONS.has(o.trim()))) {
          this.add(DMARC_RULES.failureOptionsValue, `fo must be a colon-separated list of 0, 1, d and s; got "${value}".`);
        }
        return;
      case 'psd':
        if (!PSDS.has(v)) {
          this.add(DMARC_RULES.psdValue, `psd must be y, n or u; got "${value}".`);
        }
        return;
      case 't':
        if (v !== 'y' && v !== 'n') {
          this.add(DMARC_RULES.testingValue, `t must be y or n; got "${value}".`);
        }
        return;
      case 'pct':
        this.percentage(value, /^[0-9]{1,3}$/.test(value) && Number(value) <= 100);
        return;
      case 'rf': case 'ri':
        this.add(DMARC_RULES.historicTag, `${lower}=${value} is historic (RFC 9989 removed it); receivers ignore it.`);
        return;
      case 'v': case 'rua': case 'ruf':
        return; // only ever kept as duplicates, reported above
      default:
        this.add(DMARC_RULES.unknownTag, `The tag ${tag.name}=${value} is not a DMARC tag; receivers ignore it.`);
    }
  }
}

/**
 * What `uriProblem` found for each URI and size checked so far: the same addresses are checked
 * for every domain of an estate, and for one domain when its record is rendered, validated and
 * evaluated. At most `URI_PROBLEMS_KEPT` are kept.
 */
const uriProblems = new Map<string, string | undefined>();
const URI_PROBLEMS_KEPT = 1000;

/** What is wrong with one report URI, or undefined (RFC 9989 §4.8; RFC 7489 §6.2 for the size). */
function uriProblem(u: DmarcReportUri): string | undefined {
  const key = u.maxSize === undefined ? `-${u.uri}` : `${u.maxSize.length}:${u.maxSize}${u.uri}`;
  if (uriProblems.has(key)) {
    return uriProblems.get(key);
  }
  if (uriProblems.size >= URI_PROBLEMS_KEPT) {
    uriProblems.clear();
  }
  const problem = checkReportUri(u);
  uriProblems.set(key, problem);
  return problem;
}

/** `uriProblem` itself, not kept. */
function checkReportUri(u: DmarcReportUri): string | undefined {
  const raw = firstUnencoded(u.uri, ',!;');
  if (raw !== undefined) {
    return `holds "${raw}", which must be percent-encoded (${percentEncoded(raw)}) inside a DMARC URI`;
  }
  if (u.uri.length > 0 && uriScheme(u.uri) === undefined) {
    return u.uri.includes('@') && !u.uri.includes(':')
      ? `has no scheme: a report address is written "mailto:${u.uri}"`
      : 'has no scheme: write mailto:<address>';
  }
  const syntax = uriSyntaxProblem(u.uri);
  if (syntax !== undefined) {
    return syntax;
  }
  if (uriScheme(u.uri) === 'mailto') {
    const mailto = mailtoProblem(u.uri);
    if (mailto !== undefined) {
      return mailto;
    }
  }
  if (u.maxSize !== undefined) {
    const m = SIZE.exec(u.maxSize);
    if (!m || m[1].length > 20 || BigInt(m[1]) > MAX_UINT64) {
      return `has a size limit "!${u.maxSize}" that is not digits with an optional k, m, g or t`;
    }
  }
  return undefined;
}

/** The canonical text of a model, written as it is. */
function writeDmarc(model: DmarcModel): string {
  const tags: string[] = [`v=${VERSION}`];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) {
      tags.push(`${name}=${value}`);
    }
  };
  add('p', model.policy);
  add('sp', model.subdomainPolicy);
  add('np', model.nonExistentSubdomainPolicy);
  add('adkim', model.dkimAlignment);
  add('aspf', model.spfAlignment);
  add('fo', model.failureOptions?.join(':'));
  add('rua', model.aggregateReportUris?.map(renderUri).join(','));
  add('ruf', model.failureReportUris?.map(renderUri).join(','));
  add('psd', model.psd);
  add('t', model.testing === undefined ? undefined : model.testing ? 'y' : 'n');
  add('pct', model.percentage?.toString());
  add('rf', model.reportFormat);
  add('ri', model.reportInterval?.toString());
  for (const tag of model.unknownTags ?? []) {
    tags.push(`${tag.name}=${tag.value}`);
  }
  return tags.join('; ');
}

/**
 * DMARC in the one record-model contract (see `private/record-model.ts`). Its `write` is for a
 * construct whose report addresses are known only at deployment (checked where they resolve).
 * @internal
 */
export const DMARC_FORMAT: RecordFormat<DmarcModel, RecordCheckOptions> = {
  what: 'DMARC record',
  type: 'TXT',
  parse: (text) => Dmarc.parse(text),
  write: writeDmarc,
  rules: (model, options) => new Validator(model, options.name).run(),
  unreadable: DMARC_RULES.version,
  txt: {},
};
