/**
 * A DomainPortfolio whose reports go to the app's ReportInbox: every domain becomes one of the
 * inbox's domains (sending or not), parked domains report DMARC to the inbox's address, and
 * sending domains that receive mail report TLS to it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { ReportInbox } from '../../src/report-inbox';
import { Sender } from '../../src/senders/sender';
import { ensureParserBundle } from '../report-inbox/support/bundle';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
beforeAll(() => ensureParserBundle());
afterAll(() => lint.expectNoErrors(), 180000);

const ENV = { account: '111111111111', region: 'eu-west-2' };
const ZONE_ID = 'Z0DEPT00000000000001';

interface Built {
  readonly app: App;
  readonly inboxStack: Stack;
  readonly inbox: ReportInbox;
  readonly portfolio: DomainPortfolio;
}

function build(options: { inboxDomains?: string[]; portfolioReportTo?: string[] } = {}): Built {
  const app = new App();
  const inboxStack = new Stack(app, 'Reports', { env: ENV });
  const zone = new route53.PublicHostedZone(inboxStack, 'Zone', { zoneName: 'dept.gov.uk' });
  const inbox = new ReportInbox(inboxStack, 'Inbox', { zone, domains: options.inboxDomains ?? [], allowMissingMtaSts: true });
  const portfolio = new DomainPortfolio(app, 'Estate', {
    env: ENV,
    shardCount: 2,
    reportInbox: inbox,
    dmarcReportTo: options.portfolioReportTo,
    domains: [
      PortfolioDomain.parked({ domainName: 'old-agency.gov.uk', hostedZoneId: 'Z0OLD000000000000001' }),
      PortfolioDomain.parked({ domainName: 'closed.dept.gov.uk', hostedZoneId: ZONE_ID, zoneName: 'dept.gov.uk' }),
      PortfolioDomain.sending({
        domainName: 'dept.gov.uk',
        hostedZoneId: ZONE_ID,
        senders: [Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })],
        dmarc: { reportTo: [inbox.dmarcAddress] },
        mtaSts: { publish: false },
      }),
      PortfolioDomain.sending({
        domainName: 'notify.agency.gov.uk',
        hostedZoneId: 'Z0AGENCY000000000001',
        zoneName: 'agency.gov.uk',
        senders: [Sender.amazonSes()],
        dmarc: { reportTo: [inbox.dmarcAddress] },
      }),
    ],
  });
  return { app, inboxStack, inbox, portfolio };
}

/** Every record set of the portfolio's stacks, flattened out of their groups: name, type and values. */
function records(portfolio: DomainPortfolio): Array<{ name: string; type: string; values: string[] }> {
  const out: Array<{ name: string; type: string; values: string[] }> = [];
  for (const stack of portfolio.stacks) {
    const template = Template.fromStack(stack);
    lint.add(`portfolio-inbox-${stack.stackName}-${out.length}`, template.toJSON());
    for (const r of Object.values(template.findResources('AWS::Route53::RecordSetGroup'))) {
      for (const set of r.Properties.RecordSets) out.push({ name: String(set.Name).replace(/\.$/, ''), type: set.Type, values: set.ResourceRecords ?? [] });
    }
    for (const r of Object.values(template.findResources('AWS::Route53::RecordSet'))) {
      out.push({ name: String(r.Properties.Name).replace(/\.$/, ''), type: r.Properties.Type, values: r.Properties.ResourceRecords ?? [] });
    }
  }
  return out;
}

function domainList(inboxStack: Stack): Record<string, unknown> {
  const template = Template.fromStack(inboxStack);
  lint.add(`portfolio-inbox-inbox-${Math.random().toString(36).slice(2)}`, template.toJSON());
  const [resource] = Object.values(template.findResources('Custom::ReportInboxDomainList'));
  return resource.Properties;
}

describe('DomainPortfolio with a reportInbox', () => {
  test('every domain becomes one of the inbox\'s domains, sending domains as sending mail and parked ones as not', () => {
    const { inbox, inboxStack } = build();
    expect([...inbox.domains].sort()).toEqual(['closed.dept.gov.uk', 'dept.gov.uk', 'notify.agency.gov.uk', 'old-agency.gov.uk']);
    expect([...inbox.domainsSendingNoMail].sort()).toEqual(['closed.dept.gov.uk', 'old-agency.gov.uk']);
    expect(domainList(inboxStack)).toEqual(expect.objectContaining({
      SendingMail: 'dept.gov.uk,notify.agency.gov.uk',
      SendingNoMail: 'closed.dept.gov.uk,old-agency.gov.uk',
    }));
  });

  test('parked domains report DMARC to the inbox, and a sending domain that receives mail reports TLS to it', () => {
    const { inbox, portfolio } = build();
    const all = records(portfolio);
    const txt = (name: string) => all.find((r) => r.name === name && r.type === 'TXT')?.values.join('');
    for (const parked of ['old-agency.gov.uk', 'closed.dept.gov.uk']) {
      expect(txt(`_dmarc.${parked}`)).toContain(`rua=${inbox.dmarcAddress}`);
    }
    // dept.gov.uk receives mail (Microsoft 365's MX) and gave no tlsReportTo.
    expect(txt('_smtp._tls.dept.gov.uk')).toBe(`"v=TLSRPTv1; rua=${inbox.tlsReportAddress}"`);
    // notify.agency.gov.uk sends through SES and receives nothing: no TLS-RPT record is made for it.
    expect(txt('_smtp._tls.notify.agency.gov.uk')).toBeUndefined();
  });

  test('the inbox authorises the domains outside its organisational domain, and none is reported as unlisted', () => {
    const { inboxStack, inbox, portfolio } = build();
    expect([...inbox.reportAuthorisationNames].sort()).toEqual([
      'notify.agency.gov.uk._report._dmarc.reports.dept.gov.uk',
      'old-agency.gov.uk._report._dmarc.reports.dept.gov.uk',
    ]);
    const errors = [inboxStack, ...portfolio.stacks]
      .flatMap((stack) => Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*')));
    expect(errors).toEqual([]);
  });

  test('a domain the inbox lists already is not added twice, and keeps how it was listed', () => {
    const { inbox } = build({ inboxDomains: ['dept.gov.uk', 'old-agency.gov.uk'] });
    expect(inbox.domains.filter((d) => d === 'old-agency.gov.uk')).toHaveLength(1);
    // Listed by the inbox's own props as sending mail: the portfolio does not change that.
    expect(inbox.domainsSendingNoMail).toEqual(['closed.dept.gov.uk']);
  });

  test('the portfolio\'s dmarcReportTo still decides where parked domains report', () => {
    const { portfolio } = build({ portfolioReportTo: ['mailto:dmarc@elsewhere.dept.gov.uk'] });
    const dmarc = records(portfolio).find((r) => r.name === '_dmarc.old-agency.gov.uk')!;
    expect(dmarc.values.join('')).toContain('rua=mailto:dmarc@elsewhere.dept.gov.uk');
  });
});
