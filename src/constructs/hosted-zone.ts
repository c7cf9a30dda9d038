import { CfnOutput, CfnRule, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { postureOf } from '../plan';
import { checkDomainName } from './private/record-names';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { CONSTRUCT_RULES } from '../standard/platform-rules';
import { addInfoNote, invalidInput, reportFindings } from './private/annotations';
import { GovUkProfile } from '../standard/profile';

/** Route 53 signs with a KMS key in this region only. */
const DNSSEC_KEY_REGION = 'us-east-1';
/** The service principal Route 53 DNSSEC signing calls KMS as. */
const DNSSEC_PRINCIPAL = 'dnssec-route53.amazonaws.com';
/**
 * The key-signing key's name, unique within the zone (3–128 letters, digits and `_`). Fixed, so
 * the key-signing key is never replaced by a synth.
 */
const KEY_SIGNING_KEY_NAME = 'cdk_gov_email_ksk';

/**
 * Properties of a `GovEmailHostedZone`.
 */
export interface GovEmailHostedZoneProps {
  /**
   * The zone's domain name, for example `dept.gov.uk`.
   */
  readonly zoneName: string;

  /**
   * Sign the zone with DNSSEC: creates a KMS key (ECC_NIST_P256, sign and verify, retained), a
   * key-signing key and enables signing. The stack must be in us-east-1, where Route 53 requires
   * the key to be. Adding the DS record at the parent zone is a manual step (see the
   * `DnssecDsRecordCommand` output).
   *
   * @default false
   */
  readonly dnssec?: boolean;

  /**
   * A comment on the hosted zone.
   *
   * @default - no comment
   */
  readonly comment?: string;

  /**
   * What happens to the zone (and, with `dnssec`, the KMS key, the key-signing key and DNSSEC
   * signing) when it leaves the stack or the stack is deleted.
   *
   * Retained by default: deleting a zone loses its records, and turning signing off or deleting
   * the key while the parent still holds the DS record makes the domain fail to resolve for every
   * validating resolver.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A public hosted zone for a department's email domain: retained on delete, its name servers as
 * a stack output (`NameServers`, comma-separated) to delegate to at the parent, and optionally
 * signed with DNSSEC (recommended by GOV.UK, not required).
 *
 * With `dnssec: true` it creates:
 * - a customer managed KMS key (`KeySpec.ECC_NIST_P256`, `KeyUsage.SIGN_VERIFY`) whose key policy
 *   keeps the account's default administration statement and lets `dnssec-route53.amazonaws.com`
 *   call `kms:DescribeKey`, `kms:GetPublicKey` and `kms:Sign` for this account (`aws:SourceAccount`)
 *   and this zone (`aws:SourceArn`), and `kms:CreateGrant` for AWS resources only
 *   (`kms:GrantIsForAWSResource`);
 * - an `AWS::Route53::KeySigningKey` (ACTIVE) and an `AWS::Route53::DNSSEC` that depends on it.
 *
 * aws-cdk-lib's `PublicHostedZone.enableDnssec()` is not used: the key policy it writes has no
 * `aws:SourceAccount` condition, and it names the key-signing key from the construct path.
 *
 * The key must be in us-east-1: a stack in another known region fails synth
 * (`ROUTE53-DNSSEC-KEY-REGION`); an environment-agnostic stack gets a CloudFormation rule that
 * stops deployment outside us-east-1. The DS record for the parent zone is not available to
 * CloudFormation: the `DnssecDsRecordCommand` output gives the command that prints it.
 */
export class GovEmailHostedZone extends Construct {
  /** The hosted zone. */
  public readonly zone: route53.IHostedZone;

  /** The zone's domain name, as given. */
  public readonly zoneName: string;

  /**
   * The KMS key Route 53 signs the zone with.
   *
   * @default - none: the zone is not signed
   */
  public readonly dnssecKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: GovEmailHostedZoneProps) {
    super(scope, id);
    checkDomainName(this, props.zoneName, 'zoneName');
    const dnssec = props.dnssec ?? false;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    if (dnssec && !Token.isUnresolved(stack.region) && stack.region !== DNSSEC_KEY_REGION) {
      throw invalidInput(this, CONSTRUCT_RULES.dnssecKeyRegion.id, stack.region,
        `a stack in "${DNSSEC_KEY_REGION}" for dnssec: true (create the zone in a us-east-1 stack, or leave dnssec off)`,
        CONSTRUCT_RULES.dnssecKeyRegion.summary);
    }

    const zone = new route53.PublicHostedZone(this, 'Resource', {
      zoneName: props.zoneName,
      comment: props.comment,
    });
    zone.applyRemovalPolicy(removalPolicy);
    this.zone = zone;
    this.zoneName = props.zoneName;

    new CfnOutput(this, 'NameServers', {
      description: `Name servers of the ${props.zoneName} hosted zone: delegate the domain to them at its parent.`,
      value: Fn.join(',', zone.hostedZoneNameServers!),
    });

    if (dnssec) {
      this.dnssecKey = this.enableSigning(zone, removalPolicy);
    }
    // The zone speaks for its signing only: no record of the domain is evaluated here.
    reportFindings(this, GovUkProfile.evaluate(postureOf({ domain: props.zoneName, records: [], sesIdentities: [], dnssec, fields: [] })));
  }

  private enableSigning(zone: route53.PublicHostedZone, removalPolicy: RemovalPolicy): kms.IKey {
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      // Checked where it resolves: CloudFormation refuses the stack outside us-east-1.
      new CfnRule(this, 'DnssecKeyRegion', {
        assertions: [{
          assert: Fn.conditionEquals(Stack.of(this).region, DNSSEC_KEY_REGION),
          assertDescription: `[${CONSTRUCT_RULES.dnssecKeyRegion.id}] ${CONSTRUCT_RULES.dnssecKeyRegion.summary}`,
        }],
      });
    }

    const key = new kms.Key(this, 'DnssecKey', {
      description: `Route 53 DNSSEC key-signing key for ${this.zoneName} (cdk-gov-email)`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy,
    });
    // Amazon Route 53 Developer Guide, "Working with customer managed keys for DNSSEC".
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRoute53DnssecService',
      principals: [new iam.ServicePrincipal(DNSSEC_PRINCIPAL)],
      actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': zone.hostedZoneArn },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRoute53DnssecCreateGrant',
      principals: [new iam.ServicePrincipal(DNSSEC_PRINCIPAL)],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }));

    const ksk = new route53.CfnKeySigningKey(this, 'KeySigningKey', {
      hostedZoneId: zone.hostedZoneId,
      keyManagementServiceArn: key.keyArn,
      name: KEY_SIGNING_KEY_NAME,
      status: 'ACTIVE',
    });
    ksk.applyRemovalPolicy(removalPolicy);
    const signing = new route53.CfnDNSSEC(this, 'Dnssec', { hostedZoneId: zone.hostedZoneId });
    signing.node.addDependency(ksk);
    signing.applyRemovalPolicy(removalPolicy);

    new CfnOutput(this, 'DnssecDsRecordCommand', {
      description: `DNSSEC for ${this.zoneName} is live only once the parent zone holds its DS record, a manual step: run this command after deployment and give the DS record it prints to the parent zone's operator.`,
      value: Fn.join('', ['aws route53 get-dnssec --hosted-zone-id ', zone.hostedZoneId]),
    });
    addInfoNote(this, GOVUK_RULES.dnssec.id, `DNSSEC signing is enabled for ${this.zoneName}; add the DS record at the parent zone after deployment (a manual step: see the DnssecDsRecordCommand output).`);
    return key;
  }
}
