/**
 * Which resource a finding belongs on. A finding of the profile names a DNS name (or an MTA-STS
 * policy URL, or an SES identity); the pack reports it on the resource that holds the offending
 * record there. A domain-level finding about a record that does not exist (DMARC missing, say)
 * goes on the resource that defines the domain: its apex SPF record, else its MX, else its SES
 * identity.
 */
import { unknownDkim } from './unknown-dkim';
import { ASSEMBLY_RULES, EmailDomain } from '../../assembly/domains';
import { mtaStsPoliciesInCode } from '../../assembly/mta-sts-function';
import { CloudFrontDistribution, DnsRecord, EmailResources, ResourceOrigin, SesIdentity, originText } from '../../assembly/resources';
import { Finding } from '../../records/finding';
import { Spf } from '../../records/spf';
import { TxtChunks } from '../../records/txt';
import { DomainPosture } from '../../standard/posture';
import { GovUkProfile } from '../../standard/profile';
import { GOVUK_RULES as R } from '../../standard/rules';

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

type Family = 'spf' | 'dmarc' | 'mtaStsRecord' | 'mtaStsPolicy' | 'tlsRpt' | 'dkim' | 'mx' | 'caa' | 'txt' | 'other';

const POLICY_RULES = new Set([R.mtaStsMode.id, R.mtaStsMaxAge.id, R.mtaStsWildcardMx.id, R.mtaStsPolicyUnavailable.id]);

/** The resources a finding belongs on: never empty while the domain has a record or an SES identity. */
export function placeFinding(f: Finding, ctx: PlacementContext): Target[] {
  const targets = dedupe(specificTargets(f, ctx) ?? recordTargets(f, ctx));
  return targets.length > 0 ? targets : anchor(ctx);
}

function specificTargets(f: Finding, ctx: PlacementContext): Target[] | undefined {
  const d = ctx.domain;
  switch (f.ruleId) {
    case R.notEvaluated.id:
      return notEvaluatedTargets(f, ctx);
    case R.sesTlsRequired.id:
      return sesTlsTargets(ctx);
    case R.policyHostTls.id:
      return policyHostTargets(ctx);
    case ASSEMBLY_RULES.duplicateRecordSet.id:
      return duplicateTargets(f, ctx);
    default:
      break;
  }
  // Findings about a resource name it by `<stack>/<logicalId>` (e.g. an SES identity's Easy DKIM key length).
  const identity = d.sesIdentities.find((i) => originText(i.origin) === f.path);
  if (identity !== undefined) return [{ origin: identity.origin, location: 'Properties/DkimSigningAttributes' }];
  const record = d.records.find((r) => originText(r.origin) === f.path);
  if (record !== undefined) return [recordTarget(record)];
  return undefined;
}

function recordTargets(f: Finding, ctx: PlacementContext): Target[] {
  const d = ctx.domain.domain;
  const family = familyOf(f);
  if (family === 'mtaStsPolicy') return policyTargets(ctx);
  if (family === 'other') return [];
  const name = targetName(f, family, ctx);
  const types = family === 'mx' ? ['MX'] : family === 'caa' ? ['CAA'] : ['TXT', 'SPF', 'CNAME'];
  const found = recordsAt(ctx, name, types);
  if (found.length > 0) return found.map(recordTarget);

  // Nothing at the name: the record the finding asks for is missing.
  switch (f.ruleId) {
    case R.dmarcReportAuthorisation.id:
      return recordsAt(ctx, `_dmarc.${d}`, ['TXT']).map(recordTarget);
    case R.mtaStsMissing.id:
    case R.tlsRptMissing.id:
      // Required because the domain receives mail: report it where the MX is.
      return recordsAt(ctx, d, ['MX']).map(recordTarget);
    case R.dkimMissing.id: {
      const selector = name.endsWith(`._domainkey.${d}`) ? name.slice(0, -`._domainkey.${d}`.length) : undefined;
      const byo = ctx.domain.sesIdentities.filter((i) => selector !== undefined && i.domainSigningSelector === selector);
      return (byo.length > 0 ? byo : ctx.domain.sesIdentities).map((i) => identityTarget(i, 'Properties/DkimSigningAttributes'));
    }
    default:
      return [];
  }
}

function familyOf(f: Finding): Family {
  const id = f.ruleId;
  if (id === R.parkedSpf.id || id.startsWith('SPF-') || id.startsWith('GOVUK-SPF-')) return 'spf';
  if (id === R.parkedDmarc.id || id.startsWith('DMARC-') || id.startsWith('GOVUK-DMARC-')) return 'dmarc';
  if (id.startsWith('MTASTS-') || id.startsWith('GOVUK-MTASTS-')) {
    const policy = POLICY_RULES.has(id) || id.startsWith('MTASTS-POLICY-') || id === 'MTASTS-MX-NOT-COVERED' || /^https?:\/\//.test(f.path ?? '');
    return policy ? 'mtaStsPolicy' : 'mtaStsRecord';
  }
  if (id.startsWith('TLSRPT-') || id.startsWith('GOVUK-TLSRPT-')) return 'tlsRpt';
  if (id === R.parkedDkim.id || id.startsWith('DKIM-') || id.startsWith('GOVUK-DKIM-')) return 'dkim';
  if (id === R.parkedMx.id || id.startsWith('MX-')) return 'mx';
  if (id === R.parkedCaa.id || id.startsWith('CAA-')) return 'caa';
  if (id.startsWith('TXT-')) return 'txt';
  return 'other';
}

/** The DNS name the finding is about: its path when that is one of the domain's names, else the family's usual name. */
function targetName(f: Finding, family: Family, ctx: PlacementContext): string {
  const d = ctx.domain.domain;
  const path = f.path?.toLowerCase().replace(/\.$/, '');
  if (path !== undefined && (path === d || path.endsWith(`.${d}`) || ctx.domain.records.some((r) => r.name === path))) return path;
  switch (family) {
    case 'dmarc':
      return `_dmarc.${d}`;
    case 'mtaStsRecord':
      return `_mta-sts.${d}`;
    case 'tlsRpt':
      return `_smtp._tls.${d}`;
    case 'dkim':
      return `*._domainkey.${d}`;
    default:
      return d;
  }
}

/** The MTA-STS policy: the CloudFront Function that holds its body, else the distribution serving it, else the `_mta-sts` record. */
function policyTargets(ctx: PlacementContext): Target[] {
  const d = ctx.domain.domain;
  const host = `mta-sts.${d}`;
  const hosts = distributionsFor(ctx, host);
  const served = new Set(hosts.flatMap((h) => h.functionRefs));
  const keyed = ctx.resources.functions.filter((fn) => mtaStsPoliciesInCode(fn.code).some((p) => p.host === host || p.host === d));
  const functions = keyed.length > 0 ? keyed : ctx.resources.functions.filter((fn) => served.has(`${fn.origin.stack}/${fn.origin.logicalId}`)
    && mtaStsPoliciesInCode(fn.code).length === 1);
  if (functions.length > 0) return functions.map((fn) => ({ origin: fn.origin, location: 'Properties/FunctionCode' }));
  if (hosts.length > 0) return hosts.map((h) => ({ origin: h.origin, location: 'Properties/DistributionConfig' }));
  return recordsAt(ctx, `_mta-sts.${d}`, ['TXT', 'CNAME']).map(recordTarget);
}

/** Each distribution serving `mta-sts.<domain>` whose own minimum TLS policy falls short, judged by the profile. */
function policyHostTargets(ctx: PlacementContext): Target[] {
  const d = ctx.domain.domain;
  return distributionsFor(ctx, `mta-sts.${d}`)
    .filter((h) => h.cloudFrontDefaultCertificate || !h.minimumProtocolVersionUnresolved)
    .filter((h) => {
      const minimum = h.cloudFrontDefaultCertificate ? 'TLSv1' : h.minimumProtocolVersion ?? 'TLSv1';
      return GovUkProfile.evaluateParked({ domainName: d, policyHostMinimumTls: minimum }).some((f) => f.ruleId === R.policyHostTls.id);
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

/** Every record set in a (zone, name, type) group that holds more than one. */
function duplicateTargets(f: Finding, ctx: PlacementContext): Target[] {
  const groups = new Map<string, DnsRecord[]>();
  for (const r of ctx.domain.records) {
    if (r.nameUnresolved || r.name !== f.path) continue;
    const key = `${r.zoneKey}|${r.type}|${r.setIdentifier ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].filter((g) => g.length > 1).flat().map(recordTarget);
}

/**
 * GOVUK-NOT-EVALUATED: the resources holding the value that is not known, each with a note
 * saying what it holds. The finding names the posture field (`<domain>: dmarc could not be
 * evaluated…`); a domain whose own name is not known puts every one of its resources in doubt.
 */
function notEvaluatedTargets(f: Finding, ctx: PlacementContext): Target[] {
  const d = ctx.domain;
  if (ctx.posture === undefined) {
    return [...d.records.map(recordTarget), ...d.sesIdentities.map((i) => identityTarget(i, 'Properties'))];
  }
  const field = (ctx.posture.unresolved ?? []).find((u) => f.message.startsWith(`${d.domain}: ${u} `));
  const name = d.domain;
  const records = (at: string, type: string) => [
    ...recordsAt(ctx, at, [type]).filter((r) => r.unresolved),
    ...recordsAt(ctx, at, ['CNAME']),
  ].map((r) => ({ ...recordTarget(r), note: recordNote(r) }));
  switch (field) {
    case 'apexTxt':
      return records(name, 'TXT');
    case 'mx':
      return records(name, 'MX');
    case 'caa':
      return records(name, 'CAA');
    case 'dmarc':
      return records(`_dmarc.${name}`, 'TXT');
    case 'mtaStsTxt':
      return records(`_mta-sts.${name}`, 'TXT');
    case 'tlsRpt':
      return records(`_smtp._tls.${name}`, 'TXT');
    case 'dkimWildcard':
      return records(`*._domainkey.${name}`, 'TXT');
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
      return distributionsFor(ctx, `mta-sts.${name}`)
        .filter((h) => !h.cloudFrontDefaultCertificate && h.minimumProtocolVersionUnresolved)
        .map((h) => ({
          origin: h.origin,
          location: 'Properties/DistributionConfig/ViewerCertificate',
          note: `The policy host's MinimumProtocolVersion is ${h.minimumProtocolVersion ?? 'not set'}.`,
        }));
    case 'mtaStsPolicy':
      return recordsAt(ctx, `_mta-sts.${name}`, ['TXT']).map((r) => ({
        ...recordTarget(r),
        note: `No CloudFront Function in this app holds the policy served at https://mta-sts.${name}/.well-known/mta-sts.txt, so its mode, max_age and mx are checked only after deployment (gov-email check).`,
      }));
    default:
      return [];
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
