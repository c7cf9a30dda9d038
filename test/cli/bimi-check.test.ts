/**
 * The live check of a BIMI record (`checkBimi`), against a real HTTPS server on 127.0.0.1 with
 * certificates from a CA made in the test: the record, the DMARC policy it needs, the logo
 * (fetched with full certificate validation, no redirects, a 32 KB cap and timeouts, then held
 * to SVG Tiny Portable/Secure) and the mark certificate.
 */
import { gzipSync } from 'node:zlib';
import { TestCa, hasOpenssl } from './support/certs';
import { TestHttpsServer } from './support/https-server';
import { BimiCheckOptions, checkBimi, checkBimiAssets } from '../../src/cli/check/bimi-check';
import { MAX_SVG_BYTES, checkBimiSvg } from '../../src/cli/check/bimi-svg';
import { Finding } from '../../src/records/finding';

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;

const svg = (body: string, root: string = 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${root}>\n${body}\n</svg>\n`;
const GOOD_BODY = '<title>Department</title>\n<rect width="100" height="100" fill="#1d70b8"/>\n<circle cx="50" cy="50" r="30" fill="#fff"/>';
const GOOD_SVG = svg(GOOD_BODY);

const LOGO = 'https://www.dept.test/bimi/logo.svg';
const VMC = 'https://www.dept.test/bimi/vmc.pem';
const REJECT = ['v=DMARC1; p=reject; rua=mailto:d@dept.test'];

const ids = (findings: Finding[]) => findings.map((f) => f.ruleId);
const check = (s: string) => checkBimiSvg(Buffer.from(s), { url: LOGO });

describe('checkBimiSvg: the basic rules of SVG Tiny Portable/Secure', () => {
  test('a good logo has no finding, plain or gzipped (SVGZ)', () => {
    expect(check(GOOD_SVG)).toEqual([]);
    expect(checkBimiSvg(gzipSync(GOOD_SVG), { url: LOGO })).toEqual([]);
  });

  test.each<[string, string, string[]]>([
    ['not XML at all', '<html><body>Not found</body>', ['BIMI-SVG-XML']],
    ['not well-formed', svg('<title>T</title><g>'), ['BIMI-SVG-XML']],
    ['an entity declaration', `<!DOCTYPE svg [<!ENTITY a "b">]>${GOOD_SVG.replace(/^<\?xml[^>]*>\n/, '')}`, ['BIMI-SVG-XML']],
    ['a root that is not <svg>', '<?xml version="1.0"?><image/>', ['BIMI-SVG-XML']],
    ['SVG 1.1', svg(GOOD_BODY, 'version="1.1" viewBox="0 0 100 100"'), ['BIMI-SVG-PROFILE']],
    ['tiny but not tiny-ps', svg(GOOD_BODY, 'version="1.2" baseProfile="tiny" viewBox="0 0 100 100"'), ['BIMI-SVG-PROFILE']],
    ['no <title>', svg('<rect width="100" height="100"/>'), ['BIMI-SVG-TITLE']],
    ['an oblong viewBox', svg(GOOD_BODY, 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 200 100"'), ['BIMI-SVG-SQUARE']],
    ['a viewBox that is not four numbers', svg(GOOD_BODY, 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 100"'), ['BIMI-SVG-SQUARE']],
    ['x= on the root', svg(GOOD_BODY, 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100" x="0"'), ['BIMI-SVG-ROOT-POSITION']],
    ['a <script>', svg(`${GOOD_BODY}<script>alert(1)</script>`), ['BIMI-SVG-FORBIDDEN-ELEMENT']],
    ['a <foreignObject>', svg(`${GOOD_BODY}<foreignObject width="1" height="1"/>`), ['BIMI-SVG-FORBIDDEN-ELEMENT']],
    ['animation', svg(`${GOOD_BODY}<rect><animate attributeName="x" from="0" to="1" dur="1s"/></rect>`), ['BIMI-SVG-FORBIDDEN-ELEMENT']],
    ['an event attribute', svg(`${GOOD_BODY}<rect onclick="x()"/>`), ['BIMI-SVG-FORBIDDEN-ELEMENT']],
    ['an external xlink:href', svg(`${GOOD_BODY}<image xlink:href="https://elsewhere.test/a.png"/>`), ['BIMI-SVG-EXTERNAL-REFERENCE']],
    ['an external href', svg(`${GOOD_BODY}<use href="other.svg#a"/>`), ['BIMI-SVG-EXTERNAL-REFERENCE']],
    ['an external url() in a fill', svg(`${GOOD_BODY}<rect fill="url(https://elsewhere.test/p.svg#g)"/>`), ['BIMI-SVG-EXTERNAL-REFERENCE']],
    ['over 32 KB', svg(`${GOOD_BODY}<desc>${'x'.repeat(MAX_SVG_BYTES)}</desc>`), ['BIMI-SVG-SIZE']],
  ])('%s', (_name, document, expected) => {
    const findings = check(document);
    expect(ids(findings)).toEqual(expected);
    expect(findings.every((f) => f.path === LOGO)).toBe(true);
  });

  test('internal references are allowed', () => {
    expect(check(svg(`${GOOD_BODY}<defs><linearGradient id="g"/></defs><use xlink:href="#g"/><rect fill="url(#g)"/>`))).toEqual([]);
  });

  test('messages name what was found', () => {
    expect(check(svg(GOOD_BODY, 'version="1.1"'))[0].message).toBe(
      'The root <svg> has version="1.1" and baseProfile=(none); SVG Tiny Portable/Secure needs version="1.2" and baseProfile="tiny-ps".');
    expect(check(svg(`${GOOD_BODY}<script>1</script><set attributeName="x" to="1"/>`))[0].message).toBe(
      'The SVG holds <script>, <set>; SVG Tiny Portable/Secure allows no scripts, animation, event handlers or foreign content.');
  });

  test('a gzip that does not inflate is not an SVG', () => {
    expect(ids(checkBimiSvg(Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]), { url: LOGO }))).toEqual(['BIMI-SVG-XML']);
  });
});

describeWithOpenssl('checkBimi against an HTTPS server', () => {
  let ca: TestCa;
  let server: TestHttpsServer;
  let options: BimiCheckOptions;

  beforeAll(async () => {
    ca = TestCa.create();
    const pem = (names: string[], expired = false) => ({ contentType: 'application/x-pem-file', body: ca.issue({ names, expired }).cert });
    server = await TestHttpsServer.start({
      ca,
      hosts: {
        'www.dept.test': {
          paths: {
            '/bimi/logo.svg': { contentType: 'image/svg+xml', body: GOOD_SVG },
            '/bimi/logo.svgz': { contentType: 'image/svg+xml', headers: { 'Content-Encoding': 'identity' }, body: gzipSync(GOOD_SVG) },
            '/bimi/script.svg': { contentType: 'image/svg+xml', body: svg(`${GOOD_BODY}<script>1</script>`) },
            '/bimi/huge.svg': { contentType: 'image/svg+xml', endless: true },
            '/bimi/moved.svg': { status: 302, headers: { Location: 'https://www.dept.test/bimi/logo.svg' } },
            '/bimi/gone.svg': { status: 404 },
            '/bimi/vmc.pem': pem(['dept.test']),
            '/bimi/expired.pem': pem(['dept.test'], true),
            '/bimi/other.pem': pem(['other.test']),
            '/bimi/not-pem.pem': { body: 'hello' },
          },
        },
        'logo.expired-tls.test': { cert: 'expired', paths: { '/logo.svg': { body: GOOD_SVG } } },
        'logo.slow.test': { paths: { '/logo.svg': { stall: true } } },
      },
    });
    options = { timeoutMs: 1000, ca: [ca.cert], connectTo: { host: '127.0.0.1', port: server.port }, dmarc: REJECT };
  });
  afterAll(async () => {
    await server?.stop();
    ca?.dispose();
  });

  test('a good record, logo and certificate: only the note that the certificate\'s chain was not verified', async () => {
    const findings = await checkBimi('dept.test', `v=BIMI1; l=${LOGO}; a=${VMC}`, options);
    expect(findings).toEqual([expect.objectContaining({
      ruleId: 'BIMI-AUTHORITY-NOT-VERIFIED',
      severity: 'info',
      path: VMC,
      subject: { name: 'default._bimi.dept.test', type: 'TXT' },
    })]);
    expect(findings[0].message).toMatch(/^The mark certificate at https:\/\/www\.dept\.test\/bimi\/vmc\.pem is valid until \d{4}-/);
    expect(server.requestCount('www.dept.test')).toBeGreaterThanOrEqual(2);
  });

  test('no record: nothing to report, nothing fetched', async () => {
    const before = server.requestCount('www.dept.test');
    expect(await checkBimi('dept.test', undefined, options)).toEqual([]);
    expect(await checkBimi('dept.test', 'v=BIMI1; l=; a=;', options)).toEqual([expect.objectContaining({ ruleId: 'BIMI-DECLINED' })]);
    expect(server.requestCount('www.dept.test')).toBe(before);
  });

  test('a record with a bad URL is reported and the URL is not fetched', async () => {
    const before = server.requestCount('www.dept.test');
    expect(ids(await checkBimi('dept.test', 'v=BIMI1; l=http://www.dept.test/bimi/logo.svg', options))).toEqual(['BIMI-LOGO-URL']);
    expect(server.requestCount('www.dept.test')).toBe(before);
  });

  test('checkBimiAssets: only what the fetches find, the record and DMARC being judged elsewhere; a bad URL still not fetched', async () => {
    const before = server.requestCount('www.dept.test');
    expect(await checkBimiAssets('dept.test', 'v=BIMI1; l=http://www.dept.test/bimi/logo.svg', { ...options, dmarc: ['v=DMARC1; p=none'] })).toEqual([]);
    expect(server.requestCount('www.dept.test')).toBe(before);
    const missing = await checkBimiAssets('dept.test', 'v=BIMI1; l=https://www.dept.test/bimi/missing.svg; x=unknown', options);
    expect(ids(missing)).toEqual(['BIMI-LOGO-UNAVAILABLE']);
  });

  test('DMARC not at enforcement, at the domain or its organisational domain', async () => {
    const record = `v=BIMI1; l=${LOGO}`;
    expect(ids(await checkBimi('dept.test', record, { ...options, dmarc: ['v=DMARC1; p=none'] }))).toEqual(['BIMI-DMARC-POLICY']);
    const sub = await checkBimi('mail.dept.test', record, { ...options, selector: 'brand', organisationalDmarc: ['v=DMARC1; p=reject; sp=none'] });
    expect(sub.map((f) => [f.ruleId, f.path])).toEqual([['BIMI-DMARC-POLICY', 'brand._bimi.mail.dept.test']]);
    expect(sub[0].message).toContain('sp=none');
  });

  test('an SVGZ logo is inflated and checked', async () => {
    expect(await checkBimi('dept.test', 'v=BIMI1; l=https://www.dept.test/bimi/logo.svgz', options)).toEqual([]);
  });

  test('a logo that breaks SVG Tiny PS', async () => {
    expect(ids(await checkBimi('dept.test', 'v=BIMI1; l=https://www.dept.test/bimi/script.svg', options))).toEqual(['BIMI-SVG-FORBIDDEN-ELEMENT']);
  });

  test('a logo larger than 32 KB: reading stops there', async () => {
    const findings = await checkBimi('dept.test', 'v=BIMI1; l=https://www.dept.test/bimi/huge.svg', options);
    expect(ids(findings)).toEqual(['BIMI-SVG-SIZE']);
    expect(findings[0].message).toContain(`the body is larger than ${MAX_SVG_BYTES} octets; reading stopped there`);
  });

  test.each<[string, string]>([
    ['https://www.dept.test/bimi/moved.svg', 'HTTP 302 redirect to https://www.dept.test/bimi/logo.svg; redirects are not followed'],
    ['https://www.dept.test/bimi/gone.svg', 'HTTP 404; only 200 is accepted'],
    ['https://logo.expired-tls.test/logo.svg', 'the certificate of logo.expired-tls.test has expired (CERT_HAS_EXPIRED)'],
    ['https://logo.slow.test/logo.svg', 'no answer within 1 s'],
  ])('a logo at %s cannot be fetched: %s', async (url, error) => {
    const started = Date.now();
    const findings = await checkBimi('dept.test', `v=BIMI1; l=${url}`, options);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'BIMI-LOGO-UNAVAILABLE', severity: 'error', path: url })]);
    expect(findings[0].message).toBe(`The logo at ${url} could not be fetched: ${error}.`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('without the private CA the logo host is not trusted (validation cannot be turned off)', async () => {
    const findings = await checkBimi('dept.test', `v=BIMI1; l=${LOGO}`, { ...options, ca: undefined });
    expect(findings[0].message).toMatch(/is not issued by a trusted CA/);
  });

  test.each<[string, string, RegExp]>([
    ['expired.pem', 'BIMI-AUTHORITY-CERTIFICATE', /^The mark certificate at \S+ expired on 2020-02-01T00:00:00\.000Z; renew it/],
    ['other.pem', 'BIMI-AUTHORITY-CERTIFICATE', /does not name dept\.test \(its names: DNS:other\.test\)/],
    ['not-pem.pem', 'BIMI-AUTHORITY-CERTIFICATE', /holds no PEM certificate/],
    ['missing.pem', 'BIMI-AUTHORITY-UNAVAILABLE', /could not be fetched: HTTP 404; only 200 is accepted\.$/],
  ])('a certificate at %s: %s', async (file, ruleId, message) => {
    const url = `https://www.dept.test/bimi/${file}`;
    const findings = await checkBimi('dept.test', `v=BIMI1; l=${LOGO}; a=${url}`, options);
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([[ruleId, url]]);
    expect(findings[0].message).toMatch(message);
  });

  test('a certificate not yet valid', async () => {
    const findings = await checkBimi('dept.test', `v=BIMI1; l=${LOGO}; a=${VMC}`, { ...options, now: new Date('2001-01-01T00:00:00Z') });
    expect(ids(findings)).toEqual(['BIMI-AUTHORITY-CERTIFICATE']);
    expect(findings[0].message).toMatch(/is not valid until/);
  });
});
