/**
 * The hosted zones a `DomainPortfolio` publishes in, imported once in each stack that holds a
 * domain of the zone (`<stack>/Zones/<hosted zone id>`).
 */
import { Resource } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/**
 * An existing hosted zone, known by its id and name: what
 * `route53.HostedZone.fromHostedZoneAttributes` returns, as one class. That method declares a new
 * class for each zone it imports, and a portfolio of parked domains imports thousands of zones;
 * this one is declared once. Like the class it declares, it is a `Resource` that creates nothing,
 * so the construct tree (and `tree.json`) holds the same node at the same path.
 * @internal
 */
export class PortfolioZone extends Resource implements route53.IHostedZone {
  public readonly hostedZoneId: string;
  public readonly zoneName: string;
  public readonly name: string;
  public readonly hostedZoneNameServers?: string[];

  public constructor(scope: Construct, id: string, attrs: route53.HostedZoneAttributes) {
    super(scope, id);
    this.hostedZoneId = attrs.hostedZoneId;
    this.zoneName = attrs.zoneName;
    this.name = attrs.zoneName;
  }

  /** The zone's ARN, as aws-cdk-lib makes it for an imported zone. */
  public get hostedZoneArn(): string {
    return this.stack.formatArn({ account: '', region: '', service: 'route53', resource: 'hostedzone', resourceName: this.hostedZoneId });
  }

  public get hostedZoneRef(): route53.HostedZoneReference {
    return { hostedZoneId: this.hostedZoneId };
  }

  public grantDelegation(grantee: iam.IGrantable, options?: route53.GrantDelegationOptions): iam.Grant {
    return route53.HostedZoneGrants.fromHostedZone(this).delegation(grantee, options);
  }
}
