/**
 * What one domain publishes: its records, the SES identities that send for it, and the MTA-STS
 * policy host that serves its policy. Built once per domain by whoever reads the plan (a cloud
 * assembly, DNS answers), and turned into the profile's input by `postureOf` alone.
 */
import { PlannedRecord } from './planned-record';
import { SpfIncludeCost } from '../records/spf';

/** Whether mail an SES identity sends must use TLS: its default configuration set's TLS policy. */
export enum PlannedTlsPolicy {
  /** The identity's default configuration set has TLS policy REQUIRE. */
  REQUIRED = 'REQUIRED',
  /** No default configuration set, or one whose TLS policy is OPTIONAL. */
  OPTIONAL = 'OPTIONAL',
  /** Known only at deployment. */
  UNRESOLVED = 'UNRESOLVED',
}

/** Whether SES signs an identity's mail with Easy DKIM keys it creates at deployment. */
export enum PlannedEasyDkim {
  /** No Easy DKIM records are published for the identity. */
  NONE = 'NONE',
  /** Easy DKIM records are published and the key length is set (RSA_2048_BIT, RSA_1024_BIT). */
  KEY_LENGTH_KNOWN = 'KEY_LENGTH_KNOWN',
  /** Easy DKIM records are published, and the key length is left to SES or known only at deployment. */
  UNRESOLVED = 'UNRESOLVED',
}

/** An SES identity of the domain (the domain itself or one of its addresses). */
export interface PlannedSesIdentity {
  /** The identity: the domain, or an address at it. */
  readonly identity: string;
  /** Easy DKIM, as far as the plan shows it. */
  readonly easyDkim: PlannedEasyDkim;
  /** The selector of a bring-your-own DKIM key SES signs with, when signing is enabled. */
  readonly byoDkimSelector?: string;
  /** Whether mail sent through the identity must use TLS. */
  readonly tlsPolicy: PlannedTlsPolicy;
}

/** The host that serves `https://mta-sts.<domain>/.well-known/mta-sts.txt`. */
export interface PlannedPolicyHost {
  /**
   * The weakest minimum TLS protocol of the distributions serving the host (a CloudFront
   * security policy name such as `TLSv1.2_2021`); absent when known only at deployment.
   */
  readonly minimumTls?: string;
}

/**
 * The parts of a domain's posture a plan can speak for. A closed set: these are the names
 * `DomainPosture.unresolved` holds, and the ones `GOVUK-NOT-EVALUATED` findings name.
 */
export type PostureField = 'apexTxt' | 'mx' | 'dmarc' | 'mtaStsTxt' | 'mtaStsPolicy' | 'tlsRpt' | 'dkim' | 'dkimWildcard' | 'caa'
| 'reportAuthorisations' | 'sesTlsRequired' | 'policyHostMinimumTls' | 'bimi';

/** Every posture field, in the order `postureOf` reads them. */
export const POSTURE_FIELDS: readonly PostureField[] = [
  'apexTxt', 'mx', 'dmarc', 'mtaStsTxt', 'mtaStsPolicy', 'tlsRpt', 'dkim', 'dkimWildcard', 'caa',
  'reportAuthorisations', 'sesTlsRequired', 'policyHostMinimumTls', 'bimi',
];

/** Everything one domain publishes, as input to `postureOf`. */
export interface DomainPlan {
  /** The domain, lower case. */
  readonly domain: string;
  /**
   * The record sets the domain's evaluation reads: at its own names, its DKIM and BIMI selectors, and the
   * `<domain>._report._dmarc.<destination>` authorisations published for it, in plan order. When a name
   * of the domain is a CNAME (`_dmarc.<domain>` to a central DMARC policy record), the record sets at its
   * target too, when the reader has them: `postureOf` then reads the field at the target, as a
   * resolver would; without them the field is not evaluated.
   */
  readonly records: PlannedRecord[];
  /** The SES identities of the domain or its addresses. */
  readonly sesIdentities: PlannedSesIdentity[];
  /** The policy host, when one serves `mta-sts.<domain>`. */
  readonly policyHost?: PlannedPolicyHost;
  /** The MTA-STS policy body the host serves, when the plan holds it. */
  readonly mtaStsPolicy?: string;
  /**
   * Why the MTA-STS policy could not be had, when a reader of live DNS tried to fetch it.
   *
   * @default - no fetch failed
   */
  readonly mtaStsPolicyError?: string;
  /** Known lookup costs of SPF includes, for the lookup budget. */
  readonly spfIncludeCosts?: SpfIncludeCost[];
  /**
   * DKIM selectors a sender is known to sign with (a sender's own selectors): a key missing or
   * revoked there is a problem rather than a choice. A bring-your-own DKIM selector of an SES
   * identity counts too, without being listed here.
   *
   * @default - none known
   */
  readonly signingSelectors?: readonly string[];
  /**
   * The posture fields this plan speaks for. A construct that publishes part of a domain (an
   * `SpfRecord` alone) lists what it publishes; the other fields are left out of the posture
   * (not evaluated), where an absent record would otherwise read as "looked, and none".
   *
   * @default - every field
   */
  readonly fields?: readonly PostureField[];
  /**
   * Whether the domain sends mail, when its owner knows (a construct told which senders it has).
   *
   * @default - inferred by the profile from SPF and DKIM
   */
  readonly sendsMail?: boolean;
  /**
   * Whether the domain receives mail, when its owner knows.
   *
   * @default - inferred by the profile from MX
   */
  readonly receivesMail?: boolean;
  /**
   * Whether the domain's zone is signed with DNSSEC, when its owner knows.
   *
   * @default - not evaluated
   */
  readonly dnssec?: boolean;
  /**
   * Whether the domain is parked (sends and receives no mail), when its owner knows.
   *
   * @default - inferred by the profile
   */
  readonly parked?: boolean;
}
