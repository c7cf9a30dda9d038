/**
 * The records a department publishes for its main domain, built from the sender catalogue and
 * the record models, then checked with the UK government profile. No AWS account is needed.
 *
 *   npm run example
 */
import {
  Dmarc, DmarcAlignment, DmarcPolicy, DomainPosture, GovUkProfile, MtaSts, MtaStsMode, Mx, Sender, Senders, TlsRpt, TxtChunks,
} from '../../src';

const domainName = 'dept.gov.uk';
const senders = [
  Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' }),
  Sender.amazonSes({ region: 'eu-west-2' }),
  Sender.govUkNotify(),
];

const spf = Senders.apexSpf(senders);
const dmarc = Dmarc.render({
  policy: DmarcPolicy.REJECT,
  subdomainPolicy: DmarcPolicy.REJECT,
  nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
  dkimAlignment: DmarcAlignment.RELAXED,
  spfAlignment: DmarcAlignment.RELAXED,
  failureOptions: ['1'],
  aggregateReportUris: [{ uri: `mailto:dmarc-reports@${domainName}` }],
});
const tlsRpt = TlsRpt.render({ reportUris: [`mailto:tls-reports@${domainName}`] });
const mx = Senders.mxRecords(senders, domainName);
const policy = MtaSts.renderPolicy({ mode: MtaStsMode.TESTING, maxAge: 86400 * 7, mx: Senders.mtaStsMx(senders, domainName) });
const mtaSts = MtaSts.renderRecord({ id: MtaSts.policyId(policy) });

const records: Array<[string, string, string]> = [
  [domainName, 'TXT', TxtChunks.toRoute53Value(spf)],
  [domainName, 'TXT', TxtChunks.toRoute53Value('MS=ms12345678')],
  ...mx.map((m): [string, string, string] => [domainName, 'MX', Mx.render(m)]),
  [`_dmarc.${domainName}`, 'TXT', TxtChunks.toRoute53Value(dmarc)],
  [`_smtp._tls.${domainName}`, 'TXT', TxtChunks.toRoute53Value(tlsRpt)],
  [`_mta-sts.${domainName}`, 'TXT', TxtChunks.toRoute53Value(mtaSts)],
  ...Senders.dkimRecords(senders, domainName).map((d): [string, string, string] =>
    [`${d.selector}._domainkey.${domainName}`, d.recordType, d.value]),
];

const posture: DomainPosture = {
  domainName,
  apexTxt: records.filter(([n, t]) => n === domainName && t === 'TXT').map(([, , v]) => v),
  mx: mx.map((m) => Mx.render(m)),
  dmarc: [dmarc],
  tlsRpt: [tlsRpt],
  mtaStsTxt: [mtaSts],
  mtaStsPolicy: policy,
  spfIncludeCosts: Senders.includeCosts(senders),
};

console.log(`Records for ${domainName}\n`);
for (const [name, type, value] of records) {
  console.log(`  ${name.padEnd(34)} ${type.padEnd(5)} ${value}`);
}
console.log(`\nMTA-STS policy served at ${MtaSts.policyUrl(domainName)}:\n`);
console.log(policy.replace(/\r\n/g, '\n').trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));

const findings = [...Senders.validate(senders, domainName), ...GovUkProfile.evaluate(posture)];
console.log(`\nFindings (${findings.length}):\n`);
for (const f of findings) {
  console.log(`  ${f.severity.toUpperCase().padEnd(7)} ${f.ruleId.padEnd(30)} ${f.message}`);
}
process.exitCode = findings.some((f) => f.severity === 'error') ? 1 : 0;
