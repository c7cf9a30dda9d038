import * as fc from 'fast-check';
import { Dmarc, DmarcModel, DmarcPolicy } from '../../src/records/dmarc';
import { Severity } from '../../src/records/finding';
import { TlsRpt, TlsRptModel } from '../../src/records/tls-rpt';

// Report URIs whose addresses hold "," ";" and "!" percent-encoded, as RFC 8460 §3 and
// RFC 7489 §6.3 require them inside a URI (RFC 6068 §2 allows them in a mailto: local part).

const atom = fc.stringMatching(/^[a-z0-9+_-]{1,6}$/);
const encoded = fc.constantFrom('%2C', '%2c', '%3B', '%3b', '%21');
/** A local part segment with an encoded character somewhere in it, or a plain one. */
const segment = fc.oneof(
  atom,
  fc.tuple(atom, encoded, atom).map(([a, e, b]) => `${a}${e}${b}`),
  fc.tuple(encoded, atom).map(([e, a]) => `${e}${a}`),
);
const localPart = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 2 }), fc.constantFrom('gov.uk', 'example', 'org.uk'))
  .map(([labels, suffix]) => [...labels, suffix].join('.'));
const address = fc.tuple(localPart, domain).map(([l, d]) => ({ text: `${l}@${d}`, domain: d }));
/** mailto: one or two addresses, the second joined by an encoded ",". */
const mailto = fc.array(address, { minLength: 1, maxLength: 2 })
  .map((addresses) => ({ uri: `mailto:${addresses.map((a) => a.text).join('%2C')}`, domain: addresses[0].domain }));

describe('Percent-encoded report URIs', () => {
  test('TLS-RPT: parse(render(x)) equals x, the encoding is kept, and nothing is an error', () => {
    fc.assert(fc.property(fc.array(mailto, { minLength: 1, maxLength: 2 }), (uris) => {
      const model: TlsRptModel = { reportUris: uris.map((u) => u.uri) };
      const text = TlsRpt.render(model);
      expect(TlsRpt.parse(text)).toEqual(model);
      expect(TlsRpt.check(text).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('DMARC: parse(render(x)) equals x for rua and ruf, with or without a size, and nothing is an error', () => {
    const reportUri = fc.tuple(mailto, fc.option(fc.constantFrom('10m', '50k', '1g'), { nil: undefined }))
      .map(([u, size]) => (size === undefined ? { uri: u.uri } : { uri: u.uri, maxSize: size }));
    fc.assert(fc.property(fc.array(reportUri, { minLength: 1, maxLength: 2 }), fc.array(reportUri, { minLength: 1, maxLength: 2 }), (rua, ruf) => {
      const model: DmarcModel = { policy: DmarcPolicy.REJECT, failureOptions: ['1'], aggregateReportUris: rua, failureReportUris: ruf };
      const text = Dmarc.render(model);
      expect(Dmarc.parse(text)).toEqual(model);
      expect(Dmarc.check(text).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('DMARC: the destination of an encoded address is its decoded domain', () => {
    fc.assert(fc.property(mailto, ({ uri, domain: host }) => {
      const name = Dmarc.externalReportAuthorisation('policy.test', uri);
      expect(name).toBe(`policy.test._report._dmarc.${host}`);
    }));
  });
});
