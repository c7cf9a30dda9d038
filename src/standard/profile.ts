import { GOVUK_RULES as R } from './govuk-rules';
import { CleanRecordSets, KeptByText } from './kept-texts';
import { DomainPosture } from './posture';
import { Bimi } from '../records/bimi';
import { Caa } from '../records/caa';
import { Dkim } from '../records/dkim';
import { Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy } from '../records/dmarc';
import { Finding, FindingSubject, SUBJECT_HTTPS, SUBJECT_MTA_STS_POLICY, SUBJECT_SES_IDENTITY, Severity, dedupeFindings, finding, subjectOf, withSubject } from '../records/finding';
import { MtaSts, MtaStsMode } from '../records/mta-sts';
import { Mx, MxModel } from '../records/mx';
import { Spf, SpfQualifier } from '../records/spf';
import { TlsRpt } from '../records/tls-rpt';
import { TxtChunks } from '../records/txt';

/**
 * Report addresses named by GOV.UK guidance.
 *
 * NCSC is reported to have retired Mail Check, the service behind them, on 31 March 2026: they
 * are offered as named constants for departments that still have an agreement to use them,
 * never as defaults. Report destinations are always the caller's choice.
 */
export class GovUkReportAddresses {
  /** The central DMARC aggregate report address named by GOV.UK guidance. */
  public static readonly DMARC_RUA = 'mailto:dmarc-rua@dmarc.service.gov.uk';
  /** The central TLS-RPT report address named by GOV.UK guidance. */
  public static readonly TLS_RPT_RUA = 'mailto:tls-rua@mailcheck.service.ncsc.gov.uk';

  /**
   * Whether the standard accepts a minimum TLS policy for the MTA-STS policy host: a CloudFront
   * security policy name (`TLSv1.2_2021` or newer).
   *
   * @param securityPolicy the distribution's minimum protocol version, e.g. `TLSv1.2_2021`
   */
  public static acceptsPolicyHostTls(securityPolicy: string): boolean {
    return TLS12_OR_LATER_POLICIES.includes(securityPolicy) && securityPolicy >= MIN_CLOUDFRONT_POLICY;
  }

  private constructor() {}
}

/** CloudFront security policies that accept TLS 1.2 or later only. */
const TLS12_OR_LATER_POLICIES = ['TLSv1.2_2018', 'TLSv1.2_2019', 'TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];
/** The weakest CloudFront policy the standard accepts (TLSv1.2_2018/2019 allow weak ciphers). */
const MIN_CLOUDFRONT_POLICY = 'TLSv1.2_2021';

/** Mail Check's thresholds (seconds). */
const ENFORCE_MIN_MAX_AGE = 1209600;
const TESTING_MIN_MAX_AGE = 86400;
const MAX_DMARC_RUA = 2;
const MAX_DMARC_LENGTH = 450;

/** The documented wildcard of Exchange Online Protection, accepted with an info finding. */
const EXCHANGE_ONLINE_WILDCARD = '*.mail.protection.outlook.com';

/**
 * The UK government email profile: takes what one domain publishes and says where it falls
 * short of the RFCs and of GOV.UK guidance.
 *
 * The constructs (at synth), the cdk-nag pack and the CLI all call this one evaluator, so a
 * finding has the same rule id and source wherever it is reported.
 */
export class GovUkProfile {
  /**
   * Evaluate a domain: with the parked-domain profile when it sends and receives no mail,
   * otherwise with the profile for domains in use.
   */
  public static evaluate(posture: DomainPosture): Finding[] {
    return GovUkProfile.isParked(posture)
      ? GovUkProfile.evaluateParked(posture)
      : GovUkProfile.evaluateActive(posture);
  }

  /**
   * Whether `evaluate` treats the domain as parked: `posture.parked` when given, otherwise a
   * domain that neither sends nor receives mail.
   */
  public static isParked(posture: DomainPosture): boolean {
    if (posture.parked !== undefined) {
      return posture.parked;
    }
    return !GovUkProfile.sendsMail(posture) && !GovUkProfile.receivesMail(posture);
  }

  /**
   * Whether the domain sends mail: `posture.sendsMail` when given, otherwise true when its SPF
   * authorises any host or a DKIM selector holds a key.
   */
  public static sendsMail(posture: DomainPosture): boolean {
    if (posture.sendsMail !== undefined) {
      return posture.sendsMail;
    }
    const spf = spfModel(posture);
    const authorisesSomething = spf !== undefined && spf.terms.some((t) => t.mechanism !== undefined && t.mechanism !== 'all')
      || spf !== undefined && spf.terms.some((t) => t.modifier === 'redirect');
    const hasKey = (posture.dkim ?? []).some((d) => d.values.some((v) => DKIM_REVOKED.of(v) === false));
    return authorisesSomething || hasKey;
  }

  /**
   * Whether the domain receives mail: `posture.receivesMail` when given, otherwise true when it
   * publishes an MX other than a null MX.
   */
  public static receivesMail(posture: DomainPosture): boolean {
    if (posture.receivesMail !== undefined) {
      return posture.receivesMail;
    }
    return mxModels(posture).some((mx) => !Mx.isNullMx(mx));
  }

  /**
   * Evaluate a domain that sends and/or receives mail.
   */
  public static evaluateActive(posture: DomainPosture): Finding[] {
    const out: Finding[] = [];
    const domain = posture.domainName;
    const sends = GovUkProfile.sendsMail(posture);
    const receives = GovUkProfile.receivesMail(posture);

    out.push(...notEvaluated(posture));
    out.push(...evaluateSpf(posture, sends));
    out.push(...evaluateDmarc(posture));
    if (posture.mx !== undefined) {
      out.push(...Mx.checkRecordSet(posture.mx, { name: domain }));
    }
    out.push(...evaluateDkim(posture, sends));
    out.push(...delegatedDkim(posture));
    if (receives) {
      out.push(...evaluateMtaSts(posture));
      out.push(...evaluateTlsRpt(posture, true));
    } else if (posture.tlsRpt !== undefined && posture.tlsRpt.length > 0) {
      out.push(...evaluateTlsRpt(posture, false));
    }
    out.push(...evaluateBimi(posture));
    if (posture.sesTlsRequired === false) {
      out.push(finding(R.sesTlsRequired, `Mail sent through SES for ${domain} is not required to use TLS: attach a configuration set with tlsPolicy REQUIRE as the identity's default.`, domain, undefined, subjectOf(domain, SUBJECT_SES_IDENTITY)));
    }
    out.push(...evaluateCommon(posture));
    return dedupeFindings(out);
  }

  /**
   * Evaluate a domain that sends and receives no mail with the parked-domain profile:
   * `v=spf1 -all`, DMARC reject with strict alignment, a revoked wildcard DKIM key, a null MX,
   * and (common practice) CAA forbidding certificate issuance.
   */
  public static evaluateParked(posture: DomainPosture): Finding[] {
    const out: Finding[] = [];
    const domain = posture.domainName;
    out.push(...notEvaluated(posture));

    if (posture.apexTxt !== undefined) {
      const spfValues = posture.apexTxt.filter((v) => IS_SPF.of(unquoted(v)));
      out.push(...PARKED_SPF_SETS.findings<Finding>(posture.apexTxt, domain));
      const spf = spfModel(posture);
      const exact = spfValues.length === 1 && spf !== undefined && spf.terms.length === 1
        && spf.terms[0].mechanism === 'all' && spf.terms[0].qualifier === SpfQualifier.FAIL;
      if (!exact) {
        const got = spfValues.length === 0 ? 'no SPF record' : spfValues.map((v) => `"${unquoted(v)}"`).join(', ');
        out.push(finding(R.parkedSpf, `${domain} sends no mail, so its SPF record must be exactly "v=spf1 -all"; got: ${got}.`, domain, undefined, subjectOf(domain, 'TXT')));
      }
    }

    if (posture.dmarc !== undefined) {
      out.push(...evaluateDmarc(posture));
      const dmarc = dmarcModel(posture);
      if (dmarc !== undefined) {
        const problems: string[] = [];
        if (dmarc.policy !== DmarcPolicy.REJECT) problems.push(`p=${dmarc.policy ?? '(none)'}`);
        if ((dmarc.subdomainPolicy ?? dmarc.policy) !== DmarcPolicy.REJECT) problems.push(`sp=${dmarc.subdomainPolicy ?? `(inherits ${dmarc.policy ?? 'none'})`}`);
        if (dmarc.dkimAlignment !== DmarcAlignment.STRICT) problems.push(`adkim=${dmarc.dkimAlignment ?? 'r (default)'}`);
        if (dmarc.spfAlignment !== DmarcAlignment.STRICT) problems.push(`aspf=${dmarc.spfAlignment ?? 'r (default)'}`);
        if (problems.length > 0) {
          out.push(finding(R.parkedDmarc, `${domain} sends no mail, so DMARC must be p=reject; sp=reject; adkim=s; aspf=s; got: ${problems.join(', ')}.`, `_dmarc.${domain}`, undefined, subjectOf(`_dmarc.${domain}`, 'TXT')));
        }
      }
    }

    if (posture.dkimWildcard !== undefined) {
      const name = `*._domainkey.${domain}`;
      const revoked = posture.dkimWildcard.some((v) => DKIM_REVOKED.of(v) === true);
      if (!revoked) {
        const got = posture.dkimWildcard.length === 0 ? 'no record' : posture.dkimWildcard.map((v) => `"${unquoted(v)}"`).join(', ');
        out.push(finding(R.parkedDkim, `${domain} sends no mail, so ${name} should hold TXT "v=DKIM1; p=" to revoke any key; got: ${got}.`, name, undefined, subjectOf(name, 'TXT')));
      }
    }
    for (const sel of posture.dkim ?? []) {
      for (const v of sel.values) {
        if (DKIM_REVOKED.of(v) === false) {
          out.push(finding(R.parkedDkim, `${domain} sends no mail but publishes a DKIM key at ${sel.selector}._domainkey.${domain}: revoke it with "v=DKIM1; p=".`, `${sel.selector}._domainkey.${domain}`, undefined, subjectOf(`${sel.selector}._domainkey.${domain}`, 'TXT')));
        }
      }
    }

    if (posture.mx !== undefined) {
      out.push(...MX_SETS.findings<Finding>(posture.mx, domain));
      const models = mxModels(posture);
      const onlyNull = models.length === 1 && Mx.isNullMx(models[0]);
      if (!onlyNull) {
        const got = posture.mx.length === 0 ? 'no MX record' : posture.mx.map((v) => `"${v}"`).join(', ');
        out.push(finding(R.parkedMx, `${domain} receives no mail, so it must publish only a null MX "0 ."; got: ${got}.`, domain, undefined, subjectOf(domain, 'MX')));
      }
    }

    if (posture.caa !== undefined) {
      const caa = posture.caa.map((v) => CAA_MODELS.of(v)).filter((c): c is NonNullable<typeof c> => c !== undefined);
      if (caa.length === 0 || !Caa.forbidsIssuance(caa)) {
        const got = posture.caa.length === 0 ? 'no CAA record' : posture.caa.map((v) => `"${v}"`).join(', ');
        out.push(finding(R.parkedCaa, `${domain} serves nothing, so CAA 0 issue ";" can forbid certificates for it; got: ${got}.`, domain, undefined, subjectOf(domain, 'CAA')));
      }
    }

    if (posture.tlsRpt !== undefined && posture.tlsRpt.length > 0) {
      out.push(...evaluateTlsRpt(posture, false));
    }
    out.push(...evaluateBimi(posture));
    out.push(...evaluateCommon(posture));
    return dedupeFindings(out);
  }

  /**
   * Whether the standard accepts a minimum TLS policy for the MTA-STS policy host: a CloudFront
   * security policy name (`TLSv1.2_2021` or newer).
   *
   * @param securityPolicy the distribution's minimum protocol version, e.g. `TLSv1.2_2021`
   */
  public static acceptsPolicyHostTls(securityPolicy: string): boolean {
    return TLS12_OR_LATER_POLICIES.includes(securityPolicy) && securityPolicy >= MIN_CLOUDFRONT_POLICY;
  }

  private constructor() {}
}

function evaluateSpf(posture: DomainPosture, sends: boolean): Finding[] {
  if (posture.apexTxt === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const out: Finding[] = [];
  const spfValues = posture.apexTxt.filter((v) => Spf.isSpf(TxtChunks.parse(v)));
  if (spfValues.length === 0) {
    out.push(finding(R.spfMissing, `${domain} publishes no SPF record${sends ? ' although it sends mail' : ''}: add "v=spf1 <your senders> -all" (or "v=spf1 -all" if it sends none).`, domain, undefined, subjectOf(domain, 'TXT')));
    return out;
  }
  out.push(...Spf.checkRecordSet(posture.apexTxt, { name: domain, includeCosts: posture.spfIncludeCosts }));
  const model = spfModel(posture);
  if (model !== undefined) {
    const all = Spf.allQualifier(model);
    const hasRedirect = model.terms.some((t) => t.modifier === 'redirect');
    if (all === SpfQualifier.PASS || all === SpfQualifier.NEUTRAL) {
      out.push(finding(R.spfAll, `${domain}'s SPF ends with "${all === SpfQualifier.PASS ? '+all' : '?all'}", which lets any host pass or go unjudged; use "-all" (or "~all"). Got: "${TxtChunks.parse(spfValues[0])}".`, domain, undefined, subjectOf(domain, 'TXT')));
    } else if (all === undefined && !hasRedirect) {
      out.push(finding(R.spfAll, `${domain}'s SPF has no "all" and no redirect, so unlisted hosts get a neutral result; end it with "-all" (or "~all"). Got: "${TxtChunks.parse(spfValues[0])}".`, domain, undefined, subjectOf(domain, 'TXT')));
    }
  }
  return out;
}

function evaluateDmarc(posture: DomainPosture): Finding[] {
  if (posture.dmarc === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const name = `_dmarc.${domain}`;
  const out: Finding[] = [];
  const records = posture.dmarc.filter((v) => IS_DMARC.of(unquoted(v)));
  if (records.length === 0) {
    const others = posture.dmarc.length === 0 ? '' : ` (found ${posture.dmarc.map((v) => `"${unquoted(v)}"`).join(', ')}, none a DMARC record)`;
    out.push(finding(R.dmarcMissing, `${domain} publishes no DMARC record at ${name}${others}.`, name, undefined, subjectOf(name, 'TXT')));
    return out;
  }
  out.push(...DMARC_SETS.findings<Finding>(posture.dmarc, name));
  const text = unquoted(records[0]);
  const model = dmarcModel(posture);
  if (model === undefined) {
    return out;
  }
  const policy = model.policy ?? DmarcPolicy.NONE;
  if (policy === DmarcPolicy.NONE) {
    out.push(finding(R.dmarcPolicy, `${domain}'s DMARC policy is "${model.policy === undefined ? 'absent (treated as none)' : 'none'}"; set p=quarantine or p=reject. Got: "${text}".`, name, undefined, subjectOf(name, 'TXT')));
  }
  const sp = model.subdomainPolicy ?? policy;
  if (sp === DmarcPolicy.NONE) {
    out.push(finding(R.dmarcSubdomainPolicy, `${domain}'s DMARC subdomain policy is "none"${model.subdomainPolicy === undefined ? ' (inherited from p)' : ''}; set sp=quarantine or sp=reject. Got: "${text}".`, name, undefined, subjectOf(name, 'TXT')));
  }
  if (model.percentage !== undefined && model.percentage !== 100) {
    out.push(finding(R.dmarcPercentage, `${domain}'s DMARC applies to ${model.percentage}% of mail (pct=${model.percentage}); remove pct so it applies to all. Got: "${text}".`, name, undefined, subjectOf(name, 'TXT')));
  }
  const rua = model.aggregateReportUris ?? [];
  if (rua.length === 0) {
    out.push(finding(R.dmarcReporting, `${domain}'s DMARC record requests no aggregate reports; add rua=mailto:<your reports address>. Got: "${text}".`, name, undefined, subjectOf(name, 'TXT')));
  } else if (rua.length > MAX_DMARC_RUA) {
    out.push(finding(R.dmarcReportCount, `${domain}'s DMARC record names ${rua.length} rua destinations; at most ${MAX_DMARC_RUA} are allowed. Got: "${text}".`, name, undefined, subjectOf(name, 'TXT')));
  }
  if (text.length > MAX_DMARC_LENGTH) {
    out.push(finding(R.dmarcLength, `${domain}'s DMARC record is ${text.length} characters; keep it to ${MAX_DMARC_LENGTH}.`, name, undefined, subjectOf(name, 'TXT')));
  }
  const central = GovUkReportAddresses.DMARC_RUA.toLowerCase();
  if ((model.failureReportUris ?? []).some((u) => u.uri.toLowerCase() === central)) {
    out.push(finding(R.dmarcCentralRuf, `${domain}'s DMARC record sends failure reports (ruf) to ${GovUkReportAddresses.DMARC_RUA}, which takes aggregate reports only.`, name, undefined, subjectOf(name, 'TXT')));
  }
  if (posture.reportAuthorisations !== undefined) {
    for (const u of rua) {
      const authName = tryParse(() => Dmarc.externalReportAuthorisation(domain, u.uri));
      if (authName === undefined) continue;
      const found = posture.reportAuthorisations.find((a) => a.name.toLowerCase() === authName.toLowerCase());
      if (found === undefined) continue;
      if (!found.values.some((v) => Dmarc.isDmarc(TxtChunks.parse(v)))) {
        out.push(finding(R.dmarcReportAuthorisation, `${u.uri} is at another organisation, which has not authorised reports for ${domain}: ${authName} needs TXT "v=DMARC1".`, authName, undefined, subjectOf(authName, 'TXT')));
      }
    }
  }
  return out;
}

function evaluateDkim(posture: DomainPosture, sends: boolean): Finding[] {
  if (posture.dkim === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const out: Finding[] = [];
  let keys = 0;
  for (const sel of posture.dkim) {
    const name = `${sel.selector}._domainkey.${domain}`;
    for (const v of sel.values) {
      out.push(...withSubject(Dkim.check(v).map((f) => ({ ...f, path: f.path ?? name })), subjectOf(name, 'TXT')));
      if (DKIM_REVOKED.of(v) === false) keys++;
    }
    if (sel.expectedToSign && sel.values.length === 0) {
      out.push(finding(R.dkimMissing, `${name} holds no DKIM key, but a service signs ${domain}'s mail with selector "${sel.selector}".`, name, undefined, subjectOf(name, 'TXT')));
    }
  }
  if (sends && keys === 0) {
    const looked = posture.dkim.map((d) => d.selector).join(', ') || 'none';
    out.push(finding(R.dkimMissing, `${domain} sends mail but no DKIM key was found (selectors looked at: ${looked}).`, domain, undefined, subjectOf(`_domainkey.${domain}`, 'TXT')));
  }
  return out;
}

/** DKIM-DELEGATED: each selector whose key is behind a CNAME to the provider, named with its target. */
function delegatedDkim(posture: DomainPosture): Finding[] {
  const domain = posture.domainName;
  return (posture.dkimDelegated ?? []).map((d) => {
    const name = `${d.selector}._domainkey.${domain}`;
    const target = d.target.replace(/\.$/, '');
    return finding(R.dkimDelegated,
      `${name} → ${target}: a CNAME to the provider's DKIM key, which it publishes and rotates there (its documented design), so the key is not evaluated here; \`gov-email check ${domain}\` verifies it live.`, name, undefined, subjectOf(name, 'CNAME'));
  });
}

function evaluateMtaSts(posture: DomainPosture): Finding[] {
  if (posture.mtaStsTxt === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const name = `_mta-sts.${domain}`;
  const out: Finding[] = [];
  const policySubject = subjectOf(`mta-sts.${domain}`, SUBJECT_MTA_STS_POLICY);
  const records = posture.mtaStsTxt.filter((v) => MtaSts.isMtaStsRecord(TxtChunks.parse(v)));
  if (records.length === 0) {
    out.push(finding(R.mtaStsMissing, `${domain} receives mail but publishes no MTA-STS record at ${name}, so senders cannot insist on TLS.`, name, undefined, subjectOf(name, 'TXT')));
    return out;
  }
  out.push(...withSubject(MtaSts.checkRecordSet(posture.mtaStsTxt), subjectOf(name, 'TXT')));
  const url = MtaSts.policyUrl(domain);
  if (posture.mtaStsPolicy === undefined) {
    if (posture.mtaStsPolicyError !== undefined) {
      out.push(finding(R.mtaStsPolicyUnavailable, `The MTA-STS policy at ${url} could not be fetched: ${posture.mtaStsPolicyError}.`, url, undefined, policySubject));
    }
    return out;
  }
  const mxHosts = mxModels(posture).filter((m) => !Mx.isNullMx(m)).map((m) => m.exchange);
  const policyFindings = MtaSts.checkPolicy(posture.mtaStsPolicy, { mxHosts: posture.mx === undefined ? undefined : mxHosts });
  out.push(...withSubject(policyFindings.map((f) => ({ ...f, path: f.path ?? url })), policySubject));
  const policy = tryParse(() => MtaSts.parsePolicy(posture.mtaStsPolicy!));
  if (policy === undefined) {
    return out;
  }
  if (policy.mode !== MtaStsMode.ENFORCE) {
    out.push(finding(R.mtaStsMode, `${domain}'s MTA-STS policy is in "${policy.mode}" mode; ${policy.mode === MtaStsMode.TESTING ? 'move to enforce once TLS reports show no failures' : 'senders are not asked to require TLS'}.`, url, undefined, policySubject));
  }
  if (policy.mode === MtaStsMode.ENFORCE && policy.maxAge < ENFORCE_MIN_MAX_AGE) {
    out.push(finding(R.mtaStsMaxAge, `${domain}'s MTA-STS policy is in enforce mode with max_age ${policy.maxAge}; use at least ${ENFORCE_MIN_MAX_AGE} (2 weeks).`, url, undefined, policySubject));
  }
  if (policy.mode === MtaStsMode.TESTING && policy.maxAge < TESTING_MIN_MAX_AGE) {
    out.push(finding(R.mtaStsMaxAge, `${domain}'s MTA-STS policy is in testing mode with max_age ${policy.maxAge}; use at least ${TESTING_MIN_MAX_AGE} (1 day).`, url, undefined, policySubject));
  }
  for (const pattern of policy.mx) {
    if (pattern.startsWith('*.')) {
      const documented = pattern.toLowerCase() === EXCHANGE_ONLINE_WILDCARD;
      out.push(finding(R.mtaStsWildcardMx, documented
        ? `${domain}'s MTA-STS policy uses "${pattern}", Exchange Online's documented pattern; security.gov.uk advises naming hosts where the provider allows it.`
        : `${domain}'s MTA-STS policy uses the wildcard "${pattern}"; name the MX hosts instead.`, url, documented ? Severity.INFO : undefined, policySubject));
    }
  }
  return out;
}

function evaluateTlsRpt(posture: DomainPosture, required: boolean): Finding[] {
  if (posture.tlsRpt === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const name = `_smtp._tls.${domain}`;
  const out: Finding[] = [];
  const records = posture.tlsRpt.filter((v) => TlsRpt.isTlsRpt(TxtChunks.parse(v)));
  if (records.length === 0) {
    if (required) {
      out.push(finding(R.tlsRptMissing, `${domain} receives mail but publishes no TLS-RPT record at ${name}, so nobody hears of TLS failures.`, name, undefined, subjectOf(name, 'TXT')));
    }
    return out;
  }
  out.push(...withSubject(TlsRpt.checkRecordSet(posture.tlsRpt), subjectOf(name, 'TXT')));
  const model = tryParse(() => TlsRpt.parse(records[0]));
  if (model !== undefined && model.reportUris.length > 1) {
    out.push(finding(R.tlsRptReportCount, `${domain}'s TLS-RPT record names ${model.reportUris.length} rua destinations; only one is guaranteed to receive reports.`, name, undefined, subjectOf(name, 'TXT')));
  }
  return out;
}

/**
 * Each BIMI selector's records, and for one that shows a logo, the DMARC policy BIMI needs:
 * receivers show no logo unless DMARC is at enforcement (checked when the posture holds DMARC).
 */
function evaluateBimi(posture: DomainPosture): Finding[] {
  if (posture.bimi === undefined) {
    return [];
  }
  const domain = posture.domainName;
  const out: Finding[] = [];
  for (const sel of posture.bimi) {
    const name = `${sel.selector}._bimi.${domain}`;
    out.push(...Bimi.checkRecordSet(sel.values, { name }));
    const records = sel.values.filter((v) => Bimi.isBimi(v));
    const model = records.length === 1 ? tryParse(() => Bimi.parse(records[0])) : undefined;
    if (model !== undefined && !Bimi.isDeclined(model) && posture.dmarc !== undefined) {
      out.push(...Bimi.checkDmarc(posture.dmarc, { name, dmarcName: `_dmarc.${domain}` }));
    }
  }
  return out;
}

function evaluateCommon(posture: DomainPosture): Finding[] {
  const out: Finding[] = [];
  const domain = posture.domainName;
  if (posture.policyHostMinimumTls !== undefined) {
    const v = posture.policyHostMinimumTls;
    if (!GovUkProfile.acceptsPolicyHostTls(v)) {
      out.push(finding(R.policyHostTls, `The MTA-STS policy host for ${domain} allows "${v}"; use ${MIN_CLOUDFRONT_POLICY} or newer.`, `mta-sts.${domain}`, undefined, subjectOf(`mta-sts.${domain}`, SUBJECT_HTTPS)));
    }
  }
  if (posture.dnssec === false) {
    out.push(finding(R.dnssec, `${domain}'s zone is not signed with DNSSEC; signing is recommended (the DS record at the parent is a manual step).`, domain, undefined, subjectOf(domain, 'DNSKEY')));
  }
  return out;
}

function notEvaluated(posture: DomainPosture): Finding[] {
  return (posture.unresolved ?? []).map((field) =>
    finding(R.notEvaluated, `${posture.domainName}: ${field} could not be evaluated because its value is not known here; it is not assumed compliant.`,
      posture.domainName, undefined, notEvaluatedSubject(posture.domainName, field)));
}

/**
 * The record a posture field holds, named as `FindingSubject` names it, with the field: what a
 * GOVUK-NOT-EVALUATED finding about that field is about. A field this profile does not know (a
 * free-text reason) is about the domain's apex.
 */
function notEvaluatedSubject(domain: string, field: string): FindingSubject {
  const [name, type] = POSTURE_FIELD_RECORDS[field]?.(domain) ?? [domain, 'TXT'];
  return subjectOf(name, type, field);
}

/** Where each posture field's values are published: DNS name and record type (or what is not a DNS record). */
const POSTURE_FIELD_RECORDS: Record<string, (domain: string) => [string, string]> = {
  apexTxt: (d) => [d, 'TXT'],
  mx: (d) => [d, 'MX'],
  caa: (d) => [d, 'CAA'],
  dmarc: (d) => [`_dmarc.${d}`, 'TXT'],
  mtaStsTxt: (d) => [`_mta-sts.${d}`, 'TXT'],
  mtaStsPolicy: (d) => [`mta-sts.${d}`, SUBJECT_MTA_STS_POLICY],
  tlsRpt: (d) => [`_smtp._tls.${d}`, 'TXT'],
  dkim: (d) => [`_domainkey.${d}`, 'TXT'],
  dkimWildcard: (d) => [`*._domainkey.${d}`, 'TXT'],
  reportAuthorisations: (d) => [`_dmarc.${d}`, 'TXT'],
  sesTlsRequired: (d) => [d, SUBJECT_SES_IDENTITY],
  policyHostMinimumTls: (d) => [`mta-sts.${d}`, SUBJECT_HTTPS],
  bimi: (d) => [`default._bimi.${d}`, 'TXT'],
};

function spfModel(posture: DomainPosture) {
  const values = (posture.apexTxt ?? []).map((v) => unquoted(v)).filter((v) => IS_SPF.of(v));
  return values.length === 1 ? SPF_MODELS.of(values[0]) : undefined;
}

function dmarcModel(posture: DomainPosture): DmarcModel | undefined {
  const values = (posture.dmarc ?? []).map((v) => unquoted(v)).filter((v) => IS_DMARC.of(v));
  return values.length === 1 ? DMARC_MODELS.of(values[0]) : undefined;
}

function mxModels(posture: DomainPosture): MxModel[] {
  return (posture.mx ?? []).map((v) => MX_MODELS.of(v)).filter((m): m is MxModel => m !== undefined);
}

// What the profile reads from a record text is read once for each text (see kept-texts.ts): the
// parked domains of an estate publish the same records but for their names. Each is only read here.

/** A TXT value as DNS holds it, its character-strings joined (`TxtChunks.parse`). */
const UNQUOTED = new KeptByText((v) => TxtChunks.parse(v));
/** Whether a text (its strings joined) is an SPF record, and a DMARC record, as receivers select them. */
const IS_SPF = new KeptByText((text) => Spf.isSpf(text));
const IS_DMARC = new KeptByText((text) => Dmarc.isDmarc(text));
const SPF_MODELS = new KeptByText((text) => tryParse(() => Spf.parse(text)));
const DMARC_MODELS = new KeptByText((text) => tryParse(() => Dmarc.parse(text)));
const MX_MODELS = new KeptByText((v) => tryParse(() => Mx.parse(v)));
const CAA_MODELS = new KeptByText((v) => tryParse(() => Caa.parse(v)));
/** Whether a DKIM value revokes the key (`p=` empty); undefined when it cannot be read. */
const DKIM_REVOKED = new KeptByText((v) => {
  const key = tryParse(() => Dkim.parse(v));
  return key === undefined ? undefined : Dkim.isRevoked(key);
});

/**
 * The record set checks whose findings name the record set only as their path and subject (the
 * `name` each is given): a set of values found clean at one name is clean at every name.
 */
const PARKED_SPF_SETS = new CleanRecordSets((values, name) => Spf.checkRecordSet(values, { name }));
const DMARC_SETS = new CleanRecordSets((values, name) => Dmarc.checkRecordSet(values, { name }));
const MX_SETS = new CleanRecordSets((values, name) => Mx.checkRecordSet(values, { name }));

function unquoted(value: string): string {
  return UNQUOTED.of(value);
}

function tryParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}


