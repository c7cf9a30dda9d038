import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { BimiRecord, BimiRecordProps } from '../../src/constructs/bimi-record';
import { DmarcRecord } from '../../src/constructs/dmarc-record';
import { Bimi } from '../../src/records/bimi';
import { DmarcPolicy } from '../../src/records/dmarc';
import { Severity } from '../../src/records/finding';
import { runReview } from '../cli/support/environment';
import { TemplateLinter } from '../util/cfn-lint';
import { infoIds, recordSets, stackWithZone, thrownBy, warningIds, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const LOGO = 'https://www.dept.gov.uk/bimi/logo.svg';
const VMC = 'https://www.dept.gov.uk/bimi/vmc.pem';
const REPORT = 'mailto:dmarc-reports@dept.gov.uk';

function bimi(props: Partial<BimiRecordProps> = {}, options: { dmarc?: DmarcPolicy | 'none-in-app'; zoneName?: string } = {}) {
  const { app, stack, zone } = stackWithZone(options.zoneName);
  const construct = new BimiRecord(stack, 'Bimi', { zone, logoUrl: LOGO, ...props });
  const dmarc = options.dmarc ?? DmarcPolicy.REJECT;
  if (dmarc !== 'none-in-app') {
    new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [REPORT], policy: dmarc, allowMonitoringOnly: dmarc === DmarcPolicy.NONE });
  }
  return { app, stack, zone, construct };
}

describe('BimiRecord: what it publishes', () => {
  test('one TXT record set at default._bimi with the logo, TTL 3600', () => {
    // GIVEN a zone whose DMARC record is at p=reject
    // WHEN a BIMI record is published with the defaults
    const { stack, construct } = bimi();
    const template = lint.template(stack);
    // THEN the record is at default._bimi.<domain>, and nothing is reported
    expect(recordSets(template)).toEqual([
      ['default._bimi.dept.gov.uk.', 'TXT', '3600', [`"v=BIMI1; l=${LOGO}"`]],
      ['_dmarc.dept.gov.uk.', 'TXT', '3600', [expect.stringMatching(/^"v=DMARC1; p=reject; /)]],
    ]);
    expect(construct.value).toBe(`v=BIMI1; l=${LOGO}`);
    expect(construct.selector).toBe('default');
    expect(construct.domainName).toBe('dept.gov.uk');
    expect(warnings(stack)).toEqual([]);
    expect(infoIds(stack)).toEqual([]);
  });

  test('a selector, the mark certificate and a TTL, at a subdomain', () => {
    // GIVEN / WHEN a record for mail.dept.gov.uk with selector Brand2 and a VMC
    const { stack, construct } = bimi({ domainName: 'mail.dept.gov.uk', selector: 'Brand2', authorityUrl: VMC, ttl: Duration.hours(4) });
    // THEN the selector is lower-cased into the name, and a= follows l=
    expect(recordSets(lint.template(stack))[0]).toEqual(['brand2._bimi.mail.dept.gov.uk.', 'TXT', '14400', [`"v=BIMI1; l=${LOGO}; a=${VMC}"`]]);
    expect(construct.selector).toBe('brand2');
    // The DmarcRecord of the organisational domain (dept.gov.uk) is found and is at enforcement.
    expect(warnings(stack)).toEqual([]);
  });

  test('an empty logoUrl declines BIMI: v=BIMI1; l=; a= and the BIMI-DECLINED note, no DMARC check', () => {
    const { stack, construct } = bimi({ logoUrl: '' }, { dmarc: 'none-in-app' });
    expect(construct.value).toBe('v=BIMI1; l=; a=');
    expect(recordSets(lint.template(stack))).toEqual([['default._bimi.dept.gov.uk.', 'TXT', '3600', ['"v=BIMI1; l=; a="']]]);
    expect(infoIds(stack)).toEqual(['BIMI-DECLINED']);
    expect(warningIds(stack)).toEqual([]);
  });

  test('a URL known only at deployment is written as it is and reported as not evaluated', () => {
    const { stack, construct } = bimi({ logoUrl: Fn.importValue('LogoUrl') });
    expect(Stack.of(construct).resolve(construct.value)).toEqual({ 'Fn::Join': ['', ['v=BIMI1; l=', { 'Fn::ImportValue': 'LogoUrl' }]] });
    expect(warningIds(stack)).toEqual(['GOVUK-NOT-EVALUATED']);
  });
});

describe('BimiRecord: bad input fails synth, naming the construct path, the rule, the value and what is allowed', () => {
  const { stack, zone } = stackWithZone();
  let n = 0;
  const attempt = (props: Partial<BimiRecordProps>) => thrownBy(() => new BimiRecord(stack, `Bimi${++n}`, { zone, logoUrl: LOGO, ...props }));

  test.each<[string, Partial<BimiRecordProps>, string]>([
    ['http: logo', { logoUrl: 'http://www.dept.gov.uk/logo.svg' },
      ': [BIMI-LOGO-URL] l= "http://www.dept.gov.uk/logo.svg" uses http:; only https: is allowed. Got: "http://www.dept.gov.uk/logo.svg". '
      + 'Allowed: an https: URL naming a host, of an SVG Tiny Portable/Secure logo, for example "https://www.dept.gov.uk/bimi/logo.svg".'],
    ['a PNG logo', { logoUrl: 'https://www.dept.gov.uk/logo.png' },
      ': [BIMI-LOGO-URL] l= "https://www.dept.gov.uk/logo.png" names another image format; the indicator is an SVG (SVG Tiny Portable/Secure), usually ending .svg. '
      + 'Got: "https://www.dept.gov.uk/logo.png". Allowed: an https: URL naming a host, of an SVG Tiny Portable/Secure logo, for example "https://www.dept.gov.uk/bimi/logo.svg".'],
    ['a logo at an IP address', { logoUrl: 'https://192.0.2.1/logo.svg' },
      ': [BIMI-LOGO-URL] l= "https://192.0.2.1/logo.svg" names "192.0.2.1", not a fully qualified host name.'],
    ['a ";" in the logo URL', { logoUrl: 'https://www.dept.gov.uk/a;b.svg' },
      ': [BIMI-LOGO-URL] l= "https://www.dept.gov.uk/a;b.svg" holds a ";", which would end the tag: percent-encode it (%3B).'],
    ['an http: certificate', { authorityUrl: 'http://www.dept.gov.uk/vmc.pem' },
      ': [BIMI-AUTHORITY-URL] a= "http://www.dept.gov.uk/vmc.pem" uses http:; only https: is allowed. Got: "http://www.dept.gov.uk/vmc.pem". '
      + 'Allowed: an https: URL naming a host, of the PEM mark certificate, for example "https://www.dept.gov.uk/bimi/vmc.pem".'],
    ['a certificate with no logo', { logoUrl: '', authorityUrl: VMC },
      ': [BIMI-LOGO-URL] The record has an l= tag: empty (declining to publish) or one https: URL, naming a host, of an SVG indicator (no other image suffix). '
      + 'Got: "". Allowed: the logo\'s https: URL when authorityUrl is given; leave authorityUrl out as well to decline BIMI.'],
    ['a selector with "_"', { selector: 'brand_1' },
      ': [BIMI-SELECTOR] A selector is one or more labels of letters, digits and hyphens, separated by dots. Got: "brand_1". '
      + 'Allowed: labels of letters, digits and hyphens (not at either end) separated by dots, for example "default" or "brand2".'],
  ])('%s', (_name, props, message) => {
    const thrown = attempt(props);
    expect(thrown).toMatch(/^Test\/Bimi\d+: \[BIMI-/);
    expect(thrown).toContain(message);
  });
});

describe('BimiRecord: BIMI needs DMARC at enforcement (BIMI-DMARC-POLICY)', () => {
  test('the app\'s DmarcRecord at p=none fails synth, naming both constructs', () => {
    // GIVEN a DMARC record at p=none (allowed explicitly) and a BIMI record for the domain
    const { app } = bimi({}, { dmarc: DmarcPolicy.NONE });
    // WHEN the app is synthesised THEN synth fails with the BIMI rule
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Bimi] [BIMI-DMARC-POLICY] Receivers show no BIMI logo unless DMARC is at enforcement: '
      + 'the DMARC policy is p=none; set p=quarantine or p=reject.');
    expect(() => app.synth()).toThrow('(DMARC published by Test/Dmarc)');
  });

  test('p=quarantine is at enforcement', () => {
    const { stack } = bimi({}, { dmarc: DmarcPolicy.QUARANTINE });
    expect(() => lint.template(stack)).not.toThrow();
    // (the profile's own warnings about quarantine, but nothing about BIMI)
    expect(warningIds(stack)).toEqual(['GOVUK-DMARC-POLICY', 'GOVUK-DMARC-SUBDOMAIN-POLICY']);
  });

  test('no DmarcRecord in the app: a warning says DMARC was not checked here', () => {
    const { stack } = bimi({}, { dmarc: 'none-in-app' });
    lint.template(stack);
    expect(warningIds(stack)).toEqual(['BIMI-DMARC-POLICY']);
    expect(warnings(stack)[0]).toContain('No DmarcRecord for dept.gov.uk is in this app, so whether DMARC is at enforcement');
  });

  test('a DmarcRecord for another domain does not count', () => {
    const { app, stack, zone } = stackWithZone();
    new BimiRecord(stack, 'Bimi', { zone, logoUrl: LOGO });
    new DmarcRecord(stack, 'Dmarc', { zone, domainName: 'other.dept.gov.uk', reportTo: [REPORT] });
    app.synth();
    expect(warningIds(stack)).toEqual(['BIMI-DMARC-POLICY']);
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the record model. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['defaults', () => bimi().stack],
  ['selector, certificate and TTL at a subdomain', () => bimi({ domainName: 'mail.dept.gov.uk', selector: 'brand2', authorityUrl: VMC, ttl: Duration.hours(4) }).stack],
];

describe('BimiRecord: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });

  test.each(SCENARIOS)('%s: the BIMI value reads back with no error', (_name, build) => {
    const values = recordSets(lint.template(build())).filter(([name]) => /\._bimi\./.test(name)).flatMap(([, , , v]) => v as string[]);
    expect(values).toHaveLength(1);
    expect(Bimi.checkRecordSet(values).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
  });
});

describe('BimiRecord: gov-email review reads it from the synthesised assembly', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gov-email-bimi-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function review(dir: string): Promise<{ code: number; json: any }> {
    const { code, stdout } = await runReview(dir, '--format', 'json');
    return { code, json: JSON.parse(stdout) };
  }

  test('the record is listed under its domain, with no BIMI finding', async () => {
    // GIVEN an app whose BIMI record was written by the construct, with DMARC at p=reject
    const { app } = bimi({ authorityUrl: VMC });
    // WHEN its assembly is reviewed
    const out = await review(app.synth({ force: true }).directory);
    // THEN the domain lists the BIMI record, and nothing is found about it (the domain publishes
    // nothing else, so the profile has findings of its own)
    const [dept] = out.json.domains;
    expect(dept.domain).toBe('dept.gov.uk');
    expect(dept.records.map((r: { name: string; type: string; value: string }) => `${r.name} ${r.type} ${r.value}`)).toEqual([
      expect.stringMatching(/^_dmarc\.dept\.gov\.uk TXT "v=DMARC1; p=reject; /),
      `default._bimi.dept.gov.uk TXT "v=BIMI1; l=${LOGO}; a=${VMC}"`,
    ]);
    expect(dept.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('BIMI-'))).toEqual([]);
  });

  test('review judges the DMARC policy BIMI needs, from the assembly alone', async () => {
    // GIVEN an assembly written without validation, whose DMARC record is at p=none
    const { app } = bimi({ selector: 'brand' }, { dmarc: DmarcPolicy.NONE });
    const out = await review(app.synth({ force: true, skipValidation: true }).directory);
    // THEN review reports BIMI-DMARC-POLICY at the BIMI record, as the construct did
    expect(out.code).toBe(1);
    const bimiFindings = out.json.domains[0].findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('BIMI-'));
    expect(bimiFindings).toEqual([expect.objectContaining({
      ruleId: 'BIMI-DMARC-POLICY',
      severity: 'error',
      path: 'brand._bimi.dept.gov.uk',
      subject: { name: 'brand._bimi.dept.gov.uk', type: 'TXT' },
    })]);
  });
});
