/**
 * The set-up the construct tests share: a stack with an imported hosted zone, the record sets of
 * a synthesised template, the annotations a stack carries (and their `cdk-gov-email:<RULE-ID>`
 * ids), and the message a function throws.
 */
import { App, Environment, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';

/** The id of the zone {@link stackWithZone} imports. */
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';

/** A hosted zone id of its own for each domain name (for portfolios of many zones): Z0 and the name's letters and digits. */
export function zoneIdFor(domainName: string): string {
  return `Z0${domainName.replace(/[^a-z0-9]/g, '').toUpperCase().padStart(18, '0')}`;
}

/** Options for {@link stackWithZone}. */
export interface StackWithZoneOptions {
  /** The stack's environment; by default the stack is environment-agnostic. */
  readonly env?: Environment;
}

/** What {@link stackWithZone} builds. */
export interface StackWithZone {
  readonly app: App;
  readonly stack: Stack;
  readonly zone: route53.IHostedZone;
}

/**
 * A new app holding one stack, `Test`, with the zone `zoneName` imported as `Test/Zone` by its id
 * ({@link ZONE_ID}) and name, so both are known at synth.
 */
export function stackWithZone(zoneName: string = 'dept.gov.uk', options: StackWithZoneOptions = {}): StackWithZone {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: options.env });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName });
  return { app, stack, zone };
}

/** A synthesised template, or anything else that finds resources by type. */
export interface ResourceFinder {
  findResources(type: string): Record<string, any>;
}

/** Options for {@link recordSets}. */
export interface RecordSetsOptions {
  /** Add each record set's `HostedZoneId` as a fifth column. */
  readonly withZoneId?: boolean;
}

/**
 * Every `AWS::Route53::RecordSet` of a template, in logical id order, as
 * `[Name, Type, TTL, ResourceRecords]`, or `[Name, Type, TTL, ResourceRecords, HostedZoneId]`
 * with `withZoneId`.
 */
export function recordSets(template: ResourceFinder, options: RecordSetsOptions = {}): any[][] {
  return Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => {
    const { Name, Type, TTL, ResourceRecords, HostedZoneId } = r.Properties;
    return options.withZoneId ? [Name, Type, TTL, ResourceRecords, HostedZoneId] : [Name, Type, TTL, ResourceRecords];
  });
}

/** Options for {@link warningIds} and {@link infoIds}. */
export interface AnnotationIdsOptions {
  /** Write each id as `<construct path> <rule id>`, such as `/Test/Dept GOVUK-DMARC-POLICY`. */
  readonly withPath?: boolean;
}

/** The text of every warning on the stack and the constructs in it. */
export function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((m) => String(m.entry.data));
}

/** The text of every info annotation on the stack and the constructs in it. */
export function infos(stack: Stack): string[] {
  return Annotations.fromStack(stack).findInfo('*', Match.anyValue()).map((m) => String(m.entry.data));
}

/**
 * The rule id of every warning: the `<RULE-ID>` of the `[ack: cdk-gov-email:<RULE-ID>]` that ends
 * it, or the whole text of a warning without one.
 */
export function warningIds(stack: Stack, options: AnnotationIdsOptions = {}): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue())
    .map((m) => idOf(m.id, String(m.entry.data), /\[ack: cdk-gov-email:([A-Z0-9-]+)\]$/, options));
}

/**
 * The rule id of every info annotation: the `<RULE-ID>` of the `[cdk-gov-email:<RULE-ID>]` that
 * starts it, or the whole text of one without it.
 */
export function infoIds(stack: Stack, options: AnnotationIdsOptions = {}): string[] {
  return Annotations.fromStack(stack).findInfo('*', Match.anyValue())
    .map((m) => idOf(m.id, String(m.entry.data), /^\[cdk-gov-email:([A-Z0-9-]+)\]/, options));
}

function idOf(path: string, text: string, rule: RegExp, options: AnnotationIdsOptions): string {
  const id = rule.exec(text)?.[1] ?? text;
  return options.withPath ? `${path} ${id}` : id;
}

/** The message `fn` throws; the test fails when it throws nothing. */
export function thrownBy(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('nothing was thrown');
}
