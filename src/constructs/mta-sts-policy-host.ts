import { Annotations, CfnRule, Fn, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, DependencyGroup } from 'constructs';
import { IMtaStsPolicyHost, MtaStsDomainOptions, MtaStsRegistration } from './mta-sts-policy-host-interface';
import { Severity } from '../records/finding';
import { ANNOTATION_PREFIX, invalidInput } from './private/annotations';
import { PolicyHostLayout } from './private/portfolio-host-layout';
import { RecordNames } from './private/record-names';
import { ZoneWriter } from './private/zone-writer';
import { MTASTS_RULES, MtaSts } from '../records/mta-sts';
import { HostedPolicy, MAX_FUNCTION_CODE_BYTES, policyHostFunctionCode } from '../records/private/mta-sts-host-code';
import { normaliseDomainName } from '../records/private/names';
import { nodeCrypto } from '../records/private/node-builtins';
import { isHostname } from '../records/private/uri';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { MTASTS_HOST_RULES, CONSTRUCT_RULES, RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';
import { GovUkProfile } from '../standard/profile';

/** CloudFront takes the certificates of its distributions from ACM in this region only. */
const CERTIFICATE_REGION = 'us-east-1';
/** CloudFront's default quota of alternate domain names per distribution, and ACM's most names per certificate. */
const MAX_DOMAINS_PER_DISTRIBUTION = 100;
/** ACM's default quota of names per certificate (adjustable, to 100 at most). */
const ACM_DEFAULT_NAMES_PER_CERTIFICATE = 10;
/** ACM: a certificate's `DomainName` (its common name) is at most 64 characters. */
const MAX_COMMON_NAME_LENGTH = 64;
/**
 * The origin every distribution must name and none ever reaches: the function answers every
 * request in the viewer-request event. A name under `example.com` (RFC 2606: reserved for
 * documentation, run by IANA, never registrable) that has no DNS record, so that if the function
 * were ever detached CloudFront would fail (502) rather than forward a request anywhere.
 */
const UNREACHED_ORIGIN = 'no-origin.example.com';
/** Where the access logs go in `accessLogBucket`. */
const ACCESS_LOG_PREFIX = 'mta-sts/';

export { MTASTS_HOST_RULES };

/**
 * Properties of an `MtaStsPolicyHost`.
 */
export interface MtaStsPolicyHostProps {
  /**
   * How many domains one distribution (with its certificate and function) serves; the host adds
   * distributions as domains are registered, filling each in turn.
   *
   * 1 to 100: CloudFront allows 100 alternate domain names per distribution by default, and ACM
   * at most 100 names per certificate. ACM's default is 10 names per certificate: above 10, raise
   * the quota "Domain names per ACM certificate" in us-east-1 (Service Quotas console, AWS
   * Certificate Manager) to this number first, or set 10 here.
   *
   * The function that holds a distribution's policies is at most 10 KB of code. 100 domains of
   * 40-character names take about 6.2 KB sharing one policy, and about 8.0 KB when each has its
   * own Microsoft 365 tenant MX host and `max_age` beside two shared `mx` lines (such domains fit
   * with names of up to 62 characters; docs/benchmarks.md). Only bodies that are large and share
   * little do not fit: synth fails with `MTASTS-HOST-FUNCTION-SIZE`, naming the first domain that
   * would not fit and the bytes; a smaller number here is the fix.
   *
   * @default 100
   */
  readonly domainsPerDistribution?: number;

  /**
   * The minimum TLS protocol the distributions accept (CloudFront security policy). Older than
   * `TLS_V1_2_2021` fails synth (`GOVUK-POLICY-HOST-TLS`).
   *
   * @default cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
   */
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;

  /**
   * Which CloudFront edge locations serve the policies. Sending servers anywhere reach the
   * nearest edge of the class chosen.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100 (North America, Europe and Israel)
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * A bucket for the distributions' standard access logs (under `mta-sts/`). CloudFront writes
   * them with an ACL: the bucket needs ACLs enabled (object ownership
   * `BUCKET_OWNER_PREFERRED`). Without one, cdk-nag's `AwsSolutions-CFR3` reports each
   * distribution: give a bucket, or acknowledge the rule with your reason.
   *
   * @default - no access logs
   */
  readonly accessLogBucket?: s3.IBucket;
}

/**
 * Serves MTA-STS policies (RFC 8461 §3.3) for many domains from CloudFront: one distribution,
 * certificate and CloudFront Function for up to 100 domains, and more distributions beyond.
 * No S3 bucket, no Lambda, no origin ever reached: the function answers every request in the
 * viewer-request event. (A distribution must name an origin all the same: it names
 * `no-origin.example.com`, under the RFC 2606 documentation domain that nobody can register and
 * that has no such record, so that if the function were ever detached CloudFront would answer
 * 502 rather than forward a request anywhere.)
 *
 * ```ts
 * const host = new MtaStsPolicyHost(usEast1Stack, 'MtaSts');
 * for (const d of domains) {
 *   new GovEmailDomain(departmentStack, d.id, { ..., mtaSts: { host } });
 * }
 * ```
 *
 * For each domain registered (`addDomain`, which `GovEmailDomain` calls):
 * - the policy body is served at `https://mta-sts.<domain>/.well-known/mta-sts.txt` by the
 *   CloudFront Function of the domain's distribution, in the viewer-request event: 200,
 *   `Content-Type: text/plain`, `Strict-Transport-Security`, a short `Cache-Control`, the body
 *   byte for byte; `HEAD` gets the headers; another method 405; another path or host 404; never
 *   a redirect (RFC 8461 §3.3 forbids senders to follow one);
 * - `mta-sts.<domain>` A and AAAA alias records to the distribution are published in the
 *   domain's zone, from this host's stack (one `AWS::Route53::RecordSetGroup`);
 * - `mta-sts.<domain>` is added to the distribution's aliases and to its certificate, which is
 *   DNS-validated in the domain's zone (several zones per certificate).
 *
 * ## Region and stacks
 *
 * The host must be in a us-east-1 stack, where CloudFront takes certificates from: a stack in
 * another known region fails synth (`MTASTS-HOST-REGION`); an environment-agnostic stack gets a
 * CloudFormation rule that stops deployment outside us-east-1. Domains may be in stacks of other
 * regions: the records the host needs in a domain's zone (the alias records and the certificate
 * validation records) are created from the host's stack, so nothing crosses regions but the
 * zone's id, which must be known at synth (import the zone with
 * `HostedZone.fromHostedZoneAttributes`) or come from a stack in us-east-1
 * (`MTASTS-HOST-ZONE-REFERENCE`). The domain's `_mta-sts` TXT record depends on
 * `policyServedBy` (the function, the distribution and the alias records), which CDK turns into
 * a dependency of the domain's stack on the host's stack: the new policy body is live before
 * the new id is published (RFC 8461 §8.1). The distribution's comment carries a hash of its
 * policies, so a policy change updates the distribution too (after the function, which it
 * refers to), and CloudFormation completes a distribution's update only once CloudFront has
 * deployed it: the TXT record changes after that.
 *
 * ## Distributions, in order
 *
 * Domains fill distributions in the order they are registered: the first 100 (see
 * `domainsPerDistribution`) the first distribution, the next 100 the second, and so on (300
 * domains: 3 distributions). Adding a domain after the others never moves one. Inserting a domain
 * earlier in the order, or removing one, moves the domains after it along; since CloudFront
 * refuses an alias that another distribution still holds, such a move can fail a deployment. To
 * remove a domain without moving any, call `reserveSlots(1)` where it was registered.
 *
 * A host created by a `DomainPortfolio` is laid out by the portfolio instead: each domain's
 * distribution comes from a hash of its name (or a pin), never from the order, the domains of a
 * distribution are kept in name order, and the distributions spread over several us-east-1
 * stacks, 3 a stack (distribution `n` in the portfolio's host stack `ceil(n / 3)`), each with
 * its domains' alias records beside it (see `DomainPortfolio`). Such a host is in all its
 * portfolio's host stacks; `stacks` lists them. A host created on its own, as above, is in its
 * own stack only.
 *
 * Each change of a distribution's domains re-issues its certificate (an ACM certificate's names
 * cannot change): CloudFormation creates the new one, validates it (at once for the names whose
 * validation records exist already), moves the distribution to it and deletes the old one.
 *
 * ## Retiring a domain's policy (RFC 8461 §8.3)
 *
 * 1. Publish `mode: none` (`GovEmailDomain`'s `mtaSts.mode: MtaStsMode.NONE`) and deploy: the
 *    host serves the new body, then the `_mta-sts` record gets its new id.
 * 2. Wait at least the old policy's `max_age`, so every sender's cached policy expires.
 * 3. Remove `mtaSts` from the domain and, in its place, `reserveSlots(1)` on the host.
 *
 * ## Limits
 *
 * - A distribution's policies are held in its function's code, at most 10 KB: 100 domains fit,
 *   each with its own tenant MX host too, with names of up to about 60 characters (see
 *   `domainsPerDistribution`); only large bodies that share little do not
 *   (`MTASTS-HOST-FUNCTION-SIZE`). A CloudFront KeyValueStore would hold more, but
 *   CloudFormation loads one only when it creates it (from S3): any later change would need a
 *   Lambda-backed custom resource.
 * - A host created on its own holds about 480 domains in its stack, under CloudFormation's 500
 *   resources per stack: one record set group per domain and 3 resources per distribution. Use
 *   a second host, in another stack, beyond; or a `DomainPortfolio`, whose host spreads over as
 *   many stacks as its distributions need (3,000 domains and more).
 * - Account quotas (defaults): 200 distributions, 100 CloudFront Functions, and 10 names per ACM
 *   certificate (see `domainsPerDistribution`).
 */
export class MtaStsPolicyHost extends Construct implements IMtaStsPolicyHost {
  /** How many domains one distribution serves. */
  public readonly domainsPerDistribution: number;

  /** The minimum TLS protocol of the distributions, as a CloudFront security policy name. */
  public readonly minimumProtocolVersion: string;

  private readonly securityPolicy: cloudfront.SecurityPolicyProtocol;
  private readonly priceClass: cloudfront.PriceClass;
  private readonly accessLogBucket?: s3.IBucket;
  private readonly shards = new Map<number, PolicyShard>();
  private readonly registered = new Map<string, PolicyShard>();
  private readonly aliases: Construct;
  private layout?: PolicyHostLayout;
  private slots = 0;
  private quotaWarned = false;

  constructor(scope: Construct, id: string, props: MtaStsPolicyHostProps = {}) {
    super(scope, id);
    this.checkRegion();
    this.domainsPerDistribution = this.checkShardSize(props.domainsPerDistribution ?? MAX_DOMAINS_PER_DISTRIBUTION);
    this.securityPolicy = this.checkTls(props.minimumProtocolVersion ?? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021);
    this.minimumProtocolVersion = this.securityPolicy;
    this.priceClass = props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100;
    this.accessLogBucket = props.accessLogBucket;
    this.aliases = new Construct(this, 'Aliases');
  }

  /** The domains registered, in order. */
  public get domainNames(): string[] {
    return [...this.registered.keys()];
  }

  /**
   * The stacks that hold the distributions and their domains' alias records, in order of the
   * distributions they hold: this host's own stack first (a host created by a `DomainPortfolio`
   * spreads over several us-east-1 stacks; any other host is in its own stack only).
   */
  public get stacks(): Stack[] {
    const stacks = [Stack.of(this), ...this.orderedShards().map((s) => Stack.of(s))];
    return stacks.filter((s, i) => stacks.indexOf(s) === i);
  }

  /** The distributions, in order (one per `domainsPerDistribution` domains). */
  public get distributions(): cloudfront.IDistribution[] {
    return this.orderedShards().map((s) => s.distribution);
  }

  /** The CloudFront Functions that serve the policies, one per distribution, in order. */
  public get policyFunctions(): cloudfront.IFunction[] {
    return this.orderedShards().map((s) => s.policyFunction);
  }

  /**
   * The distribution that serves a domain's policy.
   *
   * @param domainName a domain registered with `addDomain`
   */
  public distributionFor(domainName: string): cloudfront.IDistribution {
    const shard = this.registered.get(normaliseDomainName(domainName));
    if (shard === undefined) {
      throw new Error(`${this.node.path}: "${domainName}" is not registered with this MTA-STS policy host.`);
    }
    return shard.distribution;
  }

  /**
   * Serve a domain's policy at `https://mta-sts.<domain>/.well-known/mta-sts.txt`, publish the
   * `mta-sts.<domain>` alias records in its zone and add the name to the distribution's
   * certificate.
   *
   * Fails synth when the domain name is not a domain name known at synth (`DNS-NAME-SYNTAX`), is
   * outside the zone (`ROUTE53-NAME-OUTSIDE-ZONE`) or already registered
   * (`ROUTE53-RECORD-CONFLICT`), when the policy is not a valid policy (its `MTASTS-*` rule) or the
   * id not 1–32 letters and digits (`MTASTS-ID`), when the zone is in another region and known
   * only at deployment (`MTASTS-HOST-ZONE-REFERENCE`), and when the distribution's function would
   * outgrow 10 KB (`MTASTS-HOST-FUNCTION-SIZE`).
   *
   * @param options the domain, its zone and the policy body to serve
   * @returns what the domain's `_mta-sts` record depends on, and the minimum TLS protocol
   */
  public addDomain(options: MtaStsDomainOptions): MtaStsRegistration {
    // Every check first, so a refused domain leaves the host as it was.
    const domain = this.checkDomain(options);
    const names = RecordNames.forDomain(this, options.zone, domain);
    this.checkPolicy(domain, options.policy, options.policyId);
    this.checkZoneReference(options.zone);
    const index = this.layout === undefined ? Math.floor(this.slots / this.domainsPerDistribution) : this.layout.distributionOf(domain) - 1;
    const existing = this.shards.get(index);
    if (this.layout !== undefined && (existing?.policies.length ?? 0) >= this.domainsPerDistribution) {
      throw invalidInput(this, MTASTS_HOST_RULES.shardSize.id, `${domain} on distribution ${index + 1}, which serves ${this.domainsPerDistribution} domains already`,
        `at most ${this.domainsPerDistribution} domains a distribution (domainsPerDistribution)`, MTASTS_HOST_RULES.shardSize.summary);
    }
    // The list exactly as the shard will hold it (its order decides how the code packs).
    const policies = withPolicy(existing?.policies ?? [], { domain, body: options.policy }, this.layout !== undefined).list;
    const size = Buffer.byteLength(policyHostFunctionCode(policies), 'utf8');
    if (size > MAX_FUNCTION_CODE_BYTES) {
      throw invalidInput(this, MTASTS_HOST_RULES.functionSize.id, `${size} bytes of function code for distribution ${index + 1} with ${domain}, its domain number ${policies.length}`,
        `at most ${MAX_FUNCTION_CODE_BYTES} bytes: set domainsPerDistribution below ${policies.length} (now ${this.domainsPerDistribution})`,
        MTASTS_HOST_RULES.functionSize.summary);
    }

    const shard = existing ?? this.newShard(index);
    shard.add({ domain, body: options.policy }, options.zone);
    this.registered.set(domain, shard);
    if (this.layout === undefined) this.slots++;

    const aliasTarget: route53.CfnRecordSetGroup.AliasTargetProperty = {
      dnsName: shard.distribution.distributionDomainName,
      // In the distribution's stack: the zone id comes from a mapping of the stack that uses it.
      hostedZoneId: targets.CloudFrontTarget.getHostedZoneId(shard),
      evaluateTargetHealth: false,
    };
    // One group a domain, under Aliases, beside its distribution: each group is the construct that publishes its names.
    const records = ZoneWriter.of(this.aliasesBeside(shard), names).recordSetGroup(domain, {
      comment: `MTA-STS policy host for ${domain} (cdk-gov-email)`,
      records: [
        { name: names.at('mta-sts.'), type: route53.RecordType.A, aliasTarget },
        { name: names.at('mta-sts.'), type: route53.RecordType.AAAA, aliasTarget },
      ],
      contents: `the aliases of mta-sts.${domain}`,
      claimForGroup: true,
    });

    if (!this.quotaWarned && shard.policies.length > ACM_DEFAULT_NAMES_PER_CERTIFICATE) {
      this.quotaWarned = true;
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${MTASTS_HOST_RULES.certificateQuota.id}`,
        `The certificate of distribution ${index + 1} names more than ${ACM_DEFAULT_NAMES_PER_CERTIFICATE} domains, ACM's default quota: raise "Domain names per ACM certificate" in ${CERTIFICATE_REGION} to ${this.domainsPerDistribution} (Service Quotas) before deploying, then acknowledge this warning; or set domainsPerDistribution to ${ACM_DEFAULT_NAMES_PER_CERTIFICATE}. (${MTASTS_HOST_RULES.certificateQuota.source})`);
    }

    return {
      policyServedBy: new DependencyGroup(shard.policyFunction, shard.distribution, records),
      minimumProtocolVersion: this.minimumProtocolVersion,
    };
  }

  /**
   * Keep places in the order of domains empty: for a domain removed from the middle of the
   * order, so the domains registered after it stay on their distribution (CloudFront refuses an
   * alias that another distribution still holds, so moving one can fail a deployment).
   *
   * @param count how many places, 1 or more
   */
  public reserveSlots(count: number): void {
    if (Token.isUnresolved(count) || !Number.isInteger(count) || count < 1) {
      throw invalidInput(this, MTASTS_HOST_RULES.shardSize.id, count, 'a whole number of places, 1 or more, known at synth',
        MTASTS_HOST_RULES.shardSize.summary);
    }
    this.slots += count;
  }

  /**
   * Lay the host out as a `DomainPortfolio` does: each domain on the distribution the layout
   * gives it, each distribution in the construct (and stack) the layout gives it. Before any
   * domain is registered.
   * @internal
   */
  public _useLayout(layout: PolicyHostLayout): void {
    if (this.registered.size > 0 || this.slots > 0) {
      throw new Error(`${this.node.path}: a layout is given before any domain is registered.`);
    }
    this.layout = layout;
  }

  private orderedShards(): PolicyShard[] {
    return [...this.shards.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  }

  /** The Aliases construct beside a distribution: this host's own, or one in the distribution's scope. */
  private aliasesBeside(shard: PolicyShard): Construct {
    const scope = shard.node.scope!;
    if (scope === this) return this.aliases;
    return (scope.node.tryFindChild('Aliases') as Construct | undefined) ?? new Construct(scope, 'Aliases');
  }

  private newShard(index: number): PolicyShard {
    const scope = this.layout?.scopeFor(index + 1) ?? this;
    const shard = new PolicyShard(scope, `Shard${index + 1}`, {
      number: index + 1,
      minimumProtocolVersion: this.securityPolicy,
      priceClass: this.priceClass,
      accessLogBucket: this.accessLogBucket,
      inNameOrder: this.layout !== undefined,
    });
    this.shards.set(index, shard);
    return shard;
  }

  private checkRegion(): void {
    const stack = Stack.of(this);
    const r = MTASTS_HOST_RULES.region;
    if (Token.isUnresolved(stack.region)) {
      // Checked where it resolves: CloudFormation refuses the stack outside us-east-1.
      new CfnRule(this, 'HostRegion', {
        assertions: [{
          assert: Fn.conditionEquals(stack.region, CERTIFICATE_REGION),
          assertDescription: `[${r.id}] ${r.summary}`,
        }],
      });
    } else if (stack.region !== CERTIFICATE_REGION) {
      throw invalidInput(this, r.id, stack.region,
        `a stack in "${CERTIFICATE_REGION}" (env: { region: '${CERTIFICATE_REGION}' }); the domains' own stacks may be in any region`, r.summary);
    }
  }

  private checkShardSize(size: number): number {
    if (Token.isUnresolved(size) || !Number.isInteger(size) || size < 1 || size > MAX_DOMAINS_PER_DISTRIBUTION) {
      throw invalidInput(this, MTASTS_HOST_RULES.shardSize.id, size,
        `a whole number from 1 to ${MAX_DOMAINS_PER_DISTRIBUTION} known at synth (above ${ACM_DEFAULT_NAMES_PER_CERTIFICATE}, raise ACM's quota "Domain names per ACM certificate" first)`,
        MTASTS_HOST_RULES.shardSize.summary);
    }
    return size;
  }

  private checkTls(version: cloudfront.SecurityPolicyProtocol): cloudfront.SecurityPolicyProtocol {
    // The standard's own check, so the construct and the profile never disagree.
    if (!GovUkProfile.acceptsPolicyHostTls(version)) {
      throw invalidInput(this, GOVUK_RULES.policyHostTls.id, version,
        'SecurityPolicyProtocol.TLS_V1_2_2021 or newer (TLS_V1_2_2025, TLS_V1_3_2025)');
    }
    return version;
  }

  /** The domain, lower case without a trailing dot; `mta-sts.<domain>` a host name; not yet registered. */
  private checkDomain(options: MtaStsDomainOptions): string {
    const dns = CONSTRUCT_RULES.dnsName;
    if (Token.isUnresolved(options.domainName)) {
      throw invalidInput(this, dns.id, options.domainName,
        'a domain name known at synth: the policy function, the certificate and the aliases are built from it', dns.summary);
    }
    const domain = normaliseDomainName(options.domainName);
    if (!isHostname(domain) || !isHostname(`mta-sts.${domain}`)) {
      throw invalidInput(this, dns.id, options.domainName,
        'a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets) whose mta-sts. name is at most 253 octets', dns.summary);
    }
    if (this.registered.has(domain)) {
      const conflict = RECORD_CONSTRUCT_RULES.recordConflict;
      throw invalidInput(this, conflict.id, options.domainName,
        `each domain once: "${domain}" is already served by ${this.registered.get(domain)!.node.path}`, conflict.summary);
    }
    return domain;
  }

  private checkPolicy(domain: string, policy: string, policyId: string): void {
    if (Token.isUnresolved(policy)) {
      throw invalidInput(this, MTASTS_RULES.policySyntax.id, policy,
        'a policy body known at synth: it is written into the policy function\'s code');
    }
    const error = MtaSts.checkPolicy(policy).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(this, error.ruleId, oneLine(policy), `a valid MTA-STS policy for ${domain} (${error.message})`);
    }
    if (Token.isUnresolved(policyId) || !/^[A-Za-z0-9]{1,32}$/.test(policyId)) {
      throw invalidInput(this, MTASTS_RULES.id.id, policyId, `1 to 32 letters and digits known at synth, such as MtaSts.policyId(policy) ("${MtaSts.policyId(policy)}")`);
    }
  }

  /** A zone whose id is known only at deployment must come from a stack in this host's region. */
  private checkZoneReference(zone: route53.IHostedZone): void {
    if (!Token.isUnresolved(zone.hostedZoneId)) return;
    const host = Stack.of(this);
    const owner = Stack.of(zone);
    if (owner === host || Token.isUnresolved(owner.region) || Token.isUnresolved(host.region)) return;
    if (owner.region !== host.region && !host._crossRegionReferences) {
      const r = MTASTS_HOST_RULES.zoneReference;
      throw invalidInput(this, r.id, `the zone ${zone.node.path}, created in ${owner.region}`,
        `a zone whose id is known at synth (HostedZone.fromHostedZoneAttributes({ hostedZoneId, zoneName })), or a zone from a stack in ${host.region}`, r.summary);
    }
  }
}

interface PolicyShardProps {
  readonly number: number;
  readonly minimumProtocolVersion: cloudfront.SecurityPolicyProtocol;
  readonly priceClass: cloudfront.PriceClass;
  readonly accessLogBucket?: s3.IBucket;
  /** Keep the domains in name order rather than the order registered (a portfolio's list may be reordered). */
  readonly inNameOrder: boolean;
}

/**
 * One distribution of the host with its certificate and function. The lists of domains are
 * read when the template is synthesised, since domains are registered one by one after it is
 * created.
 */
class PolicyShard extends Construct {
  public readonly policies: HostedPolicy[] = [];
  public readonly policyFunction: cloudfront.Function;
  public readonly certificate: acm.CfnCertificate;
  public readonly distribution: cloudfront.Distribution;
  private readonly zones: route53.IHostedZone[] = [];
  private readonly inNameOrder: boolean;

  constructor(scope: Construct, id: string, props: PolicyShardProps) {
    super(scope, id);
    this.inNameOrder = props.inNameOrder;
    this.policyFunction = new cloudfront.Function(this, 'Function', {
      code: cloudfront.FunctionCode.fromInline(Lazy.string({ produce: () => policyHostFunctionCode(this.policies) })),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: `MTA-STS policies (RFC 8461) of distribution ${props.number} (cdk-gov-email)`,
      autoPublish: true,
    });

    // acm.Certificate with CertificateValidation.fromDnsMultiZone renders exactly this, but reads
    // its names once, when it is constructed; here they are read at synth, once all are known.
    this.certificate = new acm.CfnCertificate(this, 'Certificate', {
      domainName: Lazy.string({ produce: () => this.commonName() ?? this.hostNames()[0] }),
      subjectAlternativeNames: Lazy.list({ produce: () => this.hostNames().filter((n) => n !== this.commonName()) }, { omitEmpty: true }),
      domainValidationOptions: Lazy.any({
        produce: () => this.hostNames().map((domainName, i) => ({ domainName, hostedZoneId: this.zones[i].hostedZoneId })),
      }),
      validationMethod: 'DNS',
    });
    Tags.of(this.certificate).add('Name', this.node.path);
    this.node.addValidation({ validate: () => this.validateCommonName() });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: Lazy.string({ produce: () => this.comment() }),
      domainNames: Lazy.list({ produce: () => this.hostNames() }),
      certificate: this.certificate,
      minimumProtocolVersion: props.minimumProtocolVersion,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass,
      ...(props.accessLogBucket === undefined ? {} : { enableLogging: true, logBucket: props.accessLogBucket, logFilePrefix: ACCESS_LOG_PREFIX }),
      defaultBehavior: {
        // Never reached: the function answers every request in the viewer-request event.
        origin: new origins.HttpOrigin(UNREACHED_ORIGIN, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        }),
        // Not REDIRECT_TO_HTTPS: senders must not follow a redirect (RFC 8461 §3.3).
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        // Every method reaches the function, which answers 405 to any but GET and HEAD.
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        compress: false,
        functionAssociations: [{ function: this.policyFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    });
  }

  public add(policy: HostedPolicy, zone: route53.IHostedZone): void {
    const i = withPolicy(this.policies, policy, this.inNameOrder).index;
    this.policies.splice(i, 0, policy);
    this.zones.splice(i, 0, zone);
  }

  private hostNames(): string[] {
    return this.policies.map((p) => `mta-sts.${p.domain}`);
  }

  /** The first name short enough to be the certificate's domain name. */
  private commonName(): string | undefined {
    return this.hostNames().find((n) => n.length <= MAX_COMMON_NAME_LENGTH);
  }

  private validateCommonName(): string[] {
    if (this.policies.length === 0 || this.commonName() !== undefined) return [];
    const r = MTASTS_HOST_RULES.commonName;
    return [`[${r.id}] ${r.summary} Got: ${JSON.stringify(this.hostNames())}. Allowed: a domain of at most ${MAX_COMMON_NAME_LENGTH - 'mta-sts.'.length} characters among those of this distribution. (${r.source})`];
  }

  /**
   * The distribution's comment, with a hash of its policies: a policy change changes the
   * distribution too, and CloudFormation waits for CloudFront to deploy it (after the function)
   * before it publishes a new `_mta-sts` id that depends on the distribution.
   */
  private comment(): string {
    const hash = nodeCrypto().createHash('sha256').update(JSON.stringify(this.policies), 'utf8').digest('hex').slice(0, 16);
    return `MTA-STS policies of ${this.policies.length} domains (cdk-gov-email), version ${hash}`;
  }
}

/** A policy body on one line, its CR and LF written as `\r` and `\n`, cut at 200 characters: for messages. */
/**
 * A shard's policies with one more, and where it goes: last, or in name order (then the
 * certificate's names, the aliases and the function's code do not change when the domains are
 * given in another order).
 */
function withPolicy(policies: HostedPolicy[], policy: HostedPolicy, inNameOrder: boolean): { list: HostedPolicy[]; index: number } {
  const at = inNameOrder ? policies.findIndex((p) => p.domain > policy.domain) : -1;
  const index = at < 0 ? policies.length : at;
  return { list: [...policies.slice(0, index), policy, ...policies.slice(index)], index };
}

function oneLine(text: string): string {
  const line = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

