import { Construct } from 'constructs';

/**
 * How a `DomainPortfolio` lays out its `MtaStsPolicyHost`: which distribution serves each domain,
 * and in which construct (so in which us-east-1 stack) each distribution is built. Without one,
 * a host fills its distributions in the order domains are registered, all in its own stack.
 * @internal
 */
export interface PolicyHostLayout {
  /** The distribution number (1 or more) that serves a domain (lower case, no trailing dot). */
  distributionOf(domain: string): number;
  /**
   * The construct under which distribution `n` (its function, certificate and distribution) and
   * the alias records of its domains are built: the host itself for the distributions of its own
   * stack, or a construct of the same id in another us-east-1 stack.
   */
  scopeFor(distribution: number): Construct;
}
