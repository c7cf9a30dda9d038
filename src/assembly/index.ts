/**
 * Reads cloud assemblies and CloudFormation templates as JSON (no aws-cdk-lib import) and turns
 * them into what each email domain publishes and its `DomainPosture`. Shared by
 * `gov-email review`, the cdk-nag pack and `gov-email verify`. Internal: not exported from the
 * package's entry point.
 */
export * from './cloud-assembly';
export * from './template';
export * from './resources';
export * from './domains';
export * from './mta-sts-function';
