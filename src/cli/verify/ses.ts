/**
 * The SES side of `gov-email verify`: each identity's verification, DKIM and MAIL FROM status,
 * DKIM key length, default configuration set and that set's TLS policy (SES API v2).
 */
import { GetConfigurationSetCommand, GetConfigurationSetCommandOutput, GetEmailIdentityCommand, GetEmailIdentityCommandOutput, SESv2Client } from '@aws-sdk/client-sesv2';
import { CallContext, Timing, VerifyAbort, callAws, errorCode } from './aws';
import { PlannedIdentity } from './plan';
import { VERIFY_RULES } from './verify-rules';
import { originText } from '../../assembly/resources';
import { DKIM_RULES } from '../../records/dkim';
import { Finding, finding } from '../../records/finding';
import { GOVUK_RULES } from '../../standard/govuk-rules';

/** An SES client and the region it calls. */
export interface RegionalSes {
  readonly client: SESv2Client;
  readonly region: string;
}

/** SES clients per region (one per region a run needs), and the configuration sets already read. */
export class SesAccess {
  private readonly clients = new Map<string, Promise<RegionalSes>>();
  private readonly configurationSets = new Map<string, Promise<GetConfigurationSetCommandOutput | undefined>>();

  constructor(private readonly timing: Timing) {}

  /** The client for a region; with none, the SDK's default (AWS_REGION, the profile's region). */
  public async forRegion(region: string | undefined): Promise<RegionalSes> {
    const key = region ?? '';
    let entry = this.clients.get(key);
    if (entry === undefined) {
      entry = resolveRegion(new SESv2Client(region === undefined ? { maxAttempts: 1 } : { region, maxAttempts: 1 }));
      this.clients.set(key, entry);
    }
    return entry;
  }

  /** `GetEmailIdentity`, or undefined when SES has no such identity. */
  public async identity(ses: RegionalSes, name: string): Promise<GetEmailIdentityCommandOutput | undefined> {
    const ctx: CallContext = { action: 'ses:GetEmailIdentity', target: name, region: ses.region };
    try {
      return await callAws(() => ses.client.send(new GetEmailIdentityCommand({ EmailIdentity: name })), ctx, this.timing);
    } catch (err) {
      if (errorCode(err) === 'NotFoundException') return undefined;
      throw unexpected(err, ctx);
    }
  }

  /** `GetConfigurationSet` (read once per region and name), or undefined when there is no such set. */
  public async configurationSet(ses: RegionalSes, name: string): Promise<GetConfigurationSetCommandOutput | undefined> {
    const key = `${ses.region}|${name}`;
    let entry = this.configurationSets.get(key);
    if (entry === undefined) {
      const ctx: CallContext = { action: 'ses:GetConfigurationSet', target: name, region: ses.region };
      entry = callAws(() => ses.client.send(new GetConfigurationSetCommand({ ConfigurationSetName: name })), ctx, this.timing)
        .catch((err: unknown) => {
          if (errorCode(err) === 'NotFoundException') return undefined;
          throw unexpected(err, ctx);
        });
      this.configurationSets.set(key, entry);
    }
    return entry;
  }
}

async function resolveRegion(client: SESv2Client): Promise<RegionalSes> {
  try {
    return { client, region: await client.config.region() };
  } catch (err) {
    throw new VerifyAbort(`no AWS region for SES (${(err as Error).message}): give --region, give the stack an env with a region, or set AWS_REGION.`);
  }
}

/** An AWS error that is neither a finding nor one `callAws` explains. */
export function unexpected(err: unknown, ctx: CallContext): Error {
  if (err instanceof VerifyAbort) return err;
  return new VerifyAbort(`${ctx.action} on ${ctx.target}${ctx.region === undefined ? '' : ` in ${ctx.region}`} failed: ${errorCode(err)}: ${(err as Error)?.message ?? String(err)}`);
}

/** The Easy DKIM tokens SES gave an identity, for finding its CNAMEs in Route 53. */
export interface LiveDkimTokens {
  readonly identity: string;
  readonly tokens: string[];
  /** `DkimAttributes.SigningHostedZone`, e.g. `dkim.amazonses.com`, when SES gives it. */
  readonly signingHostedZone?: string;
}

/** What verifying one identity found. */
export interface IdentityResult {
  readonly findings: Finding[];
  /** The Easy DKIM tokens, when SES has the identity and signs with Easy DKIM. */
  readonly dkim?: LiveDkimTokens;
}

const VERIFICATION_MEANING: Record<string, string> = {
  PENDING: 'SES has not found its DNS records yet; it keeps looking for 72 hours after verification starts',
  FAILED: 'SES could not find its DNS records within 72 hours; publish them, then restart verification',
  TEMPORARY_FAILURE: 'a temporary problem stopped SES checking; it will check again',
  NOT_STARTED: 'verification has not started',
};

const DKIM_MEANING: Record<string, string> = {
  PENDING: 'SES has not found the DKIM records yet; it keeps looking for 72 hours',
  FAILED: 'SES could not find the DKIM records (the three <token>._domainkey CNAMEs); publish them, then restart verification',
  TEMPORARY_FAILURE: 'a temporary problem stopped SES checking the DKIM records; it will check again',
  NOT_STARTED: 'DKIM verification has not started',
};

/** Verify one identity: verification, DKIM, MAIL FROM, default configuration set and its TLS policy. */
export async function verifyIdentity(access: SesAccess, planned: PlannedIdentity, region: string | undefined): Promise<IdentityResult> {
  const ses = await access.forRegion(region);
  const name = planned.name;
  const where = `${name} in ${ses.region}`;
  const declaredBy = planned.declared === undefined ? '' : ` (declared by ${originText(planned.declared.origin)})`;
  const live = await access.identity(ses, name);
  if (live === undefined) {
    return {
      findings: [finding(VERIFY_RULES.identityNotFound,
        `SES in ${ses.region} has no identity ${name}${declaredBy}: deploy the stack, or give the region it is in with --region.`, name)],
    };
  }
  const findings: Finding[] = [];
  const isAddress = live.IdentityType === 'EMAIL_ADDRESS' || name.includes('@');

  if (live.VerifiedForSendingStatus !== true) {
    const status = live.VerificationStatus ?? 'unknown';
    const detail = live.VerificationInfo?.ErrorType === undefined ? '' : `, ${live.VerificationInfo.ErrorType}`;
    const meaning = VERIFICATION_MEANING[status] ?? 'SES does not say why';
    findings.push(finding(VERIFY_RULES.identityNotVerified,
      `The SES identity ${where} is not verified for sending (VerificationStatus ${status}${detail}): ${meaning}. Until it is, SES refuses mail from it.`, name));
  }

  let dkim: LiveDkimTokens | undefined;
  if (!isAddress) {
    const d = live.DkimAttributes ?? {};
    if (d.SigningEnabled === false) {
      findings.push(finding(VERIFY_RULES.dkimNotVerified,
        `SES does not DKIM-sign mail from ${where} (DkimAttributes.SigningEnabled false): enable DKIM signing.`, name));
    }
    if (d.Status !== 'SUCCESS') {
      const meaning = d.Status === undefined ? 'SES reports no DKIM status' : DKIM_MEANING[d.Status] ?? 'SES does not say why';
      findings.push(finding(VERIFY_RULES.dkimNotVerified,
        `SES has not verified DKIM for ${where} (DkimAttributes.Status ${d.Status ?? 'absent'}): ${meaning}.`, name));
    }
    const easyDkim = d.SigningAttributesOrigin === undefined || d.SigningAttributesOrigin === 'AWS_SES';
    if (easyDkim && d.CurrentSigningKeyLength === 'RSA_1024_BIT') {
      const next = d.NextSigningKeyLength === 'RSA_2048_BIT' ? ' (the next key is RSA_2048_BIT: SES switches at its next rotation)' : '; set NextSigningKeyLength to RSA_2048_BIT';
      findings.push(finding(DKIM_RULES.rsaUnder2048,
        `SES signs mail from ${where} with a 1024-bit Easy DKIM key (DkimAttributes.CurrentSigningKeyLength RSA_1024_BIT)${next}.`, name));
    } else if (easyDkim && d.NextSigningKeyLength === 'RSA_1024_BIT') {
      findings.push(finding(DKIM_RULES.rsaUnder2048,
        `SES will sign mail from ${where} with a 1024-bit Easy DKIM key after its next rotation (DkimAttributes.NextSigningKeyLength RSA_1024_BIT); set RSA_2048_BIT.`, name));
    }
    if (easyDkim && (d.Tokens ?? []).length > 0) {
      dkim = d.SigningHostedZone === undefined
        ? { identity: name, tokens: d.Tokens! }
        : { identity: name, tokens: d.Tokens!, signingHostedZone: d.SigningHostedZone };
    }
    findings.push(...mailFromFindings(live, planned, where, declaredBy));
  }

  findings.push(...await configurationSetFindings(access, ses, live, name, where));
  return dkim === undefined ? { findings } : { findings, dkim };
}

function mailFromFindings(live: GetEmailIdentityCommandOutput, planned: PlannedIdentity, where: string, declaredBy: string): Finding[] {
  const name = planned.name;
  const out: Finding[] = [];
  const m = live.MailFromAttributes;
  const liveDomain = m?.MailFromDomain === undefined || m.MailFromDomain === '' ? undefined : m.MailFromDomain.toLowerCase().replace(/\.$/, '');
  const wanted = planned.declared?.mailFromDomain;
  if (wanted !== undefined && !/[<>]/.test(wanted) && liveDomain !== wanted) {
    out.push(finding(VERIFY_RULES.mailFromNotVerified, liveDomain === undefined
      ? `SES has no custom MAIL FROM domain for ${where}; the cloud assembly sets ${wanted}${declaredBy}. Mail goes out from amazonses.com and SPF does not align.`
      : `SES uses the MAIL FROM domain ${liveDomain} for ${where}; the cloud assembly sets ${wanted}${declaredBy}.`, name));
  }
  if (liveDomain === undefined) return out;
  if (m!.MailFromDomainStatus !== 'SUCCESS') {
    const meaning: Record<string, string> = {
      PENDING: 'SES has not found its MX record yet',
      FAILED: 'SES cannot find its MX record (10 feedback-smtp.<region>.amazonses.com), or it no longer exists',
      TEMPORARY_FAILURE: 'a temporary problem stopped SES checking; it will check again',
    };
    out.push(finding(VERIFY_RULES.mailFromNotVerified,
      `SES has not verified the MAIL FROM domain ${liveDomain} of ${where} (MailFromDomainStatus ${m!.MailFromDomainStatus ?? 'absent'}): `
      + `${meaning[m!.MailFromDomainStatus ?? ''] ?? 'SES does not say why'}. Until it does, SPF does not align.`, liveDomain));
  }
  if (m!.BehaviorOnMxFailure !== 'REJECT_MESSAGE') {
    out.push(finding(VERIFY_RULES.mailFromBehaviour,
      `The MAIL FROM domain ${liveDomain} of ${where} has BehaviorOnMxFailure ${m!.BehaviorOnMxFailure ?? 'absent'}: when its MX record is missing SES sends from amazonses.com and SPF silently stops aligning; set REJECT_MESSAGE.`, liveDomain));
  }
  return out;
}

async function configurationSetFindings(
  access: SesAccess, ses: RegionalSes, live: GetEmailIdentityCommandOutput, name: string, where: string,
): Promise<Finding[]> {
  const setName = live.ConfigurationSetName;
  if (setName === undefined || setName === '') {
    return [finding(VERIFY_RULES.noDefaultConfigurationSet,
      `${where} has no default configuration set, so mail sent without one gets no TLS policy (SES then delivers over plain text when the receiver offers no TLS): make a configuration set with TLS policy REQUIRE its default.`, name)];
  }
  const set = await access.configurationSet(ses, setName);
  if (set === undefined) {
    return [finding(VERIFY_RULES.noDefaultConfigurationSet,
      `The default configuration set of ${where}, "${setName}", does not exist in ${ses.region}: create it with TLS policy REQUIRE, or set an existing one as the default.`, name)];
  }
  const tls = set.DeliveryOptions?.TlsPolicy ?? 'OPTIONAL';
  if (tls !== 'REQUIRE') {
    return [finding(GOVUK_RULES.sesTlsRequired,
      `The configuration set "${setName}", the default of ${where}, has TLS policy ${tls}${set.DeliveryOptions?.TlsPolicy === undefined ? ' (not set)' : ''}: set DeliveryOptions.TlsPolicy REQUIRE so SES never delivers its mail without TLS.`, name)];
  }
  return [];
}
