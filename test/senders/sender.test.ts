import { MtaSts } from '../../src/records/mta-sts';
import { Spf, SpfQualifier } from '../../src/records/spf';
import { AmazonSesMailFrom, DkimRecordType, Sender, SenderKind, Senders } from '../../src/senders';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';

const DOMAIN = 'dept.gov.uk';
const m365 = () => Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });

describe('Sender catalogue', () => {
  test('Microsoft 365: include, MX derived from the domain, DKIM CNAMEs to the tenant, wildcard MTA-STS pattern', () => {
    const s = m365();
    expect(s.kind).toBe(SenderKind.MICROSOFT_365);
    expect(s.spfIncludes).toEqual([{ domain: 'spf.protection.outlook.com', lookups: 1 }]);
    expect(s.mxRecords(DOMAIN)).toEqual([{ preference: 0, exchange: 'dept-gov-uk.mail.protection.outlook.com' }]);
    expect(s.dkimRecords(DOMAIN)).toEqual([
      { selector: 'selector1', recordType: DkimRecordType.CNAME, value: 'selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com' },
      { selector: 'selector2', recordType: DkimRecordType.CNAME, value: 'selector2-dept-gov-uk._domainkey.dept.onmicrosoft.com' },
    ]);
    expect(s.mtaStsMx(DOMAIN)).toEqual(['*.mail.protection.outlook.com']);
    expect(s.receivesMail(DOMAIN)).toBe(true);
  });

  test('Microsoft 365 with a new-style mx.microsoft host lists that host in MTA-STS', () => {
    const s = Sender.microsoft365({ mx: 'dept-gov-uk.a1b2.mx.microsoft', dkimTargets: ['t1.example', 't2.example'] });
    expect(s.mtaStsMx(DOMAIN)).toEqual(['dept-gov-uk.a1b2.mx.microsoft']);
    expect(s.dkimRecords(DOMAIN).map((d) => d.value)).toEqual(['t1.example', 't2.example']);
  });

  // The factories cannot know a construct path: they record each problem with its rule id, and
  // the construct that receives the sender reports it (test/constructs/gov-email-domain.test.ts).
  test.each<[string, () => Sender, string, unknown]>([
    ['Microsoft 365 with neither dkimTargets nor initialDomain', () => Sender.microsoft365({}), 'SENDER-DKIM-TARGETS', 'neither dkimTargets nor initialDomain'],
    ['Microsoft 365 with one DKIM target', () => Sender.microsoft365({ dkimTargets: ['only-one.example'] }), 'SENDER-DKIM-TARGETS', ['only-one.example']],
    ['Microsoft 365 with three DKIM targets', () => Sender.microsoft365({ dkimTargets: ['a.example', 'b.example', 'c.example'] }), 'SENDER-DKIM-TARGETS', ['a.example', 'b.example', 'c.example']],
    ['Microsoft 365 with a single-label initial domain', () => Sender.microsoft365({ initialDomain: 'dept' }), 'DNS-NAME-SYNTAX', 'dept'],
    ['Microsoft 365 with an initial domain that is not a name', () => Sender.microsoft365({ initialDomain: 'dept_x.onmicrosoft.com' }), 'DNS-NAME-SYNTAX', 'dept_x.onmicrosoft.com'],
    ['Amazon SES with a region that is not one', () => Sender.amazonSes({ region: 'london' }), 'SES-REGION', 'london'],
    ['Amazon SES with a MAIL FROM label holding an underscore', () => Sender.amazonSes({ mailFromSubdomain: 'mail_from' }), 'SES-MAIL-FROM-DOMAIN', 'mail_from'],
    ['Amazon SES with an empty MAIL FROM subdomain', () => Sender.amazonSes({ mailFromSubdomain: '' }), 'SES-MAIL-FROM-DOMAIN', ''],
    ['a custom sender without a name', () => Sender.custom({ name: ' ' }), 'SENDER-NAME', ' '],
    ['a custom include with a negative lookup cost', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: -1 }] }), 'SENDER-SPF-INCLUDE-COST', -1],
    ['a custom include with a fractional lookup cost', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: 1.5 }] }), 'SENDER-SPF-INCLUDE-COST', 1.5],
    ['a custom include with a lookup cost that is not a number', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: NaN }] }), 'SENDER-SPF-INCLUDE-COST', NaN],
    ['a custom include with negative void lookups', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: 0, voidLookups: -2 }] }), 'SENDER-SPF-INCLUDE-COST', -2],
  ])('the factory records the problem of %s under its rule id, without throwing', (_name, make, ruleId, value) => {
    // WHEN a sender is made with the bad option
    let sender: Sender | undefined;
    expect(() => { sender = make(); }).not.toThrow();
    // THEN it holds one problem, with the rule id (a catalogue rule), the value and what is allowed
    expect(sender!._problems).toHaveLength(1);
    expect(sender!._problems[0]).toMatchObject({ ruleId, value });
    expect(RuleCatalogue.find(ruleId)).toBeDefined();
  });

  test.each<[string, () => Sender]>([
    ['Microsoft 365 with an initial domain', () => m365()],
    ['Microsoft 365 with two DKIM targets', () => Sender.microsoft365({ dkimTargets: ['t1.example', 't2.example'] })],
    ['Amazon SES with a region and a two-label MAIL FROM subdomain', () => Sender.amazonSes({ region: 'eu-west-2', mailFromSubdomain: 'bounce.mail' })],
    ['Amazon SES in an opt-in or GovCloud region', () => Sender.amazonSes({ region: 'us-gov-west-1' })],
    ['a custom include costing 0 lookups, with 0 void lookups', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: 0, voidLookups: 0 }] })],
    ['a custom include costing 2 lookups', () => Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: 2 }] })],
  ])('the factory records no problem for %s', (_name, make) => {
    expect(make()._problems).toEqual([]);
  });

  test('Google Workspace: smtp.google.com, DKIM TXT only when the key is given, legacy MX listed explicitly', () => {
    expect(Sender.googleWorkspace().mxRecords(DOMAIN)).toEqual([{ preference: 1, exchange: 'smtp.google.com' }]);
    expect(Sender.googleWorkspace().dkimRecords(DOMAIN)).toEqual([]);
    expect(Sender.googleWorkspace({ dkimRecord: 'v=DKIM1; k=rsa; p=AAAA', dkimSelector: 'g2026' }).dkimRecords(DOMAIN))
      .toEqual([{ selector: 'g2026', recordType: DkimRecordType.TXT, value: 'v=DKIM1; k=rsa; p=AAAA' }]);
    const legacy = Sender.googleWorkspace({ legacyMx: true });
    expect(legacy.mxRecords(DOMAIN)).toHaveLength(5);
    // Every legacy MX host is covered by the patterns: *.aspmx.l.google.com alone would miss the first.
    const policy = { mode: 'enforce' as any, maxAge: 1209600, mx: legacy.mtaStsMx(DOMAIN) };
    expect(MtaSts.uncoveredMx(policy, legacy.mxRecords(DOMAIN).map((m) => m.exchange))).toEqual([]);
  });

  test('Amazon SES needs nothing at the apex; its MAIL FROM domain gets the include and a regional MX', () => {
    const s = Sender.amazonSes({ region: 'eu-west-2' });
    expect(s.usesSesIdentity).toBe(true);
    expect(s.spfIncludes).toEqual([]);
    expect(s.mxRecords(DOMAIN)).toEqual([]);
    expect(AmazonSesMailFrom.mxHost('eu-west-2')).toBe('feedback-smtp.eu-west-2.amazonses.com');
    expect(AmazonSesMailFrom.spfRecord()).toBe('v=spf1 include:amazonses.com -all');
  });

  test('GOV.UK Notify needs nothing in DNS', () => {
    const s = Sender.govUkNotify();
    expect([s.spfIncludes, s.spfMechanisms, s.mxRecords(DOMAIN), s.dkimRecords(DOMAIN)]).toEqual([[], [], [], []]);
  });

  test('a custom sender has the same shape; its MTA-STS patterns default to its MX hosts', () => {
    const s = Sender.custom({ name: 'Relay', spfMechanisms: ['ip4:192.0.2.0/24'], mx: [{ preference: 10, exchange: 'mx.relay.example.' }] });
    expect(s.mtaStsMx(DOMAIN)).toEqual(['mx.relay.example']);
  });
});

describe('Senders together', () => {
  test('one apex SPF record: each include once, -all by default, and it parses as SPF', () => {
    const spf = Senders.apexSpf([m365(), Sender.googleWorkspace(), m365(), Sender.amazonSes()]);
    expect(spf).toBe('v=spf1 include:spf.protection.outlook.com include:_spf.google.com -all');
    expect(Spf.allQualifier(Spf.parse(spf))).toBe(SpfQualifier.FAIL);
    expect(Senders.apexSpf([], { allQualifier: SpfQualifier.SOFTFAIL })).toBe('v=spf1 ~all');
  });

  test('the lookup budget is counted with the catalogue costs: too many senders fail', () => {
    const many = Array.from({ length: 3 }, (_, i) => Sender.custom({ name: `S${i}`, spfIncludes: [{ domain: `spf${i}.example`, lookups: 2 }] }));
    const ok = Senders.validate([m365(), Sender.googleWorkspace()], DOMAIN);
    expect(ok.filter((f) => f.severity === 'error')).toEqual([]);
    // 1+1 (Microsoft) + 1+3 (Google) + 3 x (1+2) = 15 > 10
    const over = Senders.validate([m365(), Sender.googleWorkspace(), ...many], DOMAIN);
    expect(over.map((f) => f.ruleId)).toContain('SPF-LOOKUP-LIMIT');
  });

  test('two services sharing a DKIM selector break GOVUK-DKIM-SELECTOR-PER-SERVICE', () => {
    const a = Sender.custom({ name: 'CRM', dkim: [{ selector: 's1', recordType: DkimRecordType.CNAME, value: 'a.example' }] });
    const b = Sender.custom({ name: 'Newsletters', dkim: [{ selector: 'S1', recordType: DkimRecordType.CNAME, value: 'b.example' }] });
    const findings = Senders.validate([a, b], DOMAIN);
    expect(findings.map((f) => f.ruleId)).toContain('GOVUK-DKIM-SELECTOR-PER-SERVICE');
    expect(Senders.validate([a], DOMAIN).map((f) => f.ruleId)).not.toContain('GOVUK-DKIM-SELECTOR-PER-SERVICE');
  });

  test('+all or ?all is refused by the profile', () => {
    expect(Senders.validate([m365()], DOMAIN, { allQualifier: SpfQualifier.NEUTRAL }).map((f) => f.ruleId)).toContain('GOVUK-SPF-ALL');
  });

  test('MX records and MTA-STS patterns are merged without duplicates, and the patterns cover the MX set', () => {
    const senders = [m365(), m365(), Sender.googleWorkspace({ legacyMx: true })];
    const mx = Senders.mxRecords(senders, DOMAIN);
    expect(mx).toHaveLength(6);
    const patterns = Senders.mtaStsMx(senders, DOMAIN);
    expect(patterns).toEqual(['*.mail.protection.outlook.com', 'aspmx.l.google.com', '*.aspmx.l.google.com']);
    expect(MtaSts.uncoveredMx({ mode: 'enforce' as any, maxAge: 1209600, mx: patterns }, mx.map((m) => m.exchange))).toEqual([]);
  });
});

describe('Senders.knownIncludeCosts', () => {
  test('lists the catalogue\'s includes with their costs, as copies', () => {
    const costs = Senders.knownIncludeCosts();
    expect(costs).toEqual(expect.arrayContaining([
      { domain: 'amazonses.com', lookups: 0 },
      { domain: 'spf.protection.outlook.com', lookups: 1 },
      { domain: '_spf.google.com', lookups: 3 },
    ]));
    (costs[0] as any).lookups = 99;
    expect(Senders.knownIncludeCosts()[0].lookups).not.toBe(99);
  });
});

describe('Sender.bind', () => {
  test('Amazon SES: no apex include, no MX or DKIM records of its own, and the SES identity to create with its MAIL FROM subdomain and region', () => {
    expect(Sender.amazonSes({ mailFromSubdomain: 'bounce', region: 'eu-west-2' }).bind(DOMAIN)).toEqual({
      name: 'Amazon SES',
      kind: SenderKind.AMAZON_SES,
      spfIncludes: [],
      spfMechanisms: [],
      mx: [],
      dkim: [],
      mtaStsMx: [],
      sesIdentity: { mailFromSubdomain: 'bounce', region: 'eu-west-2' },
    });
    expect(Sender.amazonSes().bind(DOMAIN).sesIdentity).toEqual({ mailFromSubdomain: 'mail' });
  });

  test('Microsoft 365: the same needs the sender lists for the domain, and no SES identity', () => {
    const s = m365();
    const bound = s.bind(DOMAIN);
    expect(bound).toEqual({
      name: s.name,
      kind: SenderKind.MICROSOFT_365,
      spfIncludes: s.spfIncludes,
      spfMechanisms: [],
      mx: s.mxRecords(DOMAIN),
      dkim: s.dkimRecords(DOMAIN),
      mtaStsMx: s.mtaStsMx(DOMAIN),
    });
    expect(bound.mx[0].exchange).toBe('dept-gov-uk.mail.protection.outlook.com');
    expect(bound.sesIdentity).toBeUndefined();
  });

  test('the config is a copy: changing it does not change the sender', () => {
    const s = Sender.custom({ name: 'Relay', spfMechanisms: ['ip4:192.0.2.0/24'] });
    const bound = s.bind(DOMAIN);
    bound.spfMechanisms.push('ip4:198.51.100.0/24');
    expect(s.bind(DOMAIN).spfMechanisms).toEqual(['ip4:192.0.2.0/24']);
  });
});
