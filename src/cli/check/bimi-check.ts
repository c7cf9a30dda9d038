/**
 * The live check of a domain's BIMI record: the record itself (the record model), the DMARC
 * policy it needs when given, the logo its `l=` names (fetched as a receiver fetches it, checked
 * against the basic rules of SVG Tiny Portable/Secure) and the mark certificate its `a=` names.
 *
 * The certificate is fetched the same bounded way, read as PEM with node:crypto, and checked to
 * be within its validity period and to name the domain. Full Verified Mark Certificate
 * validation is NOT done: the chain to a mark verifying authority's root, the logotype
 * extension (RFC 3709) and whether the logo in it is the logo at `l=` are left to receivers; a
 * `BIMI-AUTHORITY-NOT-VERIFIED` note says so whenever a certificate passes the checks made here.
 */
import { X509Certificate } from 'node:crypto';
import { checkBimiSvg, MAX_SVG_BYTES } from './bimi-svg';
import { HttpsGetOptions, HttpsGetResult, httpsGet } from './https-get';
import { BIMI_RULES, Bimi, BimiModel } from '../../records/bimi';
import { Dmarc } from '../../records/dmarc';
import { Finding, Severity, finding, subjectOf } from '../../records/finding';

/** A mark certificate chain is a few certificates in PEM: far below this. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** How `checkBimi` fetches, and what else it is given. */
export interface BimiCheckOptions extends HttpsGetOptions {
  /**
   * The selector the record was read at.
   * @default 'default'
   */
  readonly selector?: string;
  /**
   * The TXT values at `_dmarc.<domain>`, to check the DMARC policy BIMI needs.
   * @default - the DMARC policy is not checked here
   */
  readonly dmarc?: string[];
  /**
   * The TXT values at `_dmarc.<organisational domain>` when the domain is not its own
   * organisational domain: BIMI needs DMARC at enforcement there too.
   * @default - not checked
   */
  readonly organisationalDmarc?: string[];
  /**
   * The time the certificate must be valid at.
   * @default - now
   */
  readonly now?: Date;
}

/**
 * Check a domain's BIMI record and what it names. Never rejects.
 *
 * @param domain the domain, for example `dept.gov.uk`
 * @param recordText the TXT value at `<selector>._bimi.<domain>`, as DNS holds it; undefined when
 * there is none (BIMI is optional: nothing is reported)
 */
export async function checkBimi(domain: string, recordText: string | undefined, options: BimiCheckOptions): Promise<Finding[]> {
  if (recordText === undefined) return [];
  const { record, assets } = await bimiParts(domain, recordText, options);
  return [...record, ...assets];
}

/**
 * Only what the record names, fetched and checked: the logo and the certificate. For a caller
 * whose record and DMARC policy are judged already (`gov-email check` evaluates them with the
 * profile, from the posture).
 */
export async function checkBimiAssets(domain: string, recordText: string, options: BimiCheckOptions): Promise<Finding[]> {
  return (await bimiParts(domain, recordText, options)).assets;
}

async function bimiParts(domain: string, recordText: string, options: BimiCheckOptions): Promise<{ record: Finding[]; assets: Finding[] }> {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const name = `${(options.selector ?? Bimi.DEFAULT_SELECTOR).toLowerCase()}._bimi.${d}`;
  const subject = subjectOf(name, 'TXT');
  const findings = Bimi.check(recordText, { name });
  let model: BimiModel;
  try {
    model = Bimi.parse(recordText);
  } catch {
    return { record: findings, assets: [] };
  }
  if (Bimi.isDeclined(model)) return { record: findings, assets: [] };

  if (options.dmarc !== undefined) {
    findings.push(...Bimi.checkDmarc(options.dmarc, { name, dmarcName: `_dmarc.${d}` }));
  }
  const org = Dmarc.organisationalDomain(d);
  if (options.organisationalDmarc !== undefined && org !== d) {
    findings.push(...Bimi.checkDmarc(options.organisationalDmarc, { name, dmarcName: `_dmarc.${org}` }));
  }

  const badUrl = (ruleId: string) => findings.some((f) => f.ruleId === ruleId && f.severity === Severity.ERROR);
  const [logo, certificate] = await Promise.all([
    model.logoUrl === undefined || model.logoUrl === '' || badUrl(BIMI_RULES.logoUrl.id)
      ? Promise.resolve([]) : checkLogo(model.logoUrl, subject, options),
    model.authorityUrl === undefined || model.authorityUrl === '' || badUrl(BIMI_RULES.authorityUrl.id)
      ? Promise.resolve([]) : checkCertificate(model.authorityUrl, d, org, subject, options),
  ]);
  return { record: findings, assets: [...logo, ...certificate] };
}

async function checkLogo(url: string, subject: ReturnType<typeof subjectOf>, options: BimiCheckOptions): Promise<Finding[]> {
  const result = await fetchUrl(url, MAX_SVG_BYTES, 'image/svg+xml', options);
  if (!result.ok) {
    if (/larger than|octets \(Content-Length\)/.test(result.error)) {
      return [finding(BIMI_RULES.svgSize, `The SVG at ${url} could not be read whole: ${result.error}; keep it to ${MAX_SVG_BYTES} octets (32 KB), or receivers may not show it.`,
        url, undefined, subject)];
    }
    return [finding(BIMI_RULES.logoUnavailable, `The logo at ${url} could not be fetched: ${result.error}.`, url, undefined, subject)];
  }
  return checkBimiSvg(result.body, { url, subject });
}

async function checkCertificate(url: string, domain: string, org: string, subject: ReturnType<typeof subjectOf>,
  options: BimiCheckOptions): Promise<Finding[]> {
  const result = await fetchUrl(url, MAX_CERTIFICATE_BYTES, 'application/pem-certificate-chain, application/x-pem-file, */*', options);
  if (!result.ok) {
    return [finding(BIMI_RULES.authorityUnavailable, `The mark certificate at ${url} could not be fetched: ${result.error}.`, url, undefined, subject)];
  }
  const bad = (message: string) => [finding(BIMI_RULES.authorityCertificate, message, url, undefined, subject)];
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(result.body.toString('latin1'));
  if (pem === null) {
    return bad(`The document at ${url} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem[0]);
  } catch (err) {
    return bad(`The first certificate at ${url} cannot be read: ${(err as Error).message}.`);
  }
  const now = options.now ?? new Date();
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (now < from) {
    return bad(`The mark certificate at ${url} is not valid until ${from.toISOString()}.`);
  }
  if (now > to) {
    return bad(`The mark certificate at ${url} expired on ${to.toISOString()}; renew it and publish the new one.`);
  }
  const names = [domain, org].filter((n, i, all) => all.indexOf(n) === i);
  if (!names.some((n) => cert.checkHost(n) !== undefined)) {
    return bad(`The mark certificate at ${url} does not name ${names.join(' or ')} (its names: ${cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ')}).`);
  }
  return [finding(BIMI_RULES.authorityNotVerified,
    `The mark certificate at ${url} is valid until ${to.toISOString()} and names ${domain}; its chain to a mark verifying authority and its logotype were not verified here.`,
    url, undefined, subject)];
}

/** A bounded GET of an https URL from a BIMI record (already checked to be one). */
async function fetchUrl(url: string, maxBytes: number, accept: string, options: BimiCheckOptions): Promise<HttpsGetResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: 'the URL cannot be read' };
  }
  return httpsGet({
    host: parsed.hostname,
    port: parsed.port === '' ? undefined : Number(parsed.port),
    path: `${parsed.pathname}${parsed.search}`,
    maxBytes,
    accept,
    hostNoun: parsed.hostname,
    redirectNote: '; redirects are not followed',
  }, options);
}
