import { Duration } from 'aws-cdk-lib';
import { BimiOptions } from '../../src/constructs/bimi-record';
import { GovEmailDomain, GovEmailDomainProps } from '../../src/constructs/gov-email-domain';
import { Bimi } from '../../src/records/bimi';
import { DmarcPolicy } from '../../src/records/dmarc';
import { Sender } from '../../src/senders/sender';
import { GovUkProfile } from '../../src/standard/profile';
import { runReview } from '../cli/support/environment';
import { TemplateLinter } from '../util/cfn-lint';
import { infoIds, recordSets, stackWithZone, thrownBy, warningIds } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const ENV = { account: '123456789012', region: 'eu-west-2' };
const LOGO = 'https://www.dept.gov.uk/bimi/logo.svg';
const VMC = 'https://www.dept.gov.uk/bimi/vmc.pem';
const BIMI: BimiOptions = { logoUrl: LOGO, authorityUrl: VMC };

/** A domain that sends through SES (so it needs no MX, MTA-STS or TLS-RPT), with BIMI. */
function domain(props: Partial<GovEmailDomainProps> = {}) {
  const { app, stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
  const construct = new GovEmailDomain(stack, 'Dept', {
    zone,
    senders: [Sender.amazonSes()],
    dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'] },
    bimi: BIMI,
    ...props,
  });
  return { app, stack, zone, construct };
}

/** The BIMI record sets of a template, as `recordSets` gives them. */
const bimiSets = (template: Parameters<typeof recordSets>[0]) => recordSets(template).filter(([name]) => JSON.stringify(name).includes('._bimi.'));

async function review(dir: string): Promise<{ code: number; json: any }> {
  const { code, stdout } = await runReview(dir, '--format', 'json');
  return { code, json: JSON.parse(stdout) };
}

describe('GovEmailDomain bimi: the record', () => {
  test('publishes default._bimi as the Bimi child, evaluated with the domain and clean', () => {
    // GIVEN / WHEN a sending domain with DMARC at reject (the default) and BIMI
    const { stack, construct } = domain();
    const template = lint.template(stack);
    // THEN one BIMI record set, written by the Bimi child, with the domain's TTL
    expect(bimiSets(template)).toEqual([
      ['default._bimi.dept.gov.uk.', 'TXT', '3600', [`"v=BIMI1; l=${LOGO}; a=${VMC}"`]],
    ]);
    expect(construct.bimi?.node.path).toBe('Test/Dept/Bimi');
    expect(construct.bimi?.value).toBe(`v=BIMI1; l=${LOGO}; a=${VMC}`);
    // The domain's posture holds the selector, and the profile finds nothing about it.
    expect(construct.posture.bimi).toEqual([{ selector: 'default', values: [`v=BIMI1; l=${LOGO}; a=${VMC}`] }]);
    expect(GovUkProfile.evaluate(construct.posture).filter((f) => f.ruleId.startsWith('BIMI-'))).toEqual([]);
    expect(warningIds(stack)).toEqual([]);
  });

  test('without bimi there is no BIMI record and no bimi in the posture', () => {
    const { stack, construct } = domain({ bimi: undefined });
    expect(bimiSets(lint.template(stack))).toEqual([]);
    expect(construct.bimi).toBeUndefined();
    expect(construct.posture.bimi).toBeUndefined();
  });

  test('a selector and the domain\'s TTL', () => {
    const { stack } = domain({ bimi: { logoUrl: LOGO, selector: 'brand' }, ttl: Duration.minutes(30) });
    expect(bimiSets(lint.template(stack))).toEqual([
      ['brand._bimi.dept.gov.uk.', 'TXT', '1800', [`"v=BIMI1; l=${LOGO}"`]],
    ]);
  });

  test('declining: an empty logo publishes v=BIMI1; l=; a= with the BIMI-DECLINED note', () => {
    const { stack } = domain({ bimi: { logoUrl: '' } });
    expect(bimiSets(lint.template(stack))[0][3]).toEqual(['"v=BIMI1; l=; a="']);
    expect(infoIds(stack)).toContain('BIMI-DECLINED');
  });

  test('a bad logo URL fails at once, naming the child\'s path, the rule, the value and what is allowed', () => {
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    const message = thrownBy(() => new GovEmailDomain(stack, 'Dept', {
      zone, senders: [Sender.amazonSes()], dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'] }, bimi: { logoUrl: 'http://www.dept.gov.uk/logo.svg' },
    }));
    expect(message).toBe('Test/Dept/Bimi: [BIMI-LOGO-URL] l= "http://www.dept.gov.uk/logo.svg" uses http:; only https: is allowed. '
      + 'Got: "http://www.dept.gov.uk/logo.svg". Allowed: an https: URL naming a host, of an SVG Tiny Portable/Secure logo, for example "https://www.dept.gov.uk/bimi/logo.svg".');
  });
});

describe('GovEmailDomain bimi: DMARC at enforcement (BIMI-DMARC-POLICY)', () => {
  test('p=none, accepted for DMARC with allowMonitoringOnly, still fails synth with BIMI', () => {
    // GIVEN monitoring-only DMARC, allowed explicitly, and a BIMI logo
    const { app } = domain({ dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'], policy: DmarcPolicy.NONE, allowMonitoringOnly: true } });
    // THEN BIMI's rule is an error on the domain
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Dept] [BIMI-DMARC-POLICY] Receivers show no BIMI logo unless DMARC is at enforcement: '
      + 'the DMARC policy is p=none; set p=quarantine or p=reject.');
  });

  test('sp=none alone fails too', () => {
    const { app } = domain({
      dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'], subdomainPolicy: DmarcPolicy.NONE, allowMonitoringOnly: true },
    });
    expect(() => app.synth()).toThrow('[Test/Dept] [BIMI-DMARC-POLICY] Receivers show no BIMI logo unless DMARC is at enforcement: the DMARC subdomain policy is sp=none');
  });

  test('p=quarantine is at enforcement: no BIMI finding', () => {
    const { stack, construct } = domain({ dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'], policy: DmarcPolicy.QUARANTINE } });
    lint.template(stack);
    expect(GovUkProfile.evaluate(construct.posture).filter((f) => f.ruleId.startsWith('BIMI-'))).toEqual([]);
  });

  test('the Bimi child leaves the evaluation to the domain: one finding, on the domain', () => {
    const { app, construct } = domain({ dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'], policy: DmarcPolicy.NONE, allowMonitoringOnly: true } });
    const message = thrownBy(() => app.synth());
    expect(message.match(/BIMI-DMARC-POLICY/g)).toHaveLength(1);
    expect(message).not.toContain('[Test/Dept/Bimi]');
    expect(construct.bimi).toBeDefined();
  });
});

describe('GovEmailDomain bimi: gov-email review reads it from the synthesised assembly', () => {
  test('the BIMI record is in the domain\'s plan, and the review is clean', async () => {
    // GIVEN the app synthesised
    const { app } = domain();
    const out = await review(app.synth({ force: true }).directory);
    // THEN the record shows under the domain and nothing is found
    expect(out.code).toBe(0);
    const [dept] = out.json.domains;
    expect(dept.domain).toBe('dept.gov.uk');
    expect(dept.records).toContainEqual(expect.objectContaining({
      name: 'default._bimi.dept.gov.uk', type: 'TXT', value: `"v=BIMI1; l=${LOGO}; a=${VMC}"`,
    }));
    expect(dept.findings).toEqual([]);
  });

  test('a domain synthesised without validation: review reports BIMI-DMARC-POLICY as the construct does', async () => {
    const { app } = domain({ dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'], policy: DmarcPolicy.NONE, allowMonitoringOnly: true } });
    const out = await review(app.synth({ force: true, skipValidation: true }).directory);
    expect(out.code).toBe(1);
    const [dept] = out.json.domains;
    expect(dept.findings.filter((f: { ruleId: string }) => f.ruleId === 'BIMI-DMARC-POLICY')).toEqual([expect.objectContaining({
      severity: 'error', path: 'default._bimi.dept.gov.uk', subject: { name: 'default._bimi.dept.gov.uk', type: 'TXT' },
    })]);
    // The same values the construct published, read back through the model.
    const bimi = dept.records.find((r: { name: string }) => r.name === 'default._bimi.dept.gov.uk');
    expect(Bimi.checkRecordSet([bimi.value])).toEqual([]);
  });
});
