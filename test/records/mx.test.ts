import * as fc from 'fast-check';
import { Finding, Severity } from '../../src/records/finding';
import { MX_RULES, Mx, MxModel } from '../../src/records/mx';
import { RecordSyntaxError } from '../../src/records/syntax-error';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();

describe('MX rules: each has a violating and a passing input', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['MX-SYNTAX', ['mail.example.gov.uk'], ['10 mail.example.gov.uk.']],
    ['MX-PREFERENCE', ['65536 mail.example.gov.uk.'], ['65535 mail.example.gov.uk.']],
    ['MX-EXCHANGE', ['10 mail_server.example.gov.uk.'], ['10 mail-server.example.gov.uk.']],
    ['MX-EXCHANGE-IP', ['10 192.0.2.25'], ['10 192-0-2-25.example.gov.uk.']],
    ['MX-NULL-NOT-ALONE', ['0 .', '10 mail.example.gov.uk.'], ['0 .']],
    ['MX-NULL-PREFERENCE', ['10 .'], ['0 .']],
  ];

  test('an exchange outside ASCII is asked for in its A-label form', () => {
    const [f] = Mx.checkRecordSet(['10 mx.dépt.gov.uk.']).filter((x) => x.ruleId === 'MX-EXCHANGE');
    expect(f.message).toContain('non-ASCII characters: use the A-label (xn--) form');
    expect(Mx.checkRecordSet(['10 mx.xn--dpt-bma.gov.uk.']).map((x) => x.ruleId)).not.toContain('MX-EXCHANGE');
  });

  test('every rule is in the table', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(Object.values(MX_RULES).map((r) => r.id).sort());
  });

  test.each(cases)('%s', (ruleId, violating, passing) => {
    const bad = Mx.checkRecordSet(violating, { name: 'example.gov.uk' }).filter((f) => f.ruleId === ruleId);
    expect(bad.length).toBeGreaterThan(0);
    const rule = Object.values(MX_RULES).find((r) => r.id === ruleId)!;
    expect(bad[0]).toMatchObject({ severity: rule.severity, source: rule.source, path: 'example.gov.uk' });
    expect(Mx.checkRecordSet(passing).map((f) => f.ruleId)).not.toContain(ruleId);
  });
});

describe('Mx', () => {
  test.each([
    ['10 mail.example.gov.uk.', { preference: 10, exchange: 'mail.example.gov.uk' }],
    ['10 mail.example.gov.uk', { preference: 10, exchange: 'mail.example.gov.uk' }],
    ['  0   example-gov-uk.mail.protection.outlook.com.  ', { preference: 0, exchange: 'example-gov-uk.mail.protection.outlook.com' }],
    ['1 smtp.google.com.', { preference: 1, exchange: 'smtp.google.com' }],
    ['0 .', { preference: 0, exchange: '.' }],
  ])('parse(%j)', (text, model) => {
    expect(Mx.parse(text)).toEqual(model);
  });

  test.each(['', '10', 'mail.example.com', '10 a b', 'ten mail.example.com', '1.5 mail.example.com'])('parse(%j) throws MX-SYNTAX', (text) => {
    expect(() => Mx.parse(text)).toThrow(RecordSyntaxError);
    expect(() => Mx.parse(text)).toThrow(/\[MX-SYNTAX\]/);
  });

  test('renders a fully qualified exchange', () => {
    expect(Mx.render({ preference: 10, exchange: 'mail.example.gov.uk' })).toBe('10 mail.example.gov.uk.');
    expect(Mx.render({ preference: 10, exchange: 'mail.example.gov.uk.' })).toBe('10 mail.example.gov.uk.');
    expect(Mx.render(Mx.nullMx())).toBe('0 .');
  });

  test.each([
    [{ preference: -1, exchange: 'mail.example.gov.uk' }, 'MX-PREFERENCE'],
    [{ preference: 1.5, exchange: 'mail.example.gov.uk' }, 'MX-PREFERENCE'],
    [{ preference: 10, exchange: '2001:db8::25' }, 'MX-EXCHANGE-IP'],
    [{ preference: 10, exchange: '[192.0.2.25]' }, 'MX-EXCHANGE-IP'],
    [{ preference: 10, exchange: '' }, 'MX-EXCHANGE'],
    [{ preference: 10, exchange: 'mail..example.gov.uk' }, 'MX-EXCHANGE'],
    [{ preference: 10, exchange: `${'a'.repeat(64)}.example.gov.uk` }, 'MX-EXCHANGE'],
    [{ preference: 10, exchange: `${'a.'.repeat(127)}uk` }, 'MX-EXCHANGE'],
    [{ preference: 5, exchange: '.' }, 'MX-NULL-PREFERENCE'],
  ])('render refuses %j', (model, ruleId) => {
    expect(() => Mx.render(model)).toThrow(new RegExp(`\\[${ruleId}\\]`));
  });

  test('nullMx is 0 . and isNullMx recognises it', () => {
    expect(Mx.nullMx()).toEqual({ preference: 0, exchange: '.' });
    expect(Mx.isNullMx(Mx.parse('0 .'))).toBe(true);
    expect(Mx.isNullMx(Mx.parse('10 mail.example.gov.uk.'))).toBe(false);
  });

  test('a null MX on its own is clean; with others it names them', () => {
    expect(Mx.validateRecordSet([Mx.nullMx()], { name: 'parked.example.gov.uk' })).toEqual([]);
    const [f] = Mx.validateRecordSet([Mx.nullMx(), { preference: 10, exchange: 'mail.example.gov.uk' }]);
    expect(f).toMatchObject({ ruleId: 'MX-NULL-NOT-ALONE', severity: Severity.ERROR, message: expect.stringContaining('"10 mail.example.gov.uk"') });
  });

  test('checkRecordSet keeps checking after a value it cannot read', () => {
    expect(ids(Mx.checkRecordSet(['garbage', '0 .', '10 mail.example.gov.uk.']))).toEqual(['MX-NULL-NOT-ALONE', 'MX-SYNTAX']);
  });

  test('check checks one value', () => {
    expect(Mx.check('10 mail.example.gov.uk.')).toEqual([]);
    expect(ids(Mx.check('70000 198.51.100.1'))).toEqual(['MX-EXCHANGE-IP', 'MX-PREFERENCE']);
  });
});

const label = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const hostName = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const mxModel: fc.Arbitrary<MxModel> = fc.oneof(
  fc.record({ preference: fc.integer({ min: 0, max: 65535 }), exchange: hostName }),
  fc.constant(Mx.nullMx()),
);

describe('MX properties', () => {
  test('parse(render(m)) equals m, and a valid record has no findings', () => {
    fc.assert(fc.property(mxModel, (m) => {
      expect(Mx.parse(Mx.render(m))).toEqual(m);
      expect(Mx.validate(m)).toEqual([]);
    }));
  });

  test('a null MX with any other MX is an error', () => {
    fc.assert(fc.property(fc.array(mxModel, { minLength: 1, maxLength: 4 }), fc.nat(4), (others, at) => {
      const set = [...others];
      set.splice(Math.min(at, set.length), 0, Mx.nullMx());
      expect(ids(Mx.validateRecordSet(set))).toContain('MX-NULL-NOT-ALONE');
    }));
  });

  test('a set without null MX never reports MX-NULL-NOT-ALONE', () => {
    fc.assert(fc.property(fc.array(mxModel.filter((m) => !Mx.isNullMx(m)), { maxLength: 5 }), (set) => {
      expect(Mx.validateRecordSet(set)).toEqual([]);
    }));
  });

  test('checkRecordSet never throws, whatever the input', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), (values) => {
      expect(Array.isArray(Mx.checkRecordSet(values))).toBe(true);
    }));
  });
});
