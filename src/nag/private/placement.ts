/**
 * Which resource a finding belongs on, read from the finding's subject: the DNS name and type of
 * the record it judges (or the MTA-STS policy file, the policy host's TLS, the SES sending of the
 * domain), and for GOVUK-NOT-EVALUATED the posture field that is not known. A finding about a
 * record that is not in the app (DMARC missing, say) goes where the rule's data says the record
 * is required from (an MTA-STS record is required by the MX), else on the resource that defines
 * the domain: its apex SPF record, else its MX, else its SES identity.
 *
 * Nothing here reads a finding's message or the shape of its rule id: rewording a message or
 * adding a rule moves no finding.
 */
import { unknownDkim } from './unknown-dkim';
import { ASSEMBLY_RULES, EmailDomain } from '../../assembly/domains';
import { mtaStsPoliciesInCode } from '../../assembly/mta-sts-function';
import { CloudFrontDistribution, DnsRecord, EmailResources, ResourceOrigin, SesIdentity, originText } from '../../assembly/resources';
import { DKIM_RULES } from '../../records/dkim';
import { Finding, FindingSubject, SUBJECT_HTTPS, SUBJECT_MTA_STS_POLICY, SUBJECT_SES_IDENTITY } from '../../records/finding';
import { Spf } from '../../records/spf';
import { TxtChunks } from '../../records/txt';
import { GOVUK_RULES as R } from '../../standard/govuk-rules';
import { DomainPosture } from '../../standard/posture';
import { GovUkProfile } from '../../standard/profile';

/** What placement knows about the domain a finding is for. */
export interface PlacementContext {
  readonly domain: EmailDomain;
  readonly resources: EmailResources;
  /** The posture evaluated (absent when the domain's name is not known). */
  readonly posture?: DomainPosture;
}

/** A resource a finding is reported on. */
export interface Target {
  readonly origin: ResourceOrigin;
  /** Where in the resource, e.g. `Properties/RecordSets/2`. */
  readonly location: string;
  /** Appended to the message: for GOVUK-NOT-EVALUATED, the value that is not known. */
  readonly note?: string;
}

type Placer = (subject: FindingSubject, ctx: PlacementContext) => Target[];

/**
 * Rules whose findings are about every record set of a kind rather than the records at the
 * subject: a conflict is on each of the record sets that publish the same name and type.
 */
const PLACED_BY_RULE: Readonly<Record<string, Placer>> = {
  [ASSEMBLY_RULES.duplicateRecordSet.id]: conflictingRecordSets,
};

/**
 * Where a finding goes when the app publishes nothing at its subject (the record is missing):
 * beside what makes the record required. Rules not listed go on the resource that defines the
 * domain.
 */
const WHEN_ABSENT: Readonly<Record<string, Placer>> = {
  // An external report destination's authorisation is required by the DMARC record's rua.
  [R.dmarcReportAuthorisation.id]: (_s, ctx) => recordsAt(ctx, `_dmarc.${ctx.domain.domain}`, ['TXT']).map(recordTarget),
  // Required because the domain receives mail: reported where the MX is.
  [R.mtaStsMissing.id]: (_s, ctx) => recordsAt(ctx, ctx.domain.domain, ['MX']).map(recordTarget),
  [R.tlsRptMissing.id]: (_s, ctx) => recordsAt(ctx, ctx.domain.domain, ['MX']).map(recordTarget),
  // A selector a service signs with: the SES identity that signs with it.
  [R.dkimMissing.id]: signingIdentities,
};

/** Rules about DKIM keys: about an SES identity, they are about its DKIM signing attributes. */
const DKIM_RULE_IDS: ReadonlySet<string> = new Set(Object.values(DKIM_RULES).map((r) => r.id));

/** The resources a finding belongs on: never empty while the domain has a record or an SES identity. */
export function placeFinding(f: Finding, ctx: PlacementContext): Target[] {
  const targets = dedupe(f.subject === undefined ? withoutSubject(f, ctx) : bySubject(f.ruleId, f.subject, ctx));
  return targets.length > 0 ? targets : anchor(ctx);
}

function bySubject(ruleId: string, subject: FindingSubject, ctx: PlacementContext): Target[] {
  if (subject.field !== undefined) return notEvaluatedTargets(subject, ctx);
  switch (subject.type) {
    case SUBJECT_MTA_STS_POLICY:
      return policyTargets(subject, ctx);
    case SUBJECT_HTTPS:
      return policyHostTargets(subject, ctx);
    case SUBJECT_SES_IDENTITY:
      return sesTlsTargets(ctx);
    default:
      break;
  }
  const byRule = PLACED_BY_RULE[ruleId];
  if (byRule !== undefined) return byRule(subject, ctx);
  const found = recordsAt(ctx, subject.name, typesHolding(subject.type));
  if (found.length > 0) return found.map(recordTarget);
  return WHEN_ABSENT[ruleId]?.(subject, ctx) ?? [];
}

/**
 * A finding made without a subject: one about a resource names it by `<stack>/<logicalId>` in
 * its path (an SES identity's Easy DKIM key length); one about a domain whose own name is not
 * known is about every resource of it.
 */
function withoutSubject(f: Finding, ctx: PlacementContext): Target[] {
  const d = ctx.domain;
  const identity = d.sesIdentities.find((i) => originText(i.origin) === f.path);
  if (identity !== undefined) return [identityTarget(identity, DKIM_RULE_IDS.has(f.ruleId) ? 'Properties/DkimSigningAttributes' : 'Properties')];
  const record = d.records.find((r) => originText(r.origin) === f.path);
  if (record !== undefined) return [recordTarget(record)];
  if (ctx.posture === undefined) return [...d.records.map(recordTarget), ...d.sesIdentities.map((i) => identityTarget(i, 'Properties'))];
  return [];
}

/** The record types whose record sets hold a subject's values: its own, a CNAME in its place, and SPF's legacy type for TXT. */
function typesHolding(type: string): string[] {
  return type === 'TXT' ? ['TXT', 'SPF', 'CNAME'] : [type, 'CNAME'];
}

/** The MTA-STS policy: the CloudFront Function that holds its body, else the distribution serving it, else the `_mta-sts` record. */
function policyTargets(subject: FindingSubject, ctx: PlacementContext): Target[] {
  const d = ctx.domain.domain;
  const host = subject.name;
  const hosts = distributionsFor(ctx, host);
  const served = new Set(hosts.flatMap((h) => h.functionRefs));
  const keyed = ctx.resources.functions.filter((fn) => mtaStsPoliciesInCode(fn.code).some((p) => p.host === host || p.host === d));
  const functions = keyed.length > 0 ? keyed : ctx.resources.functions.filter((fn) => served.has(`${fn.origin.stack}/${fn.origin.logicalId}`)
    && mtaStsPoliciesInCode(fn.code).length === 1);
  if (functions.length > 0) return functions.map((fn) => ({ origin: fn.origin, location: 'Properties/FunctionCode' }));
  if (hosts.length > 0) return hosts.map((h) => ({ origin: h.origin, location: 'Properties/DistributionConfig' }));
  return recordsAt(ctx, `_mta-sts.${d}`, ['TXT', 'CNAME']).map(recordTarget);
}

/** Each distribution serving the host whose own minimum TLS policy falls short, judged by the profile. */
function policyHostTargets(subject: FindingSubject, ctx: PlacementContext): Target[] {
  return distributionsFor(ctx, subject.name)
    .filter((h) => h.cloudFrontDefaultCertificate || !h.minimumProtocolVersionUnresolved)
    .filter((h) => {
      const minimum = h.cloudFrontDefaultCertificate ? 'TLSv1' : h.minimumProtocolVersion ?? 'TLSv1';
      return !GovUkProfile.acceptsPolicyHostTls(minimum);
    })
    .map((h) => ({ origin: h.origin, location: 'Properties/DistributionConfig/ViewerCertificate' }));
}

/** Each SES identity of the domain with no default configuration set, or the set whose TLS policy is not REQUIRE. */
function sesTlsTargets(ctx: PlacementContext): Target[] {
  const out: Target[] = [];
  for (const identity of ctx.domain.sesIdentities) {
    if (identity.configurationSetName === undefined) {
      out.push(identityTarget(identity, 'Properties/ConfigurationSetAttributes'));
      continue;
    }
    const set = configurationSetOf(identity, ctx);
    if (set !== undefined && !set.tlsPolicyUnresolved && set.tlsPolicy !== 'REQUIRE') {
      out.push({ origin: set.origin, location: 'Properties/DeliveryOptions' });
    }
  }
  return out;
}

function configurationSetOf(identity: SesIdentity, ctx: PlacementContext) {
  if (identity.configurationSetRef !== undefined) {
    return ctx.resources.configurationSets.find((c) => `${c.origin.stack}/${c.origin.logicalId}` === identity.configurationSetRef);
  }
  return identity.configurationSetUnresolved ? undefined : ctx.resources.configurationSets.find((c) => c.name === identity.configurationSetName);
}

/** Every record set of the subject's name and type in a hosted zone (and routing set) that holds more than one. */
function conflictingRecordSets(subject: FindingSubject, ctx: PlacementContext): Target[] {
  const groups = new Map<string, DnsRecord[]>();
  for (const r of ctx.domain.records) {
    if (r.nameUnresolved || r.name !== subject.name || r.type !== subject.type) continue;
    const key = `${r.zoneKey}|${r.setIdentifier ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].filter((g) => g.length > 1).flat().map(recordTarget);
}

/** The SES identities that sign with the subject's selector (bring-your-own DKIM), else every identity of the domain; none for the domain's keys as a whole. */
function signingIdentities(subject: FindingSubject, ctx: PlacementContext): Target[] {
  const suffix = `._domainkey.${ctx.domain.domain}`;
  if (!subject.name.endsWith(suffix)) return [];
  const selector = subject.name.slice(0, -suffix.length);
  const byo = ctx.domain.sesIdentities.filter((i) => i.domainSigningSelector === selector);
  return (byo.length > 0 ? byo : ctx.domain.sesIdentities).map((i) => identityTarget(i, 'Properties/DkimSigningAttributes'));
}

/**
 * GOVUK-NOT-EVALUATED: the resources holding the value that is not known, each with a note
 * saying what it holds. The subject names the posture field and the record that holds it.
 */
function notEvaluatedTargets(subject: FindingSubject, ctx: PlacementContext): Target[] {
  const d = ctx.domain;
  const name = d.domain;
  switch (subject.field) {
    case 'dkim':
      return unknownDkim(name, ctx.resources).map((u) => (u.record !== undefined
        ? { ...recordTarget(u.record), note: recordNote(u.record) }
        : {
          ...identityTarget(u.identity!, 'Properties/DkimSigningAttributes'),
          note: `SES creates the Easy DKIM keys of ${u.identity!.identity} at deployment, and the template does not set their length (DkimSigningAttributes.NextSigningKeyLength): set RSA_2048_BIT so it can be checked.`,
        }));
    case 'sesTlsRequired':
      return d.sesIdentities
        .filter((i) => i.configurationSetName !== undefined && (configurationSetOf(i, ctx)?.tlsPolicyUnresolved ?? true))
        .map((i) => ({
          ...identityTarget(i, 'Properties/ConfigurationSetAttributes'),
          note: `The default configuration set "${i.configurationSetName}" is not in this app, or its TLS policy is not known before deployment.`,
        }));
    case 'policyHostMinimumTls':
      return distributionsFor(ctx, subject.name)
        .filter((h) => !h.cloudFrontDefaultCertificate && h.minimumProtocolVersionUnresolved)
        .map((h) => ({
          origin: h.origin,
          location: 'Properties/DistributionConfig/ViewerCertificate',
          note: `The policy host's MinimumProtocolVersion is ${h.minimumProtocolVersion ?? 'not set'}.`,
        }));
    case 'mtaStsPolicy':
      return recordsAt(ctx, `_mta-sts.${name}`, ['TXT']).map((r) => ({
        ...recordTarget(r),
        note: `No CloudFront Function in this app holds the policy served at https://${subject.name}/.well-known/mta-sts.txt, so its mode, max_age and mx are checked only after deployment (gov-email check).`,
      }));
    default:
      // A DNS record: the record sets at its name whose values are not known, and any CNAME there.
      return [
        ...recordsAt(ctx, subject.name, [subject.type]).filter((r) => r.unresolved),
        ...recordsAt(ctx, subject.name, ['CNAME']),
      ].map((r) => ({ ...recordTarget(r), note: recordNote(r) }));
  }
}

function recordNote(r: DnsRecord): string {
  if (r.type === 'CNAME') {
    return `${r.name} is a CNAME to ${r.values.join(', ')}: what it points at is not in this app.`;
  }
  return `${r.name} ${r.type} holds ${r.values.join(', ')}, which is not known before deployment.`;
}

/**
 * The resource that defines the domain: its apex SPF record, else its MX, else its SES identity,
 * else any record at the apex, else its first record.
 */
function anchor(ctx: PlacementContext): Target[] {
  const d = ctx.domain;
  const apexTxt = recordsAt(ctx, d.domain, ['TXT']).filter((r) => r.values.some((v) => Spf.isSpf(TxtChunks.parse(v))));
  if (apexTxt.length > 0) return apexTxt.map(recordTarget);
  const mx = recordsAt(ctx, d.domain, ['MX']);
  if (mx.length > 0) return mx.map(recordTarget);
  if (d.sesIdentities.length > 0) return d.sesIdentities.map((i) => identityTarget(i, 'Properties'));
  const apex = d.records.filter((r) => r.name === d.domain);
  return (apex.length > 0 ? apex : d.records.slice(0, 1)).map(recordTarget);
}

function recordsAt(ctx: PlacementContext, name: string, types: string[]): DnsRecord[] {
  return ctx.domain.records.filter((r) => !r.nameUnresolved && r.name === name && types.includes(r.type));
}

function distributionsFor(ctx: PlacementContext, host: string): CloudFrontDistribution[] {
  return ctx.resources.distributions.filter((h) => h.aliases.includes(host));
}

function recordTarget(r: DnsRecord): Target {
  return { origin: r.origin, location: r.origin.index === undefined ? 'Properties' : `Properties/RecordSets/${r.origin.index}` };
}

function identityTarget(identity: SesIdentity, location: string): Target {
  return { origin: identity.origin, location };
}

function dedupe(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${originText(t.origin)}|${t.location}|${t.note ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
