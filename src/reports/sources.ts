/**
 * Who sends mail as a domain: each source in a DMARC aggregate report classified by the sender
 * catalogue (src/senders), from what the report itself says: the DKIM domains that signed, the
 * SPF domains that passed and the MAIL FROM domain. No DNS is looked up.
 */
import { DmarcRecordRow } from './model';
import { organisationalDomainOf } from '../records/private/dmarc-org-domain';
import { SENDER_SIGNATURES, SenderSignature, matchesDomainPattern } from '../senders/private/signatures';
import { REPORT_RULES } from '../standard/report-rules';

/** What a report says about one source, as the classifier reads it. */
export interface SenderEvidence {
  /** The sending IP address. */
  readonly sourceIp: string;
  /** The RFC5322.From domain. */
  readonly headerFrom: string;
  /** The RFC5321.MailFrom domain, when the reporter gave it (not authenticated by itself). */
  readonly envelopeFrom?: string;
  /** The `d=` domains of the DKIM signatures that passed. */
  readonly dkimDomains: string[];
  /** The domains SPF passed for (`mfrom` or `helo`). */
  readonly spfDomains: string[];
  /** Whether the messages passed DMARC (aligned DKIM or aligned SPF passed). */
  readonly dmarcPass: boolean;
}

/** Which sender a source is, and why. */
export interface SenderClass {
  /** `microsoft-365`, `amazon-ses`, `google-workspace`, `govuk-notify`, `custom` or `unknown`. */
  readonly id: string;
  /** For people: the service's name, `Custom sender` or `Unknown`. */
  readonly name: string;
  /** One sentence: the evidence the class rests on. */
  readonly reason: string;
}

/** The class ids, stable: stored rows and metrics carry them. */
export const SENDER_CLASS_IDS = {
  MICROSOFT_365: 'microsoft-365',
  AMAZON_SES: 'amazon-ses',
  GOOGLE_WORKSPACE: 'google-workspace',
  GOVUK_NOTIFY: 'govuk-notify',
  /** Passes DMARC with the domain's own aligned DKIM or SPF, and matches no catalogue sender. */
  CUSTOM: 'custom',
  /** Matches no catalogue sender and does not pass DMARC. */
  UNKNOWN: 'unknown',
} as const;

/** Every class id, catalogue senders first. */
export const SENDER_CLASSES: string[] = [...SENDER_SIGNATURES.map((s) => s.id), SENDER_CLASS_IDS.CUSTOM, SENDER_CLASS_IDS.UNKNOWN];

/**
 * The rules of the every-source view of `gov-email reports`: the sources it calls out. They are
 * report rules (REPORT_RULES, in the rule catalogue); the ids are stable: SARIF results and
 * acknowledgements carry them.
 */
export const SOURCE_RULES = {
  dkimOnly: REPORT_RULES.sourceDkimOnly,
  failing: REPORT_RULES.sourceFailing,
};

/** What makes a catalogue sender's mail pass DMARC as the department's domain; undefined for custom and unknown. */
export function senderSetUp(id: string): string | undefined {
  return SENDER_SIGNATURES.find((s) => s.id === id)?.setUp;
}

/** The SPF include the catalogue publishes for a sender class, if any. */
export function senderSpfInclude(id: string): string | undefined {
  return SENDER_SIGNATURES.find((s) => s.id === id)?.spfInclude;
}

/** The name of a class id, for people; the id itself when it is not one. */
export function senderClassName(id: string): string {
  if (id === SENDER_CLASS_IDS.CUSTOM) return 'Custom sender';
  if (id === SENDER_CLASS_IDS.UNKNOWN) return 'Unknown';
  return SENDER_SIGNATURES.find((s) => s.id === id)?.name ?? id;
}

/**
 * Classify a source. Evidence the receiver authenticated (a DKIM signature or SPF that passed)
 * comes first, catalogue senders in order (GOV.UK Notify before the Amazon SES it sends
 * through); then the MAIL FROM domain, which is only claimed; then `custom` for a source that
 * passes DMARC as the domain itself, and `unknown` for the rest. Never throws; the same evidence
 * always gives the same class.
 */
export function classifySender(input: SenderEvidence): SenderClass {
  const dkim = domains(input.dkimDomains);
  const spf = domains(input.spfDomains);
  for (const sig of SENDER_SIGNATURES) {
    const d = dkim.find((x) => sig.dkimDomains.some((p) => matchesDomainPattern(x, p)));
    if (d !== undefined) return found(sig, `DKIM signature by ${d} passed: ${sig.basis}.`);
    const s = spf.find((x) => sig.spfDomains.some((p) => matchesDomainPattern(x, p)));
    if (s !== undefined) return found(sig, `SPF passed for ${s}: ${sig.basis}.`);
  }
  const envelope = domain(input.envelopeFrom);
  if (envelope !== '') {
    for (const sig of SENDER_SIGNATURES) {
      if (sig.spfDomains.some((p) => matchesDomainPattern(envelope, p))) {
        return found(sig, `MAIL FROM is ${envelope}, though neither DKIM nor SPF confirmed it: ${sig.basis}.`);
      }
    }
  }
  const from = domain(input.headerFrom);
  if (input.dmarcPass === true) {
    const org = from === '' ? '' : organisationalDomainOf(from);
    const aligned = (x: string) => org !== '' && organisationalDomainOf(x) === org;
    const d = dkim.find(aligned);
    const s = spf.find(aligned);
    const how = d !== undefined ? `DKIM signature by ${d}` : s !== undefined ? `SPF for ${s}` : 'aligned DKIM or SPF';
    return { id: SENDER_CLASS_IDS.CUSTOM, name: senderClassName(SENDER_CLASS_IDS.CUSTOM), reason: `Passes DMARC with ${how}, and matches no catalogue sender.` };
  }
  const seen = [...dkim.map((x) => `DKIM ${x}`), ...spf.map((x) => `SPF ${x}`)];
  return {
    id: SENDER_CLASS_IDS.UNKNOWN,
    name: senderClassName(SENDER_CLASS_IDS.UNKNOWN),
    reason: `Fails DMARC and matches no catalogue sender (${seen.length > 0 ? `passed: ${seen.join(', ')}` : 'no DKIM or SPF passed'}).`,
  };
}

/**
 * The evidence in one record of a parsed DMARC aggregate report: the DKIM and SPF results that
 * passed (a failed signature or SPF check proves nothing about who sent), the MAIL FROM domain
 * and the DMARC result.
 */
export function senderEvidence(row: DmarcRecordRow): SenderEvidence {
  const passed = (results: ReadonlyArray<{ domain: string; result: string }>) =>
    unique(results.filter((r) => typeof r.result === 'string' && r.result.toLowerCase() === 'pass').map((r) => domain(r.domain)).filter((d) => d !== ''));
  return {
    sourceIp: row.sourceIp,
    headerFrom: row.headerFrom,
    ...(row.envelopeFrom === undefined ? {} : { envelopeFrom: row.envelopeFrom }),
    dkimDomains: passed(row.dkimResults),
    spfDomains: passed(row.spfResults),
    dmarcPass: row.dmarcPass,
  };
}

/** The class of one record of a parsed DMARC aggregate report. */
export function classifyRecord(row: DmarcRecordRow): SenderClass {
  return classifySender(senderEvidence(row));
}

function found(sig: SenderSignature, reason: string): SenderClass {
  return { id: sig.id, name: sig.name, reason };
}

function domains(values: unknown): string[] {
  return Array.isArray(values) ? unique(values.map(domain).filter((d) => d !== '')) : [];
}

function domain(value: unknown): string {
  return typeof value === 'string' ? value.trim().replace(/\.$/, '').toLowerCase() : '';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
