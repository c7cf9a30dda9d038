import * as route53 from 'aws-cdk-lib/aws-route53';
import { IDependable } from 'constructs';

/**
 * What a domain asks an MTA-STS policy host to serve.
 */
export interface MtaStsDomainOptions {
  /** The policy domain, for example `dept.gov.uk`: the policy is served at `https://mta-sts.<domainName>/.well-known/mta-sts.txt`. */
  readonly domainName: string;

  /** The hosted zone the domain's records are in, for the host's `mta-sts.<domainName>` record and certificate validation. */
  readonly zone: route53.IHostedZone;

  /** The policy body to serve exactly as given: `version: STSv1`, `mode`, `mx` lines and `max_age`, CRLF line endings. */
  readonly policy: string;

  /** The policy id the domain publishes in its `_mta-sts` TXT record (`MtaSts.policyId(policy)`). */
  readonly policyId: string;
}

/**
 * What a policy host gives back for a domain it serves.
 */
export interface MtaStsRegistration {
  /**
   * The construct that serves the policy body (for example the CloudFront function that holds
   * it). The domain's `_mta-sts` TXT record depends on it, so the new body is live before the new
   * id is published (RFC 8461 §8.1).
   */
  readonly policyServedBy: IDependable;

  /**
   * The minimum TLS protocol the host accepts, as a CloudFront security policy name such as
   * `TLSv1.2_2021`, checked against the standard (`GOVUK-POLICY-HOST-TLS`).
   *
   * @default - not known: not checked
   */
  readonly minimumProtocolVersion?: string;
}

/**
 * Serves MTA-STS policies (RFC 8461 §3.3) at `https://mta-sts.<domain>/.well-known/mta-sts.txt`
 * for the domains registered with it.
 *
 * `GovEmailDomain` (and `ReportInbox`, for its own domain) builds each domain's policy,
 * registers it with `addDomain`, and publishes the `_mta-sts` TXT record that names the policy's
 * id once the host serves the body. `MtaStsPolicyHost` is the library's host, on CloudFront.
 */
export interface IMtaStsPolicyHost {
  /**
   * Serve a domain's policy.
   *
   * @param options the domain and the policy body to serve
   * @returns what the domain's records depend on
   */
  addDomain(options: MtaStsDomainOptions): MtaStsRegistration;
}
