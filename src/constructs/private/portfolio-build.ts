import { IConstruct } from 'constructs';
import { ParkedDmarc } from '../central-dmarc-policy';
import { MtaStsPolicyHost } from '../mta-sts-policy-host';

/**
 * What a domain of a `DomainPortfolio` needs from the portfolio while it is built.
 * @internal
 */
export interface PortfolioBuildContext {
  /** The portfolio, named in errors. */
  readonly portfolio: IConstruct;
  /** The portfolio's `dmarcReportTo`, for parked domains without their own. */
  readonly dmarcReportTo?: string[];
  /** Where the TLS reports of sending domains that receive mail go when they give none: the portfolio's report inbox. */
  readonly tlsReportTo?: string[];
  /** The portfolio's `parkedDmarc`, for parked domains without their own `dmarc`. */
  readonly parkedDmarc?: ParkedDmarc;
  /** The portfolio's MTA-STS policy host, created (with its us-east-1 stack) on first use. */
  mtaStsHost(): MtaStsPolicyHost;
}
