import { join } from 'node:path';
import { readCloudAssembly } from '../../src/assembly/cloud-assembly';
import { ASSEMBLY_RULES, EmailDomain, domainsFromAssembly, domainsFromResources, evaluateDomain, posturesFromAssembly } from '../../src/assembly/domains';
import { originText, recordsFromTemplate, resourcesFromStacks } from '../../src/assembly/resources';
import { CfnTemplate } from '../../src/assembly/template';
import { Senders } from '../../src/senders/sender-set';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';

const FIXTURES = join(__dirname, '..', 'fixtures', 'assemblies');
const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: dept-gov-uk.mail.protection.outlook.com\r\nmax_age: 1209600\r\n';

const rs = (name: string, type: string, values: unknown[], extra: Record<string, unknown> = {}) =>
  ({ Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: 'Z1', Name: name, Type: type, TTL: '300', ResourceRecords: values, ...extra } });
const domainsOf = (resources: CfnTemplate['Resources']) => domainsFromResources(recordsFromTemplate({ Resources: resources }, 'S'));
const ids = (d: EmailDomain) => evaluateDomain(d).map((f) => f.ruleId);

describe('domains of the multi-stack fixture (dept.gov.uk over two stacks)', () => {
  const assembly = readCloudAssembly(join(FIXTURES, 'multi-stack'));
  const domains = domainsFromAssembly(assembly);
  const dept = domains.find((d) => d.domain === 'dept.gov.uk')!;

  test('two domains: the department and its parked domain', () => {
    expect(domains.map((d) => d.domain)).toEqual(['dept.gov.uk', 'old-dept.gov.uk']);
  });

  test('the department\'s records from both stacks, merged: the apex first, names known only at deployment last', () => {
    expect(dept.records.map((r) => `${r.name} ${r.type} ${originText(r.origin)}`)).toEqual([
      'dept.gov.uk MX DeptZone/ApexMx0D8F4E21',
      'dept.gov.uk TXT DeptMail/SiteVerification2E6F',
      'dept.gov.uk TXT DeptZone/ApexTxt6A1E5C2B',
      '_dmarc.dept.gov.uk TXT DeptZone/DmarcB0E4C3F1',
      '_mta-sts.dept.gov.uk TXT DeptMail/MtaStsTxt3E9A1B7C',
      '_smtp._tls.dept.gov.uk TXT DeptMail/TlsRpt5D2C8E0F',
      'bounce.dept.gov.uk MX DeptMail/MailFromMx6C1E2F3A',
      'bounce.dept.gov.uk TXT DeptMail/MailFromTxt8A9B0C1D',
      'mta-sts.dept.gov.uk A DeptMail/PolicyHostAlias1F2E3D4C',
      'old-dept.gov.uk._report._dmarc.dept.gov.uk TXT DeptZone/OldDeptReportAuthorisation4F2A',
      'selector1._domainkey.dept.gov.uk CNAME DeptMail/Selector1Cname7B3D',
      '<SES DKIM token name 1> CNAME DeptMail/IdentityDkimDnsToken1A1B2C3D',
      '<SES DKIM token name 2> CNAME DeptMail/IdentityDkimDnsToken2A1B2C3D',
      '<SES DKIM token name 3> CNAME DeptMail/IdentityDkimDnsToken3A1B2C3D',
    ]);
  });

  test('the imported zone resolves to the zone of the other stack', () => {
    expect(new Set(dept.records.map((r) => r.zone))).toEqual(new Set(['dept.gov.uk']));
  });

  test('the MAIL FROM MX of an environment-agnostic stack shows <region>', () => {
    expect(dept.records.find((r) => r.name === 'bounce.dept.gov.uk' && r.type === 'MX')!.values).toEqual(['10 feedback-smtp.<region>.amazonses.com']);
  });

  test('each posture, exactly', () => {
    expect(posturesFromAssembly(assembly)).toEqual([
      {
        domainName: 'dept.gov.uk',
        spfIncludeCosts: Senders.knownIncludeCosts(),
        sendsMail: true,
        apexTxt: ['"v=spf1 include:spf.protection.outlook.com -all"', '"MS=ms12345678"', '"google-site-verification=abc123"'],
        mx: ['0 dept-gov-uk.mail.protection.outlook.com.'],
        dmarc: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-reports@dept.gov.uk"'],
        mtaStsTxt: ['"v=STSv1; id=81d44776dbfdde5f2b01563912064fe2"'],
        mtaStsPolicy: POLICY,
        tlsRpt: ['"v=TLSRPTv1; rua=mailto:tls-reports@dept.gov.uk"'],
        // The Microsoft 365 selector is a CNAME to the tenant's key: delegated, not unknown.
        dkimDelegated: [{ selector: 'selector1', target: 'selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com' }],
        dkimWildcard: [],
        caa: [],
        reportAuthorisations: [],
        sesTlsRequired: true,
        policyHostMinimumTls: 'TLSv1.2_2021',
      },
      {
        domainName: 'old-dept.gov.uk',
        spfIncludeCosts: Senders.knownIncludeCosts(),
        apexTxt: ['"v=spf1 -all"'],
        mx: ['0 .'],
        dmarc: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-reports@dept.gov.uk"'],
        mtaStsTxt: [],
        tlsRpt: [],
        dkim: [],
        dkimWildcard: ['"v=DKIM1; p="'],
        caa: ['0 issue ";"'],
        reportAuthorisations: [{ name: 'old-dept.gov.uk._report._dmarc.dept.gov.uk', values: ['"v=DMARC1"'] }],
      },
    ]);
  });

  test('the two apex TXT record sets in two stacks are a conflict, reported once', () => {
    expect(dept.planFindings).toEqual([{
      ruleId: 'ROUTE53-RECORD-CONFLICT',
      severity: 'error',
      message: '2 record sets publish TXT at dept.gov.uk in the hosted zone dept.gov.uk: DeptZone/ApexTxt6A1E5C2B, DeptMail/SiteVerification2E6F. '
        + 'Route 53 holds one record set per name and type, so all but one fail to deploy ("already exists"); put every value in one record set.',
      source: ASSEMBLY_RULES.duplicateRecordSet.source,
      path: 'dept.gov.uk',
      subject: { name: 'dept.gov.uk', type: 'TXT' },
    }]);
    expect(ids(dept).filter((id) => id === 'ROUTE53-RECORD-CONFLICT')).toHaveLength(1);
  });
});

describe('domains of the nested fixture (records in a nested stack fed by parameters)', () => {
  const [agency] = domainsFromAssembly(readCloudAssembly(join(FIXTURES, 'nested')));

  test('names from parameters, Fn::Sub and Fn::Join; DKIM tokens passed as parameters keep their placeholders', () => {
    expect(agency.domain).toBe('agency.gov.uk');
    expect(agency.records.map((r) => [r.name, r.type, r.values.join(' ')])).toEqual([
      ['agency.gov.uk', 'TXT', '"v=spf1 -all"'],
      ['_dmarc.agency.gov.uk', 'TXT', '"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@agency.gov.uk"'],
      ['mail.agency.gov.uk', 'MX', '10 feedback-smtp.eu-west-2.amazonses.com'],
      ['mail.agency.gov.uk', 'TXT', '"v=spf1 include:amazonses.com -all"'],
      ['<SES DKIM token name 1>', 'CNAME', '<SES DKIM token value 1>'],
    ]);
  });

  test('the configuration set has no TLS policy: GOVUK-SES-TLS-REQUIRED', () => {
    expect(agency.posture?.sesTlsRequired).toBe(false);
    expect(ids(agency)).toEqual(['GOVUK-NOT-EVALUATED', 'GOVUK-SES-TLS-REQUIRED']);
  });
});

describe('which names are domains, and where records go', () => {
  test('SPF, MX, DMARC, MTA-STS, TLS-RPT, DKIM and SES identities make domains; the MAIL FROM subdomain does not', () => {
    const domains = domainsOf({
      A: rs('a.gov.uk.', 'TXT', ['"v=spf1 -all"']),
      B: rs('b.gov.uk.', 'MX', ['0 .']),
      C: rs('_dmarc.c.gov.uk.', 'TXT', ['"v=DMARC1; p=reject"']),
      D: rs('_mta-sts.d.gov.uk.', 'TXT', ['"v=STSv1; id=1"']),
      E: rs('_smtp._tls.e.gov.uk.', 'TXT', ['"v=TLSRPTv1; rua=mailto:a@e.gov.uk"']),
      F: rs('*._domainkey.f.gov.uk.', 'TXT', ['"v=DKIM1; p="']),
      G: rs('google._domainkey.g.gov.uk.', 'TXT', ['"v=DKIM1; p=abc"']),
      H: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'h.gov.uk', MailFromAttributes: { MailFromDomain: 'bounce.h.gov.uk' } } },
      HMx: rs('bounce.h.gov.uk.', 'MX', ['10 feedback-smtp.eu-west-2.amazonses.com']),
      HSpf: rs('bounce.h.gov.uk.', 'TXT', ['"v=spf1 include:amazonses.com -all"']),
      Web: rs('www.example.com.', 'A', ['192.0.2.1']),
      Txt: rs('x.gov.uk.', 'TXT', ['"not spf"']),
    });
    expect(domains.map((d) => d.domain)).toEqual(['a.gov.uk', 'b.gov.uk', 'c.gov.uk', 'd.gov.uk', 'e.gov.uk', 'f.gov.uk', 'g.gov.uk', 'h.gov.uk']);
    expect(domains.find((d) => d.domain === 'h.gov.uk')!.records.map((r) => `${r.name} ${r.type}`)).toEqual(['bounce.h.gov.uk MX', 'bounce.h.gov.uk TXT']);
  });

  test('other names under a domain go to the closest domain; mta-sts.X to X', () => {
    const domains = domainsOf({
      Apex: rs('dept.gov.uk.', 'TXT', ['"v=spf1 -all"']),
      Sub: rs('_dmarc.notify.dept.gov.uk.', 'TXT', ['"v=DMARC1; p=reject"']),
      Www: rs('www.dept.gov.uk.', 'CNAME', ['dept.example.net']),
      Deep: rs('a.b.notify.dept.gov.uk.', 'A', ['192.0.2.1']),
      Host: rs('mta-sts.notify.dept.gov.uk.', 'CNAME', ['x.cloudfront.net']),
    });
    expect(domains.map((d) => [d.domain, d.records.map((r) => r.name)])).toEqual([
      ['dept.gov.uk', ['dept.gov.uk', 'www.dept.gov.uk']],
      ['notify.dept.gov.uk', ['_dmarc.notify.dept.gov.uk', 'a.b.notify.dept.gov.uk', 'mta-sts.notify.dept.gov.uk']],
    ]);
  });

  test('a report authorisation is shown with its destination and evaluated for the policy domain', () => {
    const domains = domainsOf({
      Dmarc: rs('_dmarc.agency.gov.uk.', 'TXT', ['"v=DMARC1; p=reject; rua=mailto:reports@dept.gov.uk"']),
      Dept: rs('dept.gov.uk.', 'TXT', ['"v=spf1 -all"']),
      Auth: rs('agency.gov.uk._report._dmarc.dept.gov.uk.', 'TXT', ['"not a dmarc record"']),
    });
    const [agency, dept] = domains;
    expect(dept.records.map((r) => r.name)).toContain('agency.gov.uk._report._dmarc.dept.gov.uk');
    expect(agency.posture?.reportAuthorisations).toEqual([{ name: 'agency.gov.uk._report._dmarc.dept.gov.uk', values: ['"not a dmarc record"'] }]);
    expect(ids(agency)).toContain('GOVUK-DMARC-REPORT-AUTHORISATION');
  });

  test('a domain whose name is only known at deployment is shown, not evaluated', () => {
    const [d] = domainsFromResources(recordsFromTemplate({
      Parameters: { Domain: { Type: 'String' } },
      Resources: { Dmarc: rs({ 'Fn::Sub': '_dmarc.${Domain}.' } as unknown as string, 'TXT', ['"v=DMARC1; p=none"']) },
    }, 'S'));
    expect(d).toMatchObject({ domain: '<parameter Domain>', nameUnresolved: true });
    expect(d.posture).toBeUndefined();
    expect(evaluateDomain(d).map((f) => [f.ruleId, f.message])).toEqual([
      ['GOVUK-NOT-EVALUATED', '<parameter Domain>: the name is not known before deployment, so these records could not be evaluated; they are not assumed compliant.'],
    ]);
  });

  test('a record whose name is not known, outside any domain, is shown under its zone, never dropped', () => {
    const domains = domainsOf({ Lost: rs({ 'Fn::ImportValue': 'Other:Name' } as unknown as string, 'CNAME', ['target.example.net']) });
    expect(domains.map((d) => [d.domain, d.records.length, d.posture])).toEqual([['<hosted zone Z1>', 1, undefined]]);
  });

  test('an SPF record at a name not known here makes a domain of that name, not evaluated', () => {
    const domains = domainsOf({ Spf: rs({ 'Fn::ImportValue': 'Other:Name' } as unknown as string, 'TXT', ['"v=spf1 -all"']) });
    expect(domains.map((d) => [d.domain, d.nameUnresolved, d.posture])).toEqual([['<Fn::ImportValue Other:Name>', true, undefined]]);
  });

  test('SES DKIM tokens of an identity go to its domain; of an address identity, to the address\'s domain', () => {
    const domains = domainsOf({
      Id: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'noreply@dept.gov.uk' } },
      Dkim: rs({ 'Fn::GetAtt': ['Id', 'DkimDNSTokenName1'] } as unknown as string, 'CNAME', [{ 'Fn::GetAtt': ['Id', 'DkimDNSTokenValue1'] }]),
    });
    expect(domains.map((d) => [d.domain, d.records.map((r) => r.name)])).toEqual([['dept.gov.uk', ['<SES DKIM token name 1>']]]);
  });
});

describe('conflicts: one record set per name and type in a zone', () => {
  test('same name and type in the same zone, across stacks', () => {
    const resources = resourcesFromStacks([
      { name: 'A', template: { Resources: { Spf: rs('dept.gov.uk.', 'TXT', ['"v=spf1 -all"']) } } },
      { name: 'B', template: { Resources: { Token: rs('Dept.gov.uk', 'TXT', ['"token"']) } } },
    ]);
    const [d] = domainsFromResources(resources);
    expect(d.planFindings.map((f) => f.ruleId)).toEqual(['ROUTE53-RECORD-CONFLICT']);
    expect(d.planFindings[0].message).toContain('A/Spf, B/Token');
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['different types', {}, { Type: 'MX', ResourceRecords: ['0 .'] }],
    ['different zones', {}, { HostedZoneId: 'Z2' }],
    ['different routing-policy set identifiers', { SetIdentifier: 'a', Weight: 1 }, { SetIdentifier: 'b', Weight: 1 }],
  ])('no conflict: %s', (_name, a, b) => {
    const [d] = domainsOf({ A: rs('dept.gov.uk.', 'TXT', ['"v=spf1 -all"'], a), B: rs('dept.gov.uk.', 'TXT', ['"x"'], b) });
    expect(d.planFindings).toEqual([]);
  });

  test('the rule is in the catalogue, with a source', () => {
    expect(ASSEMBLY_RULES.duplicateRecordSet.id).toBe('ROUTE53-RECORD-CONFLICT');
    expect(ASSEMBLY_RULES.duplicateRecordSet.severity).toBe('error');
    expect(RuleCatalogue.find('ROUTE53-RECORD-CONFLICT')).toEqual(ASSEMBLY_RULES.duplicateRecordSet);
  });
});

describe('postures: what is not known is named in unresolved, never passed', () => {
  const base = {
    Spf: rs('dept.gov.uk.', 'TXT', ['"v=spf1 -all"']),
    Mx: rs('dept.gov.uk.', 'MX', ['10 mail.dept.gov.uk.']),
  };

  test('a DMARC value that is an intrinsic: dmarc left out and named, so GOVUK-NOT-EVALUATED, not GOVUK-DMARC-MISSING', () => {
    const [d] = domainsOf({ ...base, Dmarc: rs('_dmarc.dept.gov.uk.', 'TXT', [{ 'Fn::ImportValue': 'Policy' }]) });
    expect(d.posture?.dmarc).toBeUndefined();
    expect(d.posture?.unresolved).toEqual(['dmarc']);
    expect(ids(d)).toContain('GOVUK-NOT-EVALUATED');
    expect(ids(d)).not.toContain('GOVUK-DMARC-MISSING');
  });

  test('a CNAME at _dmarc delegates the record elsewhere: not evaluated here', () => {
    const [d] = domainsOf({ ...base, Dmarc: rs('_dmarc.dept.gov.uk.', 'CNAME', ['dept.gov.uk.dmarc.example.net']) });
    expect(d.posture?.unresolved).toEqual(['dmarc']);
  });

  test('no DMARC record at all is looked up and found missing', () => {
    const [d] = domainsOf(base);
    expect(d.posture?.dmarc).toEqual([]);
    expect(ids(d)).toContain('GOVUK-DMARC-MISSING');
  });

  test('an MTA-STS record with no policy body in the plan: the policy is not evaluated', () => {
    const [d] = domainsOf({ ...base, MtaSts: rs('_mta-sts.dept.gov.uk.', 'TXT', ['"v=STSv1; id=1"']) });
    expect(d.posture?.mtaStsPolicy).toBeUndefined();
    expect(d.posture?.unresolved).toEqual(['mtaStsPolicy']);
  });

  test('DKIM: a TXT key is evaluated; a CNAME to a known target is DKIM-DELEGATED, one to an intrinsic not evaluated; BYO DKIM expects its selector', () => {
    const [withKey] = domainsOf({ ...base, Key: rs('s1._domainkey.dept.gov.uk.', 'TXT', ['"v=DKIM1; p="']) });
    expect(withKey.posture?.dkim).toEqual([{ selector: 's1', values: ['"v=DKIM1; p="'] }]);
    expect(withKey.posture?.unresolved).toBeUndefined();

    const [cname] = domainsOf({ ...base, Sel: rs('selector1._domainkey.dept.gov.uk.', 'CNAME', ['selector1-dept._domainkey.dept.onmicrosoft.com']) });
    expect(cname.posture?.dkim).toBeUndefined();
    expect(cname.posture?.dkimDelegated).toEqual([{ selector: 'selector1', target: 'selector1-dept._domainkey.dept.onmicrosoft.com' }]);
    expect(cname.posture?.unresolved).toBeUndefined();
    const delegated = evaluateDomain(cname).filter((f) => f.ruleId === 'DKIM-DELEGATED');
    expect(delegated).toEqual([expect.objectContaining({
      severity: 'info',
      path: 'selector1._domainkey.dept.gov.uk',
      message: expect.stringContaining('selector1._domainkey.dept.gov.uk → selector1-dept._domainkey.dept.onmicrosoft.com'),
    })]);
    expect(ids(cname)).not.toContain('GOVUK-NOT-EVALUATED');

    const [unknown] = domainsOf({ ...base, Sel: rs('selector1._domainkey.dept.gov.uk.', 'CNAME', [{ 'Fn::ImportValue': 'Target' }]) });
    expect(unknown.posture?.dkimDelegated).toBeUndefined();
    expect(unknown.posture?.unresolved).toEqual(['dkim']);
    expect(ids(unknown)).toContain('GOVUK-NOT-EVALUATED');
    expect(ids(unknown)).not.toContain('DKIM-DELEGATED');

    const [byo] = domainsOf({ ...base, Id: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk', DkimSigningAttributes: { DomainSigningSelector: 'ses1', DomainSigningPrivateKey: 'k' } } } });
    expect(byo.posture?.dkim).toEqual([{ selector: 'ses1', values: [], expectedToSign: true }]);
    expect(ids(byo)).toContain('GOVUK-DKIM-MISSING');
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, boolean | undefined, string[] | undefined]>([
    ['no configuration set', {}, {}, false, undefined],
    ['a configuration set with TLS REQUIRE', { ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'Set' } } }, { DeliveryOptions: { TlsPolicy: 'REQUIRE' } }, true, undefined],
    ['a configuration set with TLS OPTIONAL', { ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'Set' } } }, { DeliveryOptions: { TlsPolicy: 'OPTIONAL' } }, false, undefined],
    ['a configuration set by its name', { ConfigurationSetAttributes: { ConfigurationSetName: 'tls' } }, { Name: 'tls', DeliveryOptions: { TlsPolicy: 'REQUIRE' } }, true, undefined],
    ['a configuration set outside the plan', { ConfigurationSetAttributes: { ConfigurationSetName: 'elsewhere' } }, { Name: 'tls' }, undefined, ['sesTlsRequired']],
  ])('sesTlsRequired: %s', (_name, identity, set, expected, unresolved) => {
    const [d] = domainsOf({
      ...base,
      Set: { Type: 'AWS::SES::ConfigurationSet', Properties: set },
      Id: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk', ...identity } },
    });
    expect(d.posture?.sesTlsRequired).toBe(expected);
    expect(d.posture?.sendsMail).toBe(true);
    expect(d.posture?.unresolved).toEqual(unresolved);
  });

  test('an Easy DKIM key of 1024 bits is DKIM-RSA-KEY-UNDER-2048 on the identity', () => {
    const [d] = domainsOf({ Id: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk', DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } } } });
    expect(d.planFindings.map((f) => [f.ruleId, f.path])).toEqual([['DKIM-RSA-KEY-UNDER-2048', 'S/Id']]);
  });

  const distribution = (viewerCertificate: Record<string, unknown>, fn?: string) => ({
    Type: 'AWS::CloudFront::Distribution',
    Properties: {
      DistributionConfig: {
        Aliases: ['mta-sts.dept.gov.uk'],
        ViewerCertificate: viewerCertificate,
        DefaultCacheBehavior: fn === undefined ? {} : { FunctionAssociations: [{ FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } }] },
      },
    },
  });

  test.each<[string, Record<string, unknown>, string | undefined, string[] | undefined]>([
    ['TLSv1.2_2021', { MinimumProtocolVersion: 'TLSv1.2_2021' }, 'TLSv1.2_2021', undefined],
    ['TLSv1.1_2016', { MinimumProtocolVersion: 'TLSv1.1_2016' }, 'TLSv1.1_2016', undefined],
    ['not set: CloudFront allows TLSv1', { AcmCertificateArn: 'arn' }, 'TLSv1', undefined],
    ['the default certificate ignores any setting', { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1.2_2021' }, 'TLSv1', undefined],
    ['a parameter', { MinimumProtocolVersion: { Ref: 'Policy' } }, undefined, ['policyHostMinimumTls']],
  ])('policyHostMinimumTls: %s', (_name, cert, expected, unresolved) => {
    const [d] = domainsOf({ ...base, Cdn: distribution(cert) });
    expect(d.posture?.policyHostMinimumTls).toBe(expected);
    expect(d.posture?.unresolved).toEqual(unresolved);
  });

  test('policyHostMinimumTls below TLSv1.2_2021 is GOVUK-POLICY-HOST-TLS', () => {
    const [d] = domainsOf({ ...base, Cdn: distribution({ MinimumProtocolVersion: 'TLSv1.1_2016' }) });
    expect(ids(d)).toContain('GOVUK-POLICY-HOST-TLS');
  });

  test('the only policy body of the function the policy host runs is the domain\'s policy', () => {
    const [d] = domainsOf({
      ...base,
      MtaSts: rs('_mta-sts.dept.gov.uk.', 'TXT', ['"v=STSv1; id=1"']),
      Fn: { Type: 'AWS::CloudFront::Function', Properties: { FunctionCode: 'var BODY = "version: STSv1\\r\\nmode: testing\\r\\nmx: mail.dept.gov.uk\\r\\nmax_age: 86400\\r\\n";' } },
      Cdn: distribution({ MinimumProtocolVersion: 'TLSv1.2_2021' }, 'Fn'),
    });
    expect(d.posture?.mtaStsPolicy).toBe('version: STSv1\r\nmode: testing\r\nmx: mail.dept.gov.uk\r\nmax_age: 86400\r\n');
    expect(d.posture?.unresolved).toBeUndefined();
    expect(ids(d)).toContain('GOVUK-MTASTS-MODE');
  });
});
