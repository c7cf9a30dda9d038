import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { RecordNames } from './private/record-names';
import { ZoneWriter } from './private/zone-writer';
import { Mx } from '../records/mx';

/**
 * Properties of a `NullMxRecord`.
 */
export interface NullMxRecordProps {
  /**
   * The hosted zone to publish the record in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain that receives no mail: the zone's own name, or a name under it (for example
   * `notify.dept.gov.uk` in the zone `dept.gov.uk`).
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * How long resolvers may cache the record.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * A null MX record (RFC 7505): `MX 0 .` at a domain, which tells senders it accepts no mail, so
 * they bounce a message at once instead of queueing it or trying the domain's A record.
 *
 * Publishes one `AWS::Route53::RecordSet` of type MX with the single value `0 .`. RFC 7505 §3
 * forbids any other MX at the same name: do not publish other MX records there.
 *
 * For a domain that sends no mail either, use `ParkedDomain`, which publishes the null MX along
 * with SPF, DMARC, DKIM and CAA records that lock the domain down.
 */
export class NullMxRecord extends Construct {
  /** The domain the null MX is published at (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The record set. */
  public readonly recordSet: route53.RecordSet;

  constructor(scope: Construct, id: string, props: NullMxRecordProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);
    this.recordSet = writer.recordSet('Resource', { name: names.at(), type: route53.RecordType.MX, values: [Mx.render(Mx.nullMx())] });
  }
}
