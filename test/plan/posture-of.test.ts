import * as fc from 'fast-check';
import { DomainPlan, MAX_CNAME_LINKS, PlannedEasyDkim, PlannedRecord, PlannedTlsPolicy, POSTURE_FIELDS, postureOf } from '../../src/plan';

const D = 'dept.gov.uk';
const rec = (name: string, type: string, values: string[], unresolved: PlannedRecord['unresolved'] = []): PlannedRecord => ({ name, type, values, unresolved });
const plan = (records: PlannedRecord[], more: Partial<DomainPlan> = {}): DomainPlan => ({ domain: D, records, sesIdentities: [], ...more });

describe('postureOf', () => {
  test('a record set becomes its field; a name with no record is "looked, and none"', () => {
    const p = postureOf(plan([rec(D, 'TXT', ['"v=spf1 -all"']), rec(`_dmarc.${D}`, 'TXT', ['"v=DMARC1; p=reject"'])]));
    expect(p.apexTxt).toEqual(['"v=spf1 -all"']);
    expect(p.dmarc).toEqual(['"v=DMARC1; p=reject"']);
    expect(p.mx).toEqual([]);
    expect(p.tlsRpt).toEqual([]);
    expect(p.reportAuthorisations).toEqual([]);
    expect(p.unresolved).toBeUndefined();
  });

  test('a field with a value known only at deployment is left out and named, by field name, in unresolved', () => {
    const p = postureOf(plan([rec(`_dmarc.${D}`, 'TXT', [], ['values']), rec(`_smtp._tls.${D}`, 'TXT', [], ['values'])]));
    expect(p.dmarc).toBeUndefined();
    expect(p.tlsRpt).toBeUndefined();
    expect(p.unresolved).toEqual(['dmarc', 'tlsRpt']);
    for (const f of p.unresolved!) expect(POSTURE_FIELDS).toContain(f);
  });

  test('the apex TXT keeps its known values when its SPF record is among them, and is still named as not evaluated', () => {
    const known = postureOf(plan([rec(D, 'TXT', ['v=spf1 -all'], ['values'])]));
    expect(known.apexTxt).toEqual(['v=spf1 -all']);
    expect(known.unresolved).toEqual(['apexTxt']);
    const spfUnknown = postureOf(plan([rec(D, 'TXT', ['MS=ms123'], ['values'])]));
    expect(spfUnknown.apexTxt).toBeUndefined();
    expect(spfUnknown.unresolved).toEqual(['apexTxt']);
  });

  test('a CNAME at a field\'s name: its target\'s records are not in the plan, so the field is not evaluated', () => {
    const p = postureOf(plan([rec(`_dmarc.${D}`, 'CNAME', ['_dmarc.central.gov.uk'])]));
    expect(p.dmarc).toBeUndefined();
    expect(p.unresolved).toEqual(['dmarc']);
  });

  test('a CNAME whose target is in the plan: the field is read at the target, as a resolver reads it', () => {
    const central = '_parked._dmarc-policy.central.gov.uk';
    const p = postureOf(plan([rec(`_dmarc.${D}`, 'CNAME', [`${central.toUpperCase()}.`]), rec(central, 'TXT', ['"v=DMARC1; p=reject"'])]));
    expect(p.dmarc).toEqual(['"v=DMARC1; p=reject"']);
    expect(p.unresolved).toBeUndefined();
    // A target in the plan with no TXT record: looked, and none.
    expect(postureOf(plan([rec(`_dmarc.${D}`, 'CNAME', [central]), rec(central, 'A', ['192.0.2.1'])])).dmarc).toEqual([]);
    // A target whose values are known only at deployment, or a CNAME whose target is: not evaluated.
    expect(postureOf(plan([rec(`_dmarc.${D}`, 'CNAME', [central]), rec(central, 'TXT', [], ['values'])])).unresolved).toEqual(['dmarc']);
    expect(postureOf(plan([rec(`_dmarc.${D}`, 'CNAME', [], ['values']), rec(central, 'TXT', ['"v=DMARC1"'])])).unresolved).toEqual(['dmarc']);
  });

  test('CNAME chains built at random: read at the end when it is in the plan within MAX_CNAME_LINKS links; a loop, a missing link or a longer chain is not evaluated', () => {
    const label = fc.stringMatching(/^[a-z0-9_]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const targets = fc.uniqueArray(fc.array(label, { minLength: 2, maxLength: 3 }).map((l) => `${l.join('.')}.example`), { minLength: 1, maxLength: MAX_CNAME_LINKS + 3 });
    fc.assert(fc.property(targets, fc.option(fc.nat(), { nil: undefined }), fc.boolean(), (chain, back, endPublished) => {
      const names = [`_dmarc.${D}`, ...chain];
      const records = chain.map((target, i) => rec(names[i], 'CNAME', [target]));
      const loopsTo = back === undefined ? undefined : names[back % names.length];
      if (loopsTo !== undefined) records.push(rec(names[names.length - 1], 'CNAME', [loopsTo]));
      else if (endPublished) records.push(rec(names[names.length - 1], 'TXT', ['"v=DMARC1; p=reject"']));
      const p = postureOf(plan([...records].reverse()));
      const resolvable = loopsTo === undefined && endPublished && chain.length <= MAX_CNAME_LINKS;
      expect(p.dmarc).toEqual(resolvable ? ['"v=DMARC1; p=reject"'] : undefined);
      expect(p.unresolved).toEqual(resolvable ? undefined : ['dmarc']);
    }));
  });

  test('fields the plan does not speak for are left out, not named', () => {
    const p = postureOf(plan([rec(`_dmarc.${D}`, 'TXT', ['v=DMARC1; p=reject'])], { fields: ['dmarc'] }));
    expect(p).toEqual({ domainName: D, dmarc: ['v=DMARC1; p=reject'] });
  });

  test('DKIM: TXT keys by selector in name order, CNAMEs delegated, signing selectors expected to sign, keys known only at deployment not evaluated', () => {
    const p = postureOf(plan([
      rec(`s2._domainkey.${D}`, 'TXT', ['v=DKIM1; p=']),
      rec(`s1._domainkey.${D}`, 'TXT', ['v=DKIM1; k=rsa; p=AAAA']),
      rec(`selector1._domainkey.${D}`, 'CNAME', ['selector1-dept._domainkey.dept.onmicrosoft.com']),
      rec(`*._domainkey.${D}`, 'TXT', ['v=DKIM1; p=']),
    ], { signingSelectors: ['S1'] }));
    expect(p.dkim).toEqual([
      { selector: 's1', values: ['v=DKIM1; k=rsa; p=AAAA'], expectedToSign: true },
      { selector: 's2', values: ['v=DKIM1; p='] },
    ]);
    expect(p.dkimDelegated).toEqual([{ selector: 'selector1', target: 'selector1-dept._domainkey.dept.onmicrosoft.com' }]);
    expect(p.dkimWildcard).toEqual(['v=DKIM1; p=']);
    const unknown = postureOf(plan([rec(`k._domainkey.${D}`, 'TXT', [], ['values'])]));
    expect(unknown.dkim).toBeUndefined();
    expect(unknown.unresolved).toEqual(['dkim']);
  });

  test('SES identities: the domain sends; TLS required only when every identity requires it; '
    + 'Easy DKIM keys are elsewhere, a BYODKIM selector must hold a key', () => {
    const easy = { identity: D, easyDkim: PlannedEasyDkim.KEY_LENGTH_KNOWN, tlsPolicy: PlannedTlsPolicy.REQUIRED };
    const required = postureOf(plan([], { sesIdentities: [easy] }));
    expect(required).toMatchObject({ sendsMail: true, sesTlsRequired: true });
    expect(required.dkim).toBeUndefined();
    const optional = postureOf(plan([], {
      sesIdentities: [
        { identity: D, easyDkim: PlannedEasyDkim.KEY_LENGTH_KNOWN, tlsPolicy: PlannedTlsPolicy.REQUIRED },
        { identity: `news@${D}`, easyDkim: PlannedEasyDkim.NONE, tlsPolicy: PlannedTlsPolicy.OPTIONAL, byoDkimSelector: 'ses2026' },
      ],
    }));
    expect(optional.sesTlsRequired).toBe(false);
    expect(optional.dkim).toEqual([{ selector: 'ses2026', values: [], expectedToSign: true }]);
    const unresolvedIdentity = { identity: D, easyDkim: PlannedEasyDkim.UNRESOLVED, tlsPolicy: PlannedTlsPolicy.UNRESOLVED };
    const unknown = postureOf(plan([], { sesIdentities: [unresolvedIdentity] }));
    expect(unknown.unresolved).toEqual(['dkim', 'sesTlsRequired']);
  });

  test('MTA-STS: the policy body when held; an MTA-STS record without it is not evaluated, unless a fetch said why it is missing', () => {
    const txt = rec(`_mta-sts.${D}`, 'TXT', ['v=STSv1; id=abc']);
    expect(postureOf(plan([txt], { mtaStsPolicy: 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1209600\n' })).unresolved).toBeUndefined();
    expect(postureOf(plan([txt])).unresolved).toEqual(['mtaStsPolicy']);
    const failed = postureOf(plan([txt], { mtaStsPolicyError: 'connection refused' }));
    expect(failed.unresolved).toBeUndefined();
    expect(failed.mtaStsPolicyError).toBe('connection refused');
  });

  test('the owner\'s intent and the policy host: given values are kept; a host whose TLS minimum is not known is named', () => {
    const intent = { parked: true, sendsMail: false, receivesMail: false };
    expect(postureOf(plan([], intent))).toMatchObject(intent);
    expect(postureOf(plan([], { policyHost: { minimumTls: 'TLSv1.2_2021' } })).policyHostMinimumTls).toBe('TLSv1.2_2021');
    expect(postureOf(plan([], { policyHost: {} })).unresolved).toEqual(['policyHostMinimumTls']);
  });

  test('report authorisations published for the domain, and only those', () => {
    const p = postureOf(plan([
      rec(`${D}._report._dmarc.reports.example.net`, 'TXT', ['v=DMARC1']),
      rec(`${D}._report._dmarc.none.example.net`, 'TXT', []),
      rec('other.gov.uk._report._dmarc.reports.example.net', 'TXT', ['v=DMARC1']),
    ]));
    expect(p.reportAuthorisations).toEqual([
      { name: `${D}._report._dmarc.reports.example.net`, values: ['v=DMARC1'] },
      { name: `${D}._report._dmarc.none.example.net`, values: [] },
    ]);
  });
});
