/**
 * How serious a finding is.
 *
 * The values are the words every report uses (`error`, `warning`, `info`).
 */
export enum Severity {
  /** The record breaks an RFC or the government standard: it must be fixed. */
  ERROR = 'error',
  /** Legal, but weaker than the standard asks for, or likely to break. */
  WARNING = 'warning',
  /** Worth knowing; nothing to fix. */
  INFO = 'info',
}

/**
 * A rule the library checks: an RFC requirement or a UK government expectation.
 *
 * The same rule id and source appear wherever a finding is reported: a synth-time error,
 * a warning annotation, a cdk-nag finding or a CLI line.
 */
export interface RuleDefinition {
  /** Stable identifier, for example `SPF-LOOKUP-LIMIT` or `GOVUK-DMARC-POLICY`. */
  readonly id: string;
  /** The severity a breach of this rule is reported with. */
  readonly severity: Severity;
  /** One line saying what the rule requires. */
  readonly summary: string;
  /** Where the rule comes from: RFC and section, or the guidance page. */
  readonly source: string;
}

/**
 * What a finding is about: the record it judges, named as DNS names it, so every report places
 * the finding by data (a cdk-nag resource, a zone-file line, a SARIF location) and never by
 * reading its message.
 */
export interface FindingSubject {
  /**
   * The DNS name of the record: lower case, without the trailing dot, for example
   * `_dmarc.dept.gov.uk`. For the DKIM keys of a domain as a whole (no key at any selector), the
   * name under which they are published, `_domainkey.<domain>`.
   */
  readonly name: string;

  /**
   * The type of the record at `name`: a DNS record type (`TXT`, `MX`, `CAA`, `CNAME`, …), or
   * for what a domain publishes that is not a DNS record: `MTA-STS-POLICY` (the MTA-STS policy
   * file served at `https://<name>/.well-known/mta-sts.txt`), `HTTPS` (the TLS versions the
   * HTTPS host at `name` accepts) or `SES-IDENTITY` (how SES sends mail for `name`).
   */
  readonly type: string;

  /**
   * For `GOVUK-NOT-EVALUATED`: the part of the domain's posture that could not be evaluated, as
   * `DomainPosture.unresolved` names it: a posture field name (`apexTxt`, `mx`, `dmarc`,
   * `mtaStsTxt`, `mtaStsPolicy`, `tlsRpt`, `dkim`, `dkimWildcard`, `caa`,
   * `reportAuthorisations`, `sesTlsRequired` or `policyHostMinimumTls`).
   *
   * @default - the finding is about the record's value, not about a value that is not known
   */
  readonly field?: string;
}

/** `FindingSubject.type` for the MTA-STS policy file served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`. @internal */
export const SUBJECT_MTA_STS_POLICY = 'MTA-STS-POLICY';
/** `FindingSubject.type` for the TLS versions an HTTPS host accepts (the MTA-STS policy host). @internal */
export const SUBJECT_HTTPS = 'HTTPS';
/** `FindingSubject.type` for how SES sends mail for a domain (its identities and their configuration sets). @internal */
export const SUBJECT_SES_IDENTITY = 'SES-IDENTITY';

/**
 * One thing a check found about a record or a domain.
 */
export interface Finding {
  /** The id of the rule that produced this finding. */
  readonly ruleId: string;
  /** How serious it is. */
  readonly severity: Severity;
  /** What was found, naming the value that caused it. */
  readonly message: string;
  /** The RFC section or guidance the rule comes from. */
  readonly source: string;
  /**
   * Where the finding applies: a DNS name, a construct path or a resource.
   *
   * @default - the record being checked
   */
  readonly path?: string;
  /**
   * The record the finding is about (its DNS name and type, and for `GOVUK-NOT-EVALUATED` the
   * posture field), so a report places the finding by data rather than by its message.
   *
   * @default - not known: the finding was made without a record name (for example
   * `Spf.check(text)` with no `name`)
   */
  readonly subject?: FindingSubject;
}

/**
 * Build a finding for a rule. Internal helper shared by every record module.
 * @internal
 */
export function finding(definition: RuleDefinition, message: string, path?: string, severity?: Severity, subject?: FindingSubject): Finding {
  const f: Finding = {
    ruleId: definition.id,
    severity: severity ?? definition.severity,
    message,
    source: definition.source,
  };
  const withPath = path === undefined ? f : { ...f, path };
  return subject === undefined ? withPath : { ...withPath, subject };
}

/**
 * The subject of a finding about the record of this type at this DNS name (lower-cased, its
 * trailing dot removed). Internal helper shared by every record module and the profile.
 * @internal
 */
export function subjectOf(name: string, type: string, field?: string): FindingSubject {
  const subject: FindingSubject = { name: String(name).toLowerCase().replace(/\.$/, ''), type };
  return field === undefined ? subject : { ...subject, field };
}

/**
 * The findings, each given this subject unless it already has one (a finding made closer to the
 * record knows better). With no subject, the findings as they are.
 * @internal
 */
export function withSubject(findings: Finding[], subject: FindingSubject | undefined): Finding[] {
  if (subject === undefined) return findings;
  return findings.map((f) => (f.subject === undefined ? { ...f, subject } : f));
}

/**
 * `withSubject` for a record of a type at a DNS name that may not be given.
 * @internal
 */
export function aboutRecord(findings: Finding[], name: string | undefined, type: string): Finding[] {
  return name === undefined ? findings : withSubject(findings, subjectOf(name, type));
}

/**
 * Define a rule. Internal helper: each record module declares its rules as data with it.
 * @internal
 */
export function rule(id: string, severity: Severity, summary: string, source: string): RuleDefinition {
  return { id, severity, summary, source };
}

/**
 * The findings with repeats left out: the same rule on the same path with the same message is
 * reported once, in the order first seen.
 * @internal
 */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.path ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
