import { Finding, RuleDefinition, Severity, finding, rule } from './finding';
import { normaliseDomainName } from './private/names';
import { RecordFormat, checkText, checkTxtRecordSet, renderModel, validateModel } from './private/record-model';
import { domainEndProblems, isIp4Network, isIp6Network, isModifierName, scanMacroString } from './private/spf-syntax';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about SPF records (RFC 7208). @internal */
export const SPF_RULES = {
  version: rule('SPF-VERSION', Severity.ERROR,
    'An SPF record begins with "v=spf1", followed by a space or the end of the record.',
    'RFC 7208 §4.5, §12'),
  unknownMechanism: rule('SPF-UNKNOWN-MECHANISM', Severity.ERROR,
    'Every mechanism is one of all, include, a, mx, ptr, ip4, ip6 and exists; any other is a permerror.',
    'RFC 7208 §5, §12'),
  malformedTerm: rule('SPF-MALFORMED-TERM', Severity.ERROR,
    'Each term follows the RFC 7208 grammar: the arguments its mechanism or modifier takes, and no qualifier on a modifier.',
    'RFC 7208 §4.6.1, §12'),
  invalidDomainSpec: rule('SPF-INVALID-DOMAIN-SPEC', Severity.ERROR,
    'A domain-spec is visible ASCII ending in "." and a top label, or in a macro; DNS labels are 1–63 octets.',
    'RFC 7208 §7.1, §12; RFC 1035 §2.3.4'),
  invalidMacro: rule('SPF-INVALID-MACRO', Severity.ERROR,
    'A "%" starts "%{" letter [digits] ["r"] [delimiters] "}", "%%", "%_" or "%-"; letters c, r, t only in explanation text; a digit transformer is nonzero.',
    'RFC 7208 §7.1, §7.2, §7.3'),
  invalidIp4: rule('SPF-INVALID-IP4', Severity.ERROR,
    'An ip4 network is a dotted quad of decimal numbers 0–255 without leading zeros.',
    'RFC 7208 §5.6, §12'),
  invalidIp6: rule('SPF-INVALID-IP6', Severity.ERROR,
    'An ip6 network is an IPv6 address in RFC 4291 text form, without a zone.',
    'RFC 7208 §5.6, §12; RFC 4291 §2.2'),
  cidrRange: rule('SPF-CIDR-RANGE', Severity.ERROR,
    'An IPv4 prefix length is a whole number 0–32 and an IPv6 prefix length 0–128.',
    'RFC 7208 §5.6, §12'),
  lookupLimit: rule('SPF-LOOKUP-LIMIT', Severity.ERROR,
    'Evaluating the record takes at most 10 DNS-querying terms (include, a, mx, ptr, exists, redirect), nested records counted.',
    'RFC 7208 §4.6.4'),
  lookupCostUnknown: rule('SPF-LOOKUP-COST-UNKNOWN', Severity.INFO,
    'The lookups an include or redirect target adds are unknown, so only the term itself was counted.',
    'RFC 7208 §4.6.4'),
  voidLookupLimit: rule('SPF-VOID-LOOKUP-LIMIT', Severity.WARNING,
    'At most 2 lookups during evaluation may return no answer (NXDOMAIN or empty); a third is a permerror.',
    'RFC 7208 §4.6.4'),
  mxAddressLookups: rule('SPF-MX-ADDRESS-LOOKUPS', Severity.INFO,
    'An mx term also looks up the address of every MX host, and more than 10 MX hosts is a permerror.',
    'RFC 7208 §4.6.4'),
  termsAfterAll: rule('SPF-TERMS-AFTER-ALL', Severity.WARNING,
    'Mechanisms after "all" are never evaluated.',
    'RFC 7208 §5.1'),
  redirectWithAll: rule('SPF-REDIRECT-WITH-ALL', Severity.WARNING,
    'A "redirect" modifier is ignored when the record has an "all" mechanism.',
    'RFC 7208 §5.1, §6.1'),
  duplicateModifier: rule('SPF-DUPLICATE-MODIFIER', Severity.ERROR,
    '"redirect" and "exp" each appear at most once in a record.',
    'RFC 7208 §6'),
  ptr: rule('SPF-PTR', Severity.WARNING,
    'The "ptr" mechanism and the "%{p}" macro SHOULD NOT be used: slow, unreliable and a burden on receivers.',
    'RFC 7208 §5.5, §7.2'),
  passAll: rule('SPF-PASS-ALL', Severity.WARNING,
    '"all" without a qualifier, or "+all", authorises every host on the internet to send as the domain.',
    'RFC 7208 §5.1, §8.3'),
  noAll: rule('SPF-NO-ALL', Severity.INFO,
    'Without "all" or "redirect", a host matching no mechanism gets the default result, neutral.',
    'RFC 7208 §4.7'),
  duplicateTerm: rule('SPF-DUPLICATE-TERM', Severity.INFO,
    'A mechanism repeated in a record adds nothing, and a repeated lookup counts again.',
    'RFC 7208 §4.6.2, §4.6.4'),
  versionAsTerm: rule('SPF-VERSION-AS-TERM', Severity.WARNING,
    '"v=spf1" begins a record and is not a term: one among the terms is read as an unknown modifier and ignored, and is usually two records run together.',
    'RFC 7208 §4.5, §4.6.1, §6'),
  unknownModifier: rule('SPF-UNKNOWN-MODIFIER', Severity.INFO,
    'Receivers ignore modifiers other than "redirect" and "exp": check the name is not a misspelling.',
    'RFC 7208 §6'),
  multipleRecords: rule('SPF-MULTIPLE-RECORDS', Severity.ERROR,
    'A name publishes at most one SPF record; with more, every receiver returns permerror.',
    'RFC 7208 §3.2, §4.5'),
} satisfies Record<string, RuleDefinition>;

/** RFC 7208 §4.6.4: the limit on DNS-querying terms. */
const LOOKUP_LIMIT = 10;
/** RFC 7208 §4.6.4: the limit on void lookups. */
const VOID_LOOKUP_LIMIT = 2;
/** The modifiers RFC 7208 §6 defines. */
const REDIRECT = 'redirect';
const EXP = 'exp';

/**
 * The qualifier in front of a mechanism: the result when the mechanism matches (RFC 7208 §4.6.2).
 */
export enum SpfQualifier {
  /** `+`: the host is authorised (also the meaning of no qualifier). */
  PASS = '+',
  /** `-`: the host is not authorised. */
  FAIL = '-',
  /** `~`: probably not authorised; receivers accept but mark the message. */
  SOFTFAIL = '~',
  /** `?`: no statement either way. */
  NEUTRAL = '?',
}

/**
 * An SPF mechanism (RFC 7208 §5).
 */
export enum SpfMechanism {
  /** `all`: always matches (§5.1). */
  ALL = 'all',
  /** `include:<domain-spec>`: matches when that domain's SPF record passes (§5.2). */
  INCLUDE = 'include',
  /** `a[:<domain-spec>][/<cidr4>][//<cidr6>]`: the host is one of the domain's addresses (§5.3). */
  A = 'a',
  /** `mx[:<domain-spec>][/<cidr4>][//<cidr6>]`: the host is one of the domain's MX hosts (§5.4). */
  MX = 'mx',
  /** `ptr[:<domain-spec>]`: reverse DNS; SHOULD NOT be used (§5.5). */
  PTR = 'ptr',
  /** `ip4:<network>[/<cidr4>]` (§5.6). */
  IP4 = 'ip4',
  /** `ip6:<network>[/<cidr6>]` (§5.6). */
  IP6 = 'ip6',
  /** `exists:<domain-spec>`: matches when the name has an A record (§5.7). */
  EXISTS = 'exists',
}

/**
 * One term of an SPF record: a mechanism (with an optional qualifier) or a modifier
 * (RFC 7208 §4.6.1, §12).
 *
 * Exactly one of `mechanism` and `modifier` is set. The other fields hold the term's arguments
 * exactly as written, so that rendering the term and parsing it again gives the same term:
 *
 * | Term | Fields |
 * |---|---|
 * | `-all` | `mechanism`, `qualifier` |
 * | `include:_spf.example.com` | `mechanism`, `domainSpec` |
 * | `exists:%{i}._spf.example.com` | `mechanism`, `domainSpec` (macros kept as written) |
 * | `ptr`, `ptr:example.com` | `mechanism`, optional `domainSpec` |
 * | `a`, `mx:mail.example.com/24//64` | `mechanism`, optional `domainSpec`, `cidr4`, `cidr6` |
 * | `ip4:192.0.2.0/24` | `mechanism`, `ip`, optional `cidr4` |
 * | `ip6:2001:db8::/32` | `mechanism`, `ip`, optional `cidr6` |
 * | `redirect=_spf.example.com`, `exp=explain.example.com` | `modifier`, `domainSpec` |
 * | `foo=bar` (unknown modifier) | `modifier`, `domainSpec` (its macro-string value, possibly `""`) |
 */
export interface SpfTerm {
  /**
   * The mechanism, when the term is a mechanism.
   *
   * @default - the term is a modifier
   */
  readonly mechanism?: SpfMechanism;

  /**
   * The qualifier written in front of the mechanism.
   *
   * Absent means none was written, which means `+` (RFC 7208 §4.6.2); the two are kept apart so
   * that a record renders as it was written. Never set on a modifier.
   *
   * @default - no qualifier written (pass)
   */
  readonly qualifier?: SpfQualifier;

  /**
   * The domain-spec argument, as written (macros included, case kept): the target of `include`,
   * `exists`, `a`, `mx` and `ptr`, and the value of a modifier. For an unknown modifier this is
   * its macro-string value, which may be empty.
   *
   * Required for `include`, `exists` and every modifier; optional for `a`, `mx` and `ptr`
   * (absent means the domain being checked); never set for `all`, `ip4` and `ip6`.
   *
   * @default - no domain-spec written
   */
  readonly domainSpec?: string;

  /**
   * The network of an `ip4` or `ip6` mechanism, without its prefix length, as written.
   *
   * @default - not an `ip4` or `ip6` mechanism
   */
  readonly ip?: string;

  /**
   * The IPv4 prefix length: of an `ip4` network, or the first of an `a`/`mx` dual-cidr-length
   * (`a/24`). 0–32.
   *
   * @default - none written (32: the address itself)
   */
  readonly cidr4?: number;

  /**
   * The IPv6 prefix length: of an `ip6` network, or the second of an `a`/`mx` dual-cidr-length
   * (`a//64`). 0–128.
   *
   * @default - none written (128: the address itself)
   */
  readonly cidr6?: number;

  /**
   * The modifier's name in lower case, when the term is a modifier: `redirect`, `exp` or an
   * unknown modifier's name (RFC 7208 §6, §12 `name`).
   *
   * @default - the term is a mechanism
   */
  readonly modifier?: string;
}

/**
 * An SPF record: the terms after `v=spf1`, in order (RFC 7208 §4.6).
 */
export interface SpfModel {
  /** The mechanisms and modifiers in the order they are written. */
  readonly terms: SpfTerm[];
}

/**
 * What evaluating an include or redirect target's SPF record costs, beyond the include (or
 * redirect) term itself.
 *
 * For example, if `spf.protection.outlook.com` holds `v=spf1 ip4:... include:spfd.protection.outlook.com -all`
 * its cost is 1, plus whatever `spfd.protection.outlook.com` costs: the number covers the
 * target's nested includes too.
 */
export interface SpfIncludeCost {
  /** The include or redirect target, as it appears in the record (compared case-insensitively, trailing dot ignored). */
  readonly domain: string;

  /** The DNS-querying terms evaluating the target's record adds, nested includes counted, the include term itself not counted. */
  readonly lookups: number;

  /**
   * The lookups evaluating the target's record can make that return no answer (NXDOMAIN or an empty answer).
   *
   * @default 0
   */
  readonly voidLookups?: number;
}

/**
 * Options for validating an SPF record.
 */
export interface SpfValidationOptions extends RecordCheckOptions {
  /**
   * The known cost of include and redirect targets. A target not listed counts as the term
   * alone, and is reported as `SPF-LOOKUP-COST-UNKNOWN`.
   *
   * @default - no cost known: each include or redirect counts 1
   */
  readonly includeCosts?: SpfIncludeCost[];
}

/**
 * The DNS lookups evaluating an SPF record takes (RFC 7208 §4.6.4).
 */
export interface SpfLookupCount {
  /**
   * DNS-querying terms evaluated: `include`, `a`, `mx`, `ptr`, `exists` and `redirect` count 1
   * each, plus the known cost of each include and redirect target. Terms after `all` are never
   * evaluated and `redirect` is ignored when an `all` is present, so neither counts.
   */
  readonly lookups: number;

  /** Include and redirect targets whose cost is not in the cost table, in order, each once. */
  readonly unknownIncludes: string[];

  /**
   * How many lookups could return no answer for a host that matches nothing: every `exists`
   * term (a miss is an NXDOMAIN by design), every `a` or `mx` term whose domain-spec holds a
   * macro, and the known void lookups of include and redirect targets. Above 2 is a permerror.
   */
  readonly voidLookupRisk: number;
}

/**
 * Parse, generate and check SPF records (RFC 7208).
 */
export class Spf {
  /**
   * Whether a TXT value is an SPF record: it begins with `v=spf1` followed by a space or the
   * end (RFC 7208 §4.5, case-insensitive). Receivers discard every other TXT value.
   *
   * @param text the TXT value, as plain text or as quoted character-strings
   */
  public static isSpf(text: string): boolean {
    return VERSION.test(safeJoin(text));
  }

  /**
   * Read an SPF record.
   *
   * Lenient about what real DNS holds: mechanism, modifier and version names in any case, runs
   * of whitespace between terms, leading and trailing whitespace, and quoted or split strings
   * (`"v=spf1 " "-all"`). Values that are readable but wrong (a bad address, an out-of-range
   * prefix, a bad macro) are kept in the model for `validate` to report.
   *
   * @param text the record, as plain text or as quoted character-strings
   * @throws RecordSyntaxError when the text is not an SPF record or a term cannot be read
   */
  public static parse(text: string): SpfModel {
    const value = TxtChunks.parse(text);
    if (!VERSION.test(value)) {
      throw new RecordSyntaxError(SPF_RULES.version,
        `The record must begin with "v=spf1" followed by a space or the end; got "${preview(value)}".`);
    }
    const words = value.slice(VERSION_LENGTH).split(/[ \t\r\n]+/).filter((w) => w !== '');
    return { terms: words.map(parseTerm) };
  }

  /**
   * The canonical text of an SPF record: `v=spf1`, then each term separated by one space.
   *
   * @throws Error when `validate` reports an error (for example a malformed term, more than 10
   * lookups or two `redirect` modifiers)
   */
  public static render(model: SpfModel): string {
    return renderModel(SPF_FORMAT, model);
  }

  /**
   * Check an SPF record against every rule of RFC 7208, including the text it is published as
   * (the 450-octet guidance of RFC 7208 §3.4).
   */
  public static validate(model: SpfModel, options: SpfValidationOptions = {}): Finding[] {
    return validateModel(SPF_FORMAT, model, options);
  }

  /**
   * Parse and validate a published SPF record. Never throws: text that is not an SPF record,
   * or cannot be read, is reported as a finding.
   *
   * The character-strings are measured as DNS holds them (255-octet strings, 450-octet answer,
   * ASCII only). Quoted strings are measured as written; plain text is the record's text, which
   * is published split into 255-octet strings, so it is measured split (a record of more than
   * 255 octets is not an error, only the 450-octet guidance applies).
   *
   * @param text the record, as plain text or as quoted character-strings
   */
  public static check(text: string, options: SpfValidationOptions = {}): Finding[] {
    return checkText(SPF_FORMAT, text, options);
  }

  /**
   * Check every TXT value published at one name for SPF (RFC 7208 §4.5): more than one SPF
   * record is `SPF-MULTIPLE-RECORDS`; exactly one is checked as `check` does. Values that
   * look like a mistyped SPF record (`v=spf1-all`, `spf1 -all`, `v=spf10`) are reported too,
   * since receivers ignore them. No SPF record at all is not reported here.
   *
   * @param values all the TXT values at the name
   */
  public static checkRecordSet(values: string[], options: SpfValidationOptions = {}): Finding[] {
    return checkTxtRecordSet(SPF_FORMAT, values, options, {
      isRecord: (v) => Spf.isSpf(v),
      looksLike: (v) => NEAR_MISS.test(safeJoin(v).trim()),
      multiple: {
        rule: SPF_RULES.multipleRecords,
        message: (spf) => `${spf.length} SPF records are published; receivers return permerror. Merge them into one: got ${spf.map((v) => `"${preview(safeJoin(v))}"`).join(', ')}.`,
        checkEach: false,
      },
    });
  }

  /**
   * Count the DNS lookups evaluating the record takes (RFC 7208 §4.6.4).
   */
  public static lookupCount(model: SpfModel, options: SpfValidationOptions = {}): SpfLookupCount {
    let lookups = 0;
    let voidLookupRisk = 0;
    const unknown: string[] = [];
    for (const cost of spfTermCosts(model, options)) {
      lookups += cost.lookups;
      voidLookupRisk += cost.voidLookups;
      if (cost.unknownTarget !== undefined && !unknown.includes(cost.unknownTarget)) unknown.push(cost.unknownTarget);
    }
    return { lookups, unknownIncludes: unknown, voidLookupRisk };
  }

  /**
   * The qualifier of the `all` mechanism that takes effect (the first one), `PASS` when it has
   * no qualifier.
   *
   * @returns the qualifier, or undefined when the record has no `all`
   */
  public static allQualifier(model: SpfModel): SpfQualifier | undefined {
    const all = model.terms.find(isAll);
    return all === undefined ? undefined : all.qualifier ?? SpfQualifier.PASS;
  }

  private constructor() {}
}

/**
 * What each DNS-querying term a receiver evaluates costs (RFC 7208 §4.6.4), in evaluation order:
 * `include`, `a`, `mx`, `ptr`, `exists` and `redirect` 1 each, plus the known cost of an include
 * or redirect target. `all`, `ip4`, `ip6`, `exp`, unknown modifiers, terms after `all`, and a
 * `redirect` ignored because of an `all` cost nothing and are left out.
 *
 * `voidLookups` counts what may return no answer for a host that matches nothing: an `exists`
 * (a miss is an NXDOMAIN by design), an `a` or `mx` whose domain-spec holds a macro, and a
 * target's known void lookups. `unknownTarget` is set when an include or redirect target's cost
 * is not known (only the term itself is counted).
 *
 * @internal
 */
export function spfTermCosts(model: SpfModel, options: SpfValidationOptions = {}):
Array<{ readonly term: string; readonly lookups: number; readonly voidLookups: number; readonly unknownTarget?: string }> {
  const costs = new Map<string, SpfIncludeCost>();
  for (const c of options.includeCosts ?? []) {
    costs.set(normaliseDomainName(c.domain), c);
  }
  const out: Array<{ term: string; lookups: number; voidLookups: number; unknownTarget?: string }> = [];
  const withTarget = (t: SpfTerm) => {
    const spec = t.domainSpec;
    const cost = spec === undefined ? undefined : costs.get(normaliseDomainName(spec));
    if (cost === undefined) {
      const term = { term: renderTerm(t), lookups: 1, voidLookups: 0 };
      out.push(spec === undefined ? term : { ...term, unknownTarget: spec });
      return;
    }
    out.push({ term: renderTerm(t), lookups: 1 + cost.lookups, voidLookups: cost.voidLookups ?? 0 });
  };
  for (const t of evaluatedTerms(model)) {
    switch (t.mechanism) {
      case SpfMechanism.INCLUDE:
        withTarget(t);
        break;
      case SpfMechanism.A:
      case SpfMechanism.MX:
        out.push({ term: renderTerm(t), lookups: 1, voidLookups: t.domainSpec !== undefined && hasMacro(t.domainSpec) ? 1 : 0 });
        break;
      case SpfMechanism.EXISTS:
        out.push({ term: renderTerm(t), lookups: 1, voidLookups: 1 });
        break;
      case SpfMechanism.PTR:
        out.push({ term: renderTerm(t), lookups: 1, voidLookups: 0 });
        break;
      default:
        break;
    }
  }
  // RFC 7208 §5.1: redirect is ignored when an "all" is present, wherever it is written.
  if (!(model.terms ?? []).some(isAll)) {
    const redirect = (model.terms ?? []).find((t) => t.mechanism === undefined && t.modifier === REDIRECT);
    if (redirect !== undefined) {
      withTarget(redirect);
    }
  }
  return out;
}

/**
 * The lookups of each term that costs any, for a message: `include:_spf.google.com (4),
 * include:other.example (1, its own lookups unknown)`.
 * @internal
 */
export function describeSpfLookups(model: SpfModel, options: SpfValidationOptions = {}, voidOnly: boolean = false): string {
  return spfTermCosts(model, options)
    .filter((c) => (voidOnly ? c.voidLookups > 0 : c.lookups > 0))
    .map((c) => {
      const n = voidOnly ? c.voidLookups : c.lookups;
      return `${c.term} (${n}${!voidOnly && c.unknownTarget !== undefined ? ', its own lookups unknown' : ''})`;
    })
    .join(', ');
}

/** RFC 7208 §4.5: `v=spf1` then a space or the end; ABNF literals are case-insensitive. */
const VERSION = /^v=spf1(?: |$)/i;
const VERSION_LENGTH = 'v=spf1'.length;
/** Values that look like an attempt at an SPF record, but that receivers will not select. */
const NEAR_MISS = /^(?:v\s*=\s*)?spf1/i;
const QUALIFIERS: ReadonlyArray<string> = [SpfQualifier.PASS, SpfQualifier.FAIL, SpfQualifier.SOFTFAIL, SpfQualifier.NEUTRAL];
const MECHANISMS: ReadonlyArray<string> = Object.values(SpfMechanism);
/** A prefix length as the ABNF writes it: no leading zeros. */
const CIDR = '(0|[1-9][0-9]*)';
const DUAL_CIDR_ONLY = new RegExp(`^(?:/${CIDR})?(?://${CIDR})?$`);
const DOMAIN_AND_DUAL_CIDR = new RegExp(`^(.*?)(?:/${CIDR})?(?://${CIDR})?$`, 's');
const NETWORK_AND_CIDR = new RegExp(`^([^/]*)/${CIDR}$`);

function parseTerm(word: string): SpfTerm {
  let rest = word;
  let qualifier: SpfQualifier | undefined;
  if (QUALIFIERS.includes(rest[0])) {
    qualifier = rest[0] as SpfQualifier;
    rest = rest.slice(1);
  }
  const nameMatch = /^[^:/=]*/.exec(rest)!;
  const name = nameMatch[0];
  const after = rest.slice(name.length);

  if (after.startsWith('=')) {
    // RFC 7208 §12: modifier = name "=" macro-string; modifiers take no qualifier.
    if (!isModifierName(name)) {
      throw malformed(`"${word}" is neither a mechanism nor a modifier: "${name}" is not a modifier name`);
    }
    if (qualifier !== undefined) {
      throw malformed(`a modifier takes no qualifier; got "${word}"`);
    }
    return { modifier: name.toLowerCase(), domainSpec: after.slice(1) };
  }

  const lower = name.toLowerCase();
  if (name === '') {
    throw malformed(`"${word}" has no mechanism name`);
  }
  if (!MECHANISMS.includes(lower)) {
    const where = name === word ? '' : ` in "${word}"`;
    // A common slip: "redirect:" or "exp:" written as if they were mechanisms.
    const hint = lower === REDIRECT || lower === EXP ? `; "${lower}" is a modifier, written "${lower}=<domain>"` : '';
    throw new RecordSyntaxError(SPF_RULES.unknownMechanism,
      `Unknown mechanism "${name}"${where}${hint}; a receiver returns permerror.`);
  }
  const mechanism = lower as SpfMechanism;
  const base: SpfTerm = qualifier === undefined ? { mechanism } : { mechanism, qualifier };

  switch (mechanism) {
    case SpfMechanism.ALL:
      if (after !== '') throw malformed(`"all" takes no argument; got "${word}"`);
      return base;
    case SpfMechanism.INCLUDE:
    case SpfMechanism.EXISTS:
      if (!after.startsWith(':')) throw malformed(`"${mechanism}" needs ":" and a domain; got "${word}"`);
      return { ...base, domainSpec: after.slice(1) };
    case SpfMechanism.PTR:
      if (after === '') return base;
      if (!after.startsWith(':')) throw malformed(`"ptr" takes only ":" and a domain; got "${word}"`);
      return { ...base, domainSpec: after.slice(1) };
    case SpfMechanism.A:
    case SpfMechanism.MX: {
      if (after === '') return base;
      if (after.startsWith('/')) {
        const m = DUAL_CIDR_ONLY.exec(after);
        if (!m) throw malformed(`"${word}" has a malformed prefix length: write "/<0-32>", "//<0-128>" or both`);
        return withCidrs(base, m[1], m[2]);
      }
      const m = DOMAIN_AND_DUAL_CIDR.exec(after.slice(1))!;
      return withCidrs({ ...base, domainSpec: m[1] }, m[2], m[3]);
    }
    case SpfMechanism.IP4:
    case SpfMechanism.IP6: {
      if (!after.startsWith(':')) throw malformed(`"${mechanism}" needs ":" and a network; got "${word}"`);
      const arg = after.slice(1);
      const m = NETWORK_AND_CIDR.exec(arg);
      if (!m) return { ...base, ip: arg };
      const prefix = Number(m[2]);
      return mechanism === SpfMechanism.IP4
        ? { ...base, ip: m[1], cidr4: prefix }
        : { ...base, ip: m[1], cidr6: prefix };
    }
  }
}

function withCidrs(term: SpfTerm, cidr4: string | undefined, cidr6: string | undefined): SpfTerm {
  let out = term;
  if (cidr4 !== undefined) out = { ...out, cidr4: Number(cidr4) };
  if (cidr6 !== undefined) out = { ...out, cidr6: Number(cidr6) };
  return out;
}

function malformed(message: string): RecordSyntaxError {
  return new RecordSyntaxError(SPF_RULES.malformedTerm, `Malformed term: ${message}.`);
}

function writeSpf(model: SpfModel): string {
  return ['v=spf1', ...model.terms.map(renderTerm)].join(' ');
}

function renderTerm(t: SpfTerm): string {
  if (t.mechanism === undefined) {
    return `${t.modifier ?? ''}=${t.domainSpec ?? ''}`;
  }
  let out = `${t.qualifier ?? ''}${t.mechanism}`;
  if (t.ip !== undefined) out += `:${t.ip}`;
  if (t.domainSpec !== undefined) out += `:${t.domainSpec}`;
  if (t.mechanism === SpfMechanism.IP6) {
    if (t.cidr6 !== undefined) out += `/${t.cidr6}`;
    if (t.cidr4 !== undefined) out += `/${t.cidr4}`;
    return out;
  }
  if (t.cidr4 !== undefined) out += `/${t.cidr4}`;
  if (t.cidr6 !== undefined) out += `//${t.cidr6}`;
  return out;
}

/** The arguments each mechanism takes: R required, O optional, absent forbidden. */
const SHAPES: Record<string, { domainSpec?: 'R' | 'O'; ip?: 'R'; cidr4?: 'O'; cidr6?: 'O' }> = {
  [SpfMechanism.ALL]: {},
  [SpfMechanism.INCLUDE]: { domainSpec: 'R' },
  [SpfMechanism.EXISTS]: { domainSpec: 'R' },
  [SpfMechanism.PTR]: { domainSpec: 'O' },
  [SpfMechanism.A]: { domainSpec: 'O', cidr4: 'O', cidr6: 'O' },
  [SpfMechanism.MX]: { domainSpec: 'O', cidr4: 'O', cidr6: 'O' },
  [SpfMechanism.IP4]: { ip: 'R', cidr4: 'O' },
  [SpfMechanism.IP6]: { ip: 'R', cidr6: 'O' },
};
const ARGUMENTS = ['domainSpec', 'ip', 'cidr4', 'cidr6'] as const;

function spfRules(model: SpfModel, options: SpfValidationOptions): Finding[] {
  const path = options.name;
  const out: Finding[] = [];
  const add = (r: RuleDefinition, message: string) => out.push(finding(r, message, path));
  const terms = model.terms ?? [];

  terms.forEach((t) => validateTerm(t, add));

  // RFC 7208 §6: redirect and exp at most once each.
  for (const name of [REDIRECT, EXP]) {
    const n = terms.filter((t) => t.mechanism === undefined && t.modifier === name).length;
    if (n > 1) {
      add(SPF_RULES.duplicateModifier, `"${name}" appears ${n} times; it may appear once. A receiver returns permerror.`);
    }
  }

  // RFC 7208 §5.1: the first "all" ends evaluation.
  const firstAll = terms.findIndex(isAll);
  if (firstAll >= 0) {
    const after = terms.slice(firstAll + 1).filter((t) => t.mechanism !== undefined);
    if (after.length > 0) {
      add(SPF_RULES.termsAfterAll, `Mechanisms after "${renderTerm(terms[firstAll])}" are never evaluated; got ${after.map((t) => `"${renderTerm(t)}"`).join(', ')}.`);
    }
    const all = terms[firstAll];
    if (all.qualifier === undefined || all.qualifier === SpfQualifier.PASS) {
      add(SPF_RULES.passAll, `"${renderTerm(all)}" lets any host send as this domain; use "-all" or "~all".`);
    }
    const redirect = terms.find((t) => t.mechanism === undefined && t.modifier === REDIRECT);
    if (redirect !== undefined) {
      add(SPF_RULES.redirectWithAll, `"${renderTerm(redirect)}" is ignored because the record has "${renderTerm(all)}".`);
    }
  } else if (!terms.some((t) => t.mechanism === undefined && t.modifier === REDIRECT)) {
    add(SPF_RULES.noAll, 'The record has no "all" and no "redirect", so a host matching nothing gets neutral; end it with "-all" or "~all".');
  }

  const evaluated = evaluatedTerms(model);
  const seen = new Set<string>();
  for (const t of evaluated) {
    if (t.mechanism === undefined) continue;
    const key = mechanismKey(t);
    if (seen.has(key)) {
      add(SPF_RULES.duplicateTerm, `"${renderTerm(t)}" repeats an earlier term.`);
    }
    seen.add(key);
    if (t.mechanism === SpfMechanism.MX) {
      add(SPF_RULES.mxAddressLookups, `"${renderTerm(t)}" looks up the address of every MX host; keep the domain to at most 10 MX hosts.`);
    }
  }

  const count = Spf.lookupCount(model, options);
  if (count.lookups > LOOKUP_LIMIT) {
    add(SPF_RULES.lookupLimit, `Evaluating the record takes ${count.lookups} DNS lookups; the limit is ${LOOKUP_LIMIT}. Lookups by term, nested includes counted: ${describeSpfLookups(model, options)}.`);
  }
  for (const domain of count.unknownIncludes) {
    add(SPF_RULES.lookupCostUnknown, `The lookups "${domain}" adds are unknown; counted as 1 for the term alone.`);
  }
  if (count.voidLookupRisk > VOID_LOOKUP_LIMIT) {
    add(SPF_RULES.voidLookupLimit, `Up to ${count.voidLookupRisk} lookups may return no answer for a host that matches nothing; above ${VOID_LOOKUP_LIMIT} is a permerror. By term: ${describeSpfLookups(model, options, true)}.`);
  }
  return out;
}

type Add = (r: RuleDefinition, message: string) => void;

function validateTerm(t: SpfTerm, add: Add): void {
  const shown = renderTerm(t);
  if ((t.mechanism === undefined) === (t.modifier === undefined)) {
    add(SPF_RULES.malformedTerm, `A term is either a mechanism or a modifier; got ${JSON.stringify(t)}.`);
    return;
  }
  if (t.mechanism === undefined) {
    validateModifier(t, t.modifier!, shown, add);
    return;
  }
  const shape = SHAPES[t.mechanism];
  if (shape === undefined) {
    add(SPF_RULES.unknownMechanism, `Unknown mechanism "${t.mechanism}"; a receiver returns permerror.`);
    return;
  }
  if (t.qualifier !== undefined && !QUALIFIERS.includes(t.qualifier)) {
    add(SPF_RULES.malformedTerm, `A qualifier is one of + - ~ ?; got "${t.qualifier}".`);
  }
  let shapeOk = true;
  for (const arg of ARGUMENTS) {
    const present = t[arg] !== undefined;
    if (present && shape[arg] === undefined) {
      add(SPF_RULES.malformedTerm, `"${t.mechanism}" takes no ${arg}; got "${shown}".`);
      shapeOk = false;
    } else if (!present && shape[arg] === 'R') {
      add(SPF_RULES.malformedTerm, `"${t.mechanism}" needs a ${arg}; got "${shown}".`);
      shapeOk = false;
    }
  }
  if (!shapeOk) return;

  if (t.domainSpec !== undefined) {
    validateDomainSpec(t.domainSpec, shown, add);
  }
  if (t.mechanism === SpfMechanism.PTR) {
    add(SPF_RULES.ptr, `"${shown}" SHOULD NOT be published; list the senders' addresses or includes instead.`);
  }
  if (t.mechanism === SpfMechanism.IP4 && !isIp4Network(t.ip!)) {
    add(SPF_RULES.invalidIp4, `"${shown}" does not hold an IPv4 address; got "${t.ip}".`);
  }
  if (t.mechanism === SpfMechanism.IP6 && !isIp6Network(t.ip!)) {
    add(SPF_RULES.invalidIp6, `"${shown}" does not hold an IPv6 address; got "${t.ip}".`);
  }
  if (t.cidr4 !== undefined && !inRange(t.cidr4, 32)) {
    add(SPF_RULES.cidrRange, `An IPv4 prefix length is 0–32; got ${t.cidr4} in "${shown}".`);
  }
  if (t.cidr6 !== undefined && !inRange(t.cidr6, 128)) {
    add(SPF_RULES.cidrRange, `An IPv6 prefix length is 0–128; got ${t.cidr6} in "${shown}".`);
  }
}

function validateModifier(t: SpfTerm, name: string, shown: string, add: Add): void {
  const extras = [t.qualifier !== undefined && 'qualifier', t.ip !== undefined && 'ip', t.cidr4 !== undefined && 'cidr4', t.cidr6 !== undefined && 'cidr6']
    .filter((x): x is string => typeof x === 'string');
  if (extras.length > 0) {
    add(SPF_RULES.malformedTerm, `A modifier has only a name and a value; "${name}" also has ${extras.join(', ')}.`);
    return;
  }
  if (!isModifierName(name) || name !== name.toLowerCase()) {
    add(SPF_RULES.malformedTerm, `A modifier name is a letter then letters, digits, "-", "_" or ".", held in lower case; got "${name}".`);
    return;
  }
  if (t.domainSpec === undefined) {
    add(SPF_RULES.malformedTerm, `A modifier has a value (set domainSpec, "" for an empty one); got none for "${name}".`);
    return;
  }
  if (name === REDIRECT || name === EXP) {
    validateDomainSpec(t.domainSpec, shown, add);
    return;
  }
  if (name === 'v' && t.domainSpec.toLowerCase() === 'spf1') {
    add(SPF_RULES.versionAsTerm, `"${shown}" appears among the terms: receivers ignore it as an unknown modifier. If two records were run together, merge their terms into one record.`);
    return;
  }
  add(SPF_RULES.unknownModifier, `"${shown}" is not a modifier receivers know; they ignore it.`);
  // RFC 7208 §12: an unknown modifier's value is a macro-string; RFC 7208 §6 says receivers
  // ignore it, so the explanation-only letters are not held against it.
  const scan = scanMacroString(t.domainSpec, true);
  for (const p of scan.macroProblems) add(SPF_RULES.invalidMacro, `In "${shown}": ${p}.`);
  for (const p of scan.literalProblems) add(SPF_RULES.invalidDomainSpec, `In "${shown}": ${p}.`);
}

function validateDomainSpec(spec: string, shown: string, add: Add): void {
  const scan = scanMacroString(spec, false);
  for (const p of scan.macroProblems) add(SPF_RULES.invalidMacro, `In "${shown}": ${p}.`);
  if (scan.tokens.some((tk) => tk.letter !== undefined && tk.letter.toLowerCase() === 'p')) {
    add(SPF_RULES.ptr, `"${shown}" uses the "%{p}" macro, which SHOULD NOT be used.`);
  }
  const literalProblems = [...new Set(scan.literalProblems)];
  for (const p of literalProblems) add(SPF_RULES.invalidDomainSpec, `In "${shown}": ${p}.`);
  if (scan.macroProblems.length === 0 && literalProblems.length === 0) {
    for (const p of domainEndProblems(spec, scan.tokens)) add(SPF_RULES.invalidDomainSpec, `In "${shown}": ${p}.`);
  }
}

/** The terms a receiver evaluates: every modifier, and the mechanisms up to the first `all`. */
function evaluatedTerms(model: SpfModel): SpfTerm[] {
  const terms = model.terms ?? [];
  const firstAll = terms.findIndex(isAll);
  if (firstAll < 0) return terms;
  return terms.filter((t, i) => i <= firstAll || t.mechanism === undefined);
}

function isAll(t: SpfTerm): boolean {
  return t.mechanism === SpfMechanism.ALL;
}

/** What makes two mechanisms the same, whatever their qualifiers (names are case-insensitive). */
function mechanismKey(t: SpfTerm): string {
  const domain = t.domainSpec === undefined ? null : normaliseDomainName(t.domainSpec);
  return JSON.stringify([t.mechanism, domain, t.ip?.toLowerCase() ?? null, t.cidr4 ?? null, t.cidr6 ?? null]);
}


function hasMacro(spec: string): boolean {
  return spec.includes('%{');
}

function inRange(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}

/** The joined text of a TXT value given plain or quoted; tolerates a non-string from JavaScript. */
function safeJoin(text: string): string {
  return typeof text === 'string' ? TxtChunks.parse(text) : '';
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** SPF in the one record-model contract (see `private/record-model.ts`). */
const SPF_FORMAT: RecordFormat<SpfModel, SpfValidationOptions> = {
  what: 'SPF record',
  type: 'TXT',
  parse: (text) => Spf.parse(text),
  write: writeSpf,
  rules: spfRules,
  unreadable: SPF_RULES.malformedTerm,
  // Non-ASCII is reported per term by the rules.
  txt: { asciiInRules: true },
};
