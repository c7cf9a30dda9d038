import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NullMxRecord, NullMxRecordProps } from '../../src/constructs/null-mx-record';
import { Mx } from '../../src/records/mx';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, stackWithZone } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

function nullMx(props: Partial<NullMxRecordProps> = {}, zoneName: string = 'dept.gov.uk') {
  const { stack, zone } = stackWithZone(zoneName);
  const record = new NullMxRecord(stack, 'NullMx', { zone, ...props });
  return { stack, record };
}

function tokenZoneStack() {
  const stack = new Stack(new App(), 'Test');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: Fn.importValue('ZoneId'),
    zoneName: Fn.importValue('ZoneName'),
  });
  new NullMxRecord(stack, 'NullMx', { zone });
  return stack;
}

/** The properties of the one record set in a template. */
function onlyRecordSet(template: { toJSON(): any }) {
  const resources = Object.values(template.toJSON().Resources) as any[];
  expect(resources).toHaveLength(1);
  expect(resources[0].Type).toBe('AWS::Route53::RecordSet');
  return resources[0].Properties;
}

describe('NullMxRecord', () => {
  test('publishes one MX record set "0 ." at the zone apex with a one-hour TTL', () => {
    // GIVEN a zone
    // WHEN a null MX is added with the defaults
    const { stack, record } = nullMx();
    const template = lint.template(stack);
    // THEN the stack holds exactly that record set
    expect(onlyRecordSet(template)).toEqual({
      HostedZoneId: ZONE_ID,
      Name: 'dept.gov.uk.',
      Type: 'MX',
      TTL: '3600',
      ResourceRecords: ['0 .'],
    });
    expect(record.domainName).toBe('dept.gov.uk');
    // AND the value is a valid null MX by the foundation's rules, with no warning raised
    expect(Mx.check('0 .', { name: 'dept.gov.uk' })).toEqual([]);
    expect(Mx.isNullMx(Mx.parse('0 .'))).toBe(true);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('a domain under the zone, in mixed case with a trailing dot, and a TTL', () => {
    // GIVEN the zone dept.gov.uk
    // WHEN the null MX is for notify.dept.gov.uk
    const { stack, record } = nullMx({ domainName: 'Notify.Dept.gov.uk.', ttl: Duration.minutes(15) });
    // THEN the record is at the subdomain, fully qualified, lower case
    expect(onlyRecordSet(lint.template(stack))).toEqual({
      HostedZoneId: ZONE_ID,
      Name: 'notify.dept.gov.uk.',
      Type: 'MX',
      TTL: '900',
      ResourceRecords: ['0 .'],
    });
    expect(record.domainName).toBe('notify.dept.gov.uk');
  });

  test('an imported zone whose name is a token: the name is the token itself, without a trailing dot, and a warning says it was not checked', () => {
    // GIVEN a zone imported from another stack's exports
    // WHEN a null MX is added at its apex
    const stack = tokenZoneStack();
    // THEN the record set's name is the zone's name as it resolves (not name.zone.)
    expect(onlyRecordSet(lint.template(stack))).toEqual({
      HostedZoneId: { 'Fn::ImportValue': 'ZoneId' },
      Name: { 'Fn::ImportValue': 'ZoneName' },
      Type: 'MX',
      TTL: '3600',
      ResourceRecords: ['0 .'],
    });
    Annotations.fromStack(stack).hasWarning('/Test/NullMx',
      Match.stringLikeRegexp('^The domain name of Test/NullMx is not known until deployment.*\\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\\]$'));
  });

  test('a zone imported by id only, with the domain name given', () => {
    // GIVEN a zone imported without its name
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE_ID);
    // WHEN the domain name is given
    new NullMxRecord(stack, 'NullMx', { zone, domainName: 'old.dept.gov.uk' });
    // THEN the record is at that name
    expect(onlyRecordSet(lint.template(stack)).Name).toBe('old.dept.gov.uk.');
  });

  const P = 'Test/NullMx';
  test.each<[string, Partial<NullMxRecordProps>, string]>([
    ['a domain outside the zone', { domainName: 'other.gov.uk' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "other.gov.uk". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
    ['a domain that is the zone\'s parent', { domainName: 'gov.uk' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "gov.uk". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
    ['a wildcard name', { domainName: '*.dept.gov.uk' },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "*.dept.gov.uk". Allowed: domainName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`],
    ['a label over 63 octets', { domainName: `${'a'.repeat(64)}.dept.gov.uk` },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "${'a'.repeat(64)}.dept.gov.uk". Allowed: domainName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`],
    ['a TTL in part-seconds', { ttl: Duration.millis(100) },
      `${P}: [ROUTE53-TTL] A record's TTL is a whole number of seconds from 0 to 2147483647. Got: "Duration.millis(100)". Allowed: a whole number of seconds from 0 to 2147483647.`],
  ])('bad input: %s', (_name, props, message) => {
    // GIVEN the zone dept.gov.uk
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'dept.gov.uk' });
    // WHEN the null MX is given the bad input
    let thrown: unknown;
    try {
      new NullMxRecord(stack, 'NullMx', { zone, ...props });
    } catch (e) {
      thrown = e;
    }
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(message);
  });

  test.each<[string, () => Stack]>([
    ['apex', () => nullMx().stack],
    ['subdomain with a TTL', () => nullMx({ domainName: 'notify.dept.gov.uk', ttl: Duration.minutes(15) }).stack],
    ['zone name is a token', tokenZoneStack],
  ])('snapshot: %s', (_name, build) => {
    // GIVEN / WHEN the scenario
    // THEN the template is as reviewed (logical ids are public API)
    expect(lint.template(build()).toJSON()).toMatchSnapshot();
  });
});
