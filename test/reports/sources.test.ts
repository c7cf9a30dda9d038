import * as fc from 'fast-check';
import { DmarcRecordRow } from '../../src/reports/model';
import { SENDER_CLASSES, SenderEvidence, classifyRecord, classifySender, senderEvidence } from '../../src/reports/sources';

const base: SenderEvidence = { sourceIp: '192.0.2.1', headerFrom: 'dept.gov.uk', dkimDomains: [], spfDomains: [], dmarcPass: false };

describe('classifySender', () => {
  // What each sender leaves in a report, as receivers write it.
  const cases: Array<[string, Partial<SenderEvidence>, string, RegExp]> = [
    ['Microsoft 365 signing with the tenant domain', { dkimDomains: ['dept.onmicrosoft.com'] }, 'microsoft-365', /dept\.onmicrosoft\.com/],
    ['Microsoft 365 with aligned DKIM too', { dkimDomains: ['dept.gov.uk', 'DEPT.onmicrosoft.com.'], dmarcPass: true }, 'microsoft-365', /dept\.onmicrosoft\.com/],
    ['Microsoft 365 by its HELO name', { spfDomains: ['eur02-am5-obe.outbound.protection.outlook.com'] }, 'microsoft-365', /SPF passed/],
    ['Amazon SES by its own signature', { dkimDomains: ['dept.gov.uk', 'amazonses.com'], dmarcPass: true }, 'amazon-ses', /amazonses\.com/],
    ['Amazon SES by its default MAIL FROM', { spfDomains: ['eu-west-2.amazonses.com'] }, 'amazon-ses', /SPF passed for eu-west-2\.amazonses\.com/],
    ['Amazon SES by a claimed MAIL FROM only', { envelopeFrom: 'eu-west-2.amazonses.com' }, 'amazon-ses', /neither DKIM nor SPF confirmed/],
    ['Google Workspace by gappssmtp.com', { dkimDomains: ['dept-gov-uk.20230601.gappssmtp.com'] }, 'google-workspace', /gappssmtp/],
    ['Google Workspace by google.com', { dkimDomains: ['google.com'] }, 'google-workspace', /google\.com/],
    ['Google Workspace by HELO', { spfDomains: ['mail-wm1-f41.google.com'] }, 'google-workspace', /SPF/],
    ['GOV.UK Notify, though it signs with amazonses.com too', { dkimDomains: ['amazonses.com', 'notifications.service.gov.uk'] }, 'govuk-notify', /notifications\.service\.gov\.uk/],
    ['GOV.UK Notify bouncing under its domain', { spfDomains: ['bounce.notifications.service.gov.uk'] }, 'govuk-notify', /SPF passed/],
    ['a custom sender with aligned DKIM', { dkimDomains: ['mail.dept.gov.uk'], dmarcPass: true }, 'custom', /DKIM signature by mail\.dept\.gov\.uk/],
    ['a custom sender with aligned SPF', { spfDomains: ['dept.gov.uk'], dmarcPass: true }, 'custom', /SPF for dept\.gov\.uk/],
    ['a custom sender whose results were not listed', { dmarcPass: true }, 'custom', /aligned DKIM or SPF/],
    ['an unknown source with nothing passing', {}, 'unknown', /no DKIM or SPF passed/],
    ['an unknown source passing for another domain', { dkimDomains: ['spammer.example'], spfDomains: ['spammer.example'] }, 'unknown', /DKIM spammer\.example, SPF spammer\.example/],
    ['not fooled by a look-alike domain', { dkimDomains: ['notamazonses.com', 'onmicrosoft.com.evil.example'] }, 'unknown', /Fails DMARC/],
    ['not fooled by the bare suffix', { dkimDomains: ['onmicrosoft.com'] }, 'unknown', /Fails DMARC/],
  ];

  test.each(cases)('%s', (_what, evidence, id, reason) => {
    const c = classifySender({ ...base, ...evidence });
    expect(c.id).toBe(id);
    expect(c.reason).toMatch(reason);
    expect(c.name.length).toBeGreaterThan(0);
  });

  test('authenticated evidence wins over a claimed MAIL FROM', () => {
    expect(classifySender({ ...base, envelopeFrom: 'eu-west-2.amazonses.com', dkimDomains: ['tenant.onmicrosoft.com'] }).id).toBe('microsoft-365');
  });

  const arbDomain = fc.oneof(
    fc.constantFrom('dept.gov.uk', 'amazonses.com', 'eu-west-2.amazonses.com', 'x.onmicrosoft.com', 'google.com', 'a.gappssmtp.com', 'notifications.service.gov.uk', '', '.', 'gov.uk'),
    fc.string(),
    fc.domain(),
  );
  const arbEvidence = fc.record({
    sourceIp: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
    headerFrom: arbDomain,
    envelopeFrom: fc.option(arbDomain, { nil: undefined }),
    dkimDomains: fc.array(arbDomain, { maxLength: 5 }),
    spfDomains: fc.array(arbDomain, { maxLength: 5 }),
    dmarcPass: fc.boolean(),
  });

  test('never throws, gives a known class, and is deterministic', () => {
    fc.assert(fc.property(arbEvidence, (e) => {
      const a = classifySender(e);
      const b = classifySender(JSON.parse(JSON.stringify(e)));
      expect(SENDER_CLASSES).toContain(a.id);
      expect(b).toEqual(a);
      // A source that passes DMARC is never unknown; one that fails is never custom.
      if (e.dmarcPass) expect(a.id).not.toBe('unknown');
      else expect(a.id).not.toBe('custom');
    }));
  });

  test('the order of the domains never changes the class', () => {
    fc.assert(fc.property(arbEvidence, fc.integer(), (e, seed) => {
      const rotate = (xs: string[]) => xs.length === 0 ? xs : [...xs.slice(seed % xs.length), ...xs.slice(0, seed % xs.length)].map(String);
      const a = classifySender(e);
      const b = classifySender({ ...e, dkimDomains: rotate(e.dkimDomains), spfDomains: rotate(e.spfDomains) });
      expect(b.id).toBe(a.id);
    }));
  });

  test('survives input that is not of its type', () => {
    const hostile = { sourceIp: 1, headerFrom: null, envelopeFrom: 7, dkimDomains: 'x', spfDomains: [null, 3], dmarcPass: 'yes' } as unknown as SenderEvidence;
    expect(classifySender(hostile).id).toBe('unknown');
  });
});

describe('senderEvidence', () => {
  const row: DmarcRecordRow = {
    sourceIp: '198.51.100.7',
    count: 3,
    disposition: 'none',
    dkim: 'pass',
    spf: 'fail',
    dmarcPass: true,
    reasons: [],
    headerFrom: 'dept.gov.uk',
    envelopeFrom: 'dept.gov.uk',
    dkimResults: [
      { domain: 'dept.gov.uk', result: 'pass', selector: 'selector1' },
      { domain: 'dept.onmicrosoft.com', result: 'PASS', selector: 'selector1' },
      { domain: 'forged.example', result: 'fail' },
      { domain: 'dept.gov.uk', result: 'pass', selector: 'selector2' },
    ],
    spfResults: [{ domain: 'dept.gov.uk', result: 'softfail', scope: 'mfrom' }],
  };

  test('keeps only what passed, each domain once', () => {
    expect(senderEvidence(row)).toEqual({
      sourceIp: '198.51.100.7',
      headerFrom: 'dept.gov.uk',
      envelopeFrom: 'dept.gov.uk',
      dkimDomains: ['dept.gov.uk', 'dept.onmicrosoft.com'],
      spfDomains: [],
      dmarcPass: true,
    });
    expect(classifyRecord(row).id).toBe('microsoft-365');
  });

  test('a forged signature that failed is no evidence', () => {
    const forged = { ...row, dmarcPass: false, dkim: 'fail', dkimResults: [{ domain: 'amazonses.com', result: 'fail' }] };
    expect(classifyRecord(forged).id).toBe('unknown');
  });
});
