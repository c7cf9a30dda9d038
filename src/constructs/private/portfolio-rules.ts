import { RuleDefinition, Severity, rule } from '../../records/finding';

/**
 * Rules of `DomainPortfolio` that no record, profile or platform rule covers. Proposed for
 * `standard/platform-rules.ts`; until they are in the catalogue the construct passes the summary
 * to `invalidInput` itself.
 * @internal
 */
export const PORTFOLIO_RULES = {
  scope: rule('PORTFOLIO-SCOPE', Severity.ERROR,
    'A DomainPortfolio creates its own stacks, so it is created in an App or a Stage, never inside a Stack.',
    'AWS CDK Developer Guide, "Stacks" (a stack is defined within the scope of an App or a Stage)'),
  shardCount: rule('PORTFOLIO-SHARD-COUNT', Severity.ERROR,
    'A portfolio spreads its domains over a fixed number of stacks (shardCount, 1 to 100), chosen once: changing it moves domains between stacks.',
    'AWS CloudFormation User Guide, "Quotas" (500 resources per stack); cdk-gov-email DomainPortfolio sharding rule'),
  stackPin: rule('PORTFOLIO-STACK-PIN', Severity.ERROR,
    'A domain pinned to a stack names it by number, a whole number from 1 to 999.',
    'cdk-gov-email DomainPortfolio sharding rule'),
  stackResources: rule('PORTFOLIO-STACK-RESOURCES', Severity.ERROR,
    'Each stack of a portfolio holds at most maxResourcesPerStack resources (default 400), well under CloudFormation\'s 500 resources per stack, which also keeps its template far below the 1 MB limit for templates uploaded through S3.',
    'AWS CloudFormation User Guide, "Quotas" (resources per stack: 500; template body size in an S3 object: 1 MB)'),
  zoneName: rule('PORTFOLIO-ZONE-NAME', Severity.ERROR,
    'A hosted zone id names one zone: every domain given the same hostedZoneId gives the same zoneName.',
    'Amazon Route 53 API Reference, HostedZone (Id, Name)'),
  domainOptions: rule('PORTFOLIO-DOMAIN-OPTIONS', Severity.ERROR,
    'Each domain of a portfolio is made with PortfolioDomain.parked() or PortfolioDomain.sending(), with its domain name and hosted zone id known at synth.',
    'cdk-gov-email DomainPortfolio'),
} satisfies Record<string, RuleDefinition>;
