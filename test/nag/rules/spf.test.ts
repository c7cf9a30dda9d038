import { SPF, check, department, triples } from '../support';

describe('Every domain publishes an SPF record at its apex', () => {
  test('Noncompliance 1: apex TXT holds only a verification token: reported on it', () => {
    const { app } = department({ apexTxt: ['MS=ms12345678'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SPF-MISSING', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 2: no apex TXT at all: reported on the MX, which defines the domain', () => {
    const { app } = department({ apexTxt: null });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SPF-MISSING', 'Dept/Mx/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('SPF ends with -all or ~all', () => {
  test('Noncompliance 1: +all', () => {
    const { app } = department({ apexTxt: ['v=spf1 include:spf.protection.outlook.com +all'] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-SPF-ALL', 'Dept/Spf/Resource', 'error'],
      ['GovEmail-SPF-PASS-ALL', 'Dept/Spf/Resource', 'warning'],
    ]);
  });
  test('Noncompliance 2: ?all', () => {
    const { app } = department({ apexTxt: ['v=spf1 include:spf.protection.outlook.com ?all'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SPF-ALL', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 3: no all and no redirect', () => {
    const { app } = department({ apexTxt: ['v=spf1 include:spf.protection.outlook.com'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SPF-ALL', 'Dept/Spf/Resource', 'error']]);
  });
  test('Compliance: ~all is accepted', () => {
    const { app } = department({ apexTxt: ['v=spf1 include:spf.protection.outlook.com ~all'] });
    expect(check(app)).toEqual([]);
  });
});

describe('SPF: at most 10 DNS lookups, counted through the includes', () => {
  const includes = (n: number) => Array.from({ length: n }, (_, i) => `include:s${i}.example.com`).join(' ');
  test('Noncompliance 1: eleven includes', () => {
    const { app } = department({ apexTxt: [`v=spf1 ${includes(11)} -all`] });
    expect(triples(check(app))).toEqual([['GovEmail-SPF-LOOKUP-LIMIT', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 2: eight terms, but Google Workspace\'s include costs 3 more lookups (sender catalogue)', () => {
    const { app } = department({ apexTxt: [`v=spf1 include:_spf.google.com ${includes(7)} -all`] });
    expect(triples(check(app))).toEqual([['GovEmail-SPF-LOOKUP-LIMIT', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 3: a cost declared in spfIncludeCosts', () => {
    const { app } = department({ apexTxt: ['v=spf1 include:spf.partner.example -all'] });
    expect(triples(check(app, { spfIncludeCosts: [{ domain: 'spf.partner.example', lookups: 10 }] })))
      .toEqual([['GovEmail-SPF-LOOKUP-LIMIT', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 4: a cost given for a catalogue include takes precedence over the catalogue\'s', () => {
    const { app } = department();
    expect(triples(check(app, { spfIncludeCosts: [{ domain: 'spf.protection.outlook.com', lookups: 10 }] })))
      .toEqual([['GovEmail-SPF-LOOKUP-LIMIT', 'Dept/Spf/Resource', 'error']]);
  });
  test('Compliance: ten lookups; a target of unknown cost counts one (reported as info, not by the pack)', () => {
    const { app } = department({ apexTxt: [`v=spf1 ${includes(10)} -all`] });
    expect(check(app)).toEqual([]);
  });
});

describe('One SPF record per name', () => {
  test('Noncompliance 1: two SPF values in the apex record set', () => {
    const { app } = department({ apexTxt: [SPF, 'v=spf1 -all'] });
    expect(triples(check(app))).toEqual([['GovEmail-SPF-MULTIPLE-RECORDS', 'Dept/Spf/Resource', 'error']]);
  });
  test('Compliance: SPF beside other TXT values in one record set', () => {
    const { app } = department({ apexTxt: [SPF, 'MS=ms12345678'] });
    expect(check(app)).toEqual([]);
  });
});

describe('The SPF record is well formed', () => {
  test('Noncompliance 1: an IPv4 address that is not one', () => {
    const { app } = department({ apexTxt: ['v=spf1 ip4:999.0.0.1 include:spf.protection.outlook.com -all'] });
    expect(triples(check(app))).toEqual([['GovEmail-SPF-INVALID-IP4', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 2: ptr', () => {
    const { app } = department({ apexTxt: ['v=spf1 ptr include:spf.protection.outlook.com -all'] });
    expect(triples(check(app))).toEqual([['GovEmail-SPF-PTR', 'Dept/Spf/Resource', 'warning']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});
