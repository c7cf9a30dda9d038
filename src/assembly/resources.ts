/**
 * The email-related resources a CloudFormation template declares: the DNS records it publishes
 * (`AWS::Route53::RecordSet`, each entry of an `AWS::Route53::RecordSetGroup`), SES identities
 * and configuration sets, and the CloudFront distributions and functions that host MTA-STS
 * policies. Values are given as DNS will hold them; what cannot be known before deployment is a
 * readable placeholder and the item is marked unresolved.
 */
import { CfnResource, CfnTemplate, ResolvedText, StackEnvironment, StackScope, TemplateResolver } from './template';

/** Where something was declared: a stack and a logical id (and, in a record set group, the entry). */
export interface ResourceOrigin {
  /** The stack's display name, e.g. `Dept`, `Prod/Mail` or, for a nested stack, `Dept/NestedStackResource`. */
  readonly stack: string;
  readonly logicalId: string;
  /** The index in `RecordSets` of an `AWS::Route53::RecordSetGroup`. */
  readonly index?: number;
  /** The template file, when read from a cloud assembly. */
  readonly templateFile?: string;
}

/** One record set a template publishes. */
export interface DnsRecord {
  /** The name, lower case without the trailing dot; placeholders are kept as written. */
  readonly name: string;
  /** True when the name holds a placeholder. */
  readonly nameUnresolved: boolean;
  /** The record type, e.g. `TXT`, `MX`, `CNAME`. */
  readonly type: string;
  /** The TTL in seconds (absent for alias records, or when not a literal). */
  readonly ttl?: number;
  /**
   * The values as DNS will hold them, one per resource record: TXT values as the quoted
   * character-strings written in the template (`"v=spf1 -all"`), MX as `<preference> <host>`,
   * and an alias as `ALIAS <target>`.
   */
  readonly values: string[];
  /** True when the record is a Route 53 alias. */
  readonly alias: boolean;
  /** The hosted zone: its name when known, otherwise `<hosted zone ZONEID>` or a placeholder. */
  readonly zone: string;
  /** Identifies the hosted zone for conflict detection: its name when known, else its id. */
  readonly zoneKey: string;
  /** The set identifier of a weighted, latency, failover, geolocation or multivalue record. */
  readonly setIdentifier?: string;
  /** For an SES Easy DKIM record (its name is an `AWS::SES::EmailIdentity` token): the identity. */
  readonly sesIdentity?: string;
  readonly origin: ResourceOrigin;
  /** True when the name or any value holds a placeholder. */
  readonly unresolved: boolean;
}

/** An `AWS::SES::EmailIdentity`. */
export interface SesIdentity {
  /** The identity: a domain (lower case) or an email address. */
  readonly identity: string;
  readonly identityUnresolved: boolean;
  /** The default configuration set (`ConfigurationSetAttributes.ConfigurationSetName`). */
  readonly configurationSetName?: string;
  /** The configuration set resource it refers to, as `<stack>/<logicalId>`, when in the scope. */
  readonly configurationSetRef?: string;
  readonly configurationSetUnresolved: boolean;
  /** `DkimAttributes.SigningEnabled` (SES signs by default). */
  readonly dkimSigningEnabled: boolean;
  /** `DkimSigningAttributes.NextSigningKeyLength`, e.g. `RSA_2048_BIT`, when set. */
  readonly nextSigningKeyLength?: string;
  /** `DkimSigningAttributes.DomainSigningSelector`: the selector of a bring-your-own DKIM key. */
  readonly domainSigningSelector?: string;
  /** `MailFromAttributes.MailFromDomain`, lower case. */
  readonly mailFromDomain?: string;
  /** `MailFromAttributes.BehaviorOnMxFailure`. */
  readonly behaviorOnMxFailure?: string;
  readonly origin: ResourceOrigin;
}

/** An `AWS::SES::ConfigurationSet`. */
export interface SesConfigurationSet {
  /** `Name`, when given (otherwise CloudFormation generates one). */
  readonly name?: string;
  /** `DeliveryOptions.TlsPolicy`: `REQUIRE` or `OPTIONAL` (the default). */
  readonly tlsPolicy?: string;
  readonly tlsPolicyUnresolved: boolean;
  readonly origin: ResourceOrigin;
}

/** An `AWS::CloudFront::Distribution`. */
export interface CloudFrontDistribution {
  /** `DistributionConfig.Aliases`, lower case; placeholders kept. */
  readonly aliases: string[];
  /** `DistributionConfig.ViewerCertificate.MinimumProtocolVersion`, when set. */
  readonly minimumProtocolVersion?: string;
  readonly minimumProtocolVersionUnresolved: boolean;
  /** `ViewerCertificate.CloudFrontDefaultCertificate` (CloudFront then allows TLSv1 whatever is set). */
  readonly cloudFrontDefaultCertificate: boolean;
  /** The CloudFront functions its cache behaviours run, as `<stack>/<logicalId>`. */
  readonly functionRefs: string[];
  readonly origin: ResourceOrigin;
}

/** An `AWS::CloudFront::Function`. */
export interface CloudFrontFunction {
  /** `FunctionCode`, with placeholders where it is not a literal. */
  readonly code: string;
  readonly origin: ResourceOrigin;
}

/** Everything email-related a template (or a set of templates) declares. */
export interface EmailResources {
  readonly records: DnsRecord[];
  readonly sesIdentities: SesIdentity[];
  readonly configurationSets: SesConfigurationSet[];
  readonly distributions: CloudFrontDistribution[];
  readonly functions: CloudFrontFunction[];
}

/** Options for reading one template on its own. */
export interface TemplateOptions {
  /** The account and region it deploys to, to resolve `AWS::Region` and `AWS::AccountId`. */
  readonly environment?: StackEnvironment;
  /** The template file, kept in each origin. */
  readonly templateFile?: string;
}

/**
 * The DNS records, SES identities and configuration sets, and CloudFront distributions and
 * functions one template declares. References to other stacks (`Fn::ImportValue`, nested stack
 * parameters) are placeholders here: use `resourcesFromStacks` to resolve them across stacks.
 *
 * @param template the template as JSON
 * @param stackName the stack's name, used in each origin
 */
export function recordsFromTemplate(template: CfnTemplate, stackName: string, options: TemplateOptions = {}): EmailResources {
  const stack: StackScope & { templateFile?: string } = {
    name: stackName, template, environment: options.environment, templateFile: options.templateFile,
  };
  return resourcesFromStacks([stack]);
}

/**
 * The email-related resources of several stacks (e.g. every stack of a cloud assembly),
 * resolving exports, nested stack parameters and nested stack outputs between them.
 */
export function resourcesFromStacks(stacks: Array<StackScope & { readonly templateFile?: string }>): EmailResources {
  const resolver = new TemplateResolver(stacks);
  const out = {
    records: [] as DnsRecord[],
    sesIdentities: [] as SesIdentity[],
    configurationSets: [] as SesConfigurationSet[],
    distributions: [] as CloudFrontDistribution[],
    functions: [] as CloudFrontFunction[],
  };
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource === null || typeof resource !== 'object') continue;
      const origin: ResourceOrigin = stack.templateFile === undefined
        ? { stack: stack.name, logicalId }
        : { stack: stack.name, logicalId, templateFile: stack.templateFile };
      const props = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::Route53::RecordSet':
          out.records.push(readRecordSet(props, {}, resolver, stack, origin));
          break;
        case 'AWS::Route53::RecordSetGroup': {
          const entries = resolver.list(props.RecordSets, stack) ?? [];
          entries.forEach((entry, index) => {
            if (entry !== null && typeof entry === 'object') {
              out.records.push(readRecordSet(entry as Record<string, unknown>, props, resolver, stack, { ...origin, index }));
            }
          });
          break;
        }
        case 'AWS::SES::EmailIdentity':
          out.sesIdentities.push(readIdentity(props, resolver, stack, origin));
          break;
        case 'AWS::SES::ConfigurationSet': {
          const name = props.Name === undefined ? undefined : resolver.text(props.Name, stack);
          const tls = get(props, 'DeliveryOptions', 'TlsPolicy');
          const tlsText = tls === undefined ? undefined : resolver.text(tls, stack);
          out.configurationSets.push(omitUndefined({
            name: name?.text,
            tlsPolicy: tlsText?.text,
            tlsPolicyUnresolved: tlsText?.unresolved ?? false,
            origin,
          }));
          break;
        }
        case 'AWS::CloudFront::Distribution':
          out.distributions.push(readDistribution(resource, resolver, stack, origin));
          break;
        case 'AWS::CloudFront::Function':
          out.functions.push({ code: resolver.text(props.FunctionCode, stack).text, origin });
          break;
        default:
          break;
      }
    }
  }
  return out;
}

/** `<stack>/<logicalId>`, and `.RecordSets[i]` for an entry of a record set group. */
export function originText(origin: ResourceOrigin): string {
  return `${origin.stack}/${origin.logicalId}${origin.index === undefined ? '' : `.RecordSets[${origin.index}]`}`;
}

function readRecordSet(
  props: Record<string, unknown>, group: Record<string, unknown>, resolver: TemplateResolver, stack: StackScope, origin: ResourceOrigin,
): DnsRecord {
  const name = resolver.text(props.Name, stack);
  const type = resolver.text(props.Type, stack);
  const zone = readZone(props.HostedZoneId ?? group.HostedZoneId, props.HostedZoneName ?? group.HostedZoneName, resolver, stack);
  const ttlText = props.TTL === undefined ? undefined : resolver.text(props.TTL, stack);
  const ttl = ttlText !== undefined && /^\d+$/.test(ttlText.text) ? Number(ttlText.text) : undefined;

  let values: ResolvedText[];
  let alias = false;
  if (props.AliasTarget !== undefined && props.AliasTarget !== null) {
    alias = true;
    const target = resolver.text(get(props, 'AliasTarget', 'DNSName'), stack);
    values = [{ text: `ALIAS ${target.text}`, unresolved: target.unresolved }];
  } else {
    const list = resolver.list(props.ResourceRecords, stack);
    values = list === undefined
      ? (props.ResourceRecords === undefined ? [] : [resolver.text(props.ResourceRecords, stack)])
      : list.map((v) => resolver.text(v, stack));
  }

  const setIdentifier = props.SetIdentifier === undefined ? undefined : resolver.text(props.SetIdentifier, stack).text;
  const sesIdentity = sesIdentityOfDkimName(props.Name, resolver, stack);
  return omitUndefined({
    name: normaliseName(name),
    nameUnresolved: name.unresolved,
    type: type.text.toUpperCase(),
    ttl,
    values: values.map((v) => v.text),
    alias,
    zone: zone.zone,
    zoneKey: zone.key,
    setIdentifier,
    sesIdentity,
    origin,
    unresolved: name.unresolved || type.unresolved || values.some((v) => v.unresolved),
  });
}

/** The zone a record is in: by `HostedZoneId` (a zone in the scope, or an imported id) or `HostedZoneName`. */
function readZone(zoneId: unknown, zoneName: unknown, resolver: TemplateResolver, stack: StackScope): { zone: string; key: string } {
  if (zoneName !== undefined) {
    const n = resolver.text(zoneName, stack);
    const name = normaliseName(n);
    return { zone: name, key: n.unresolved ? `?${name}` : name };
  }
  if (zoneId === undefined) {
    return { zone: '<no hosted zone>', key: '?' };
  }
  const ref = resolver.deref(zoneId, stack);
  if (ref !== undefined && ref.resource.Type === 'AWS::Route53::HostedZone') {
    const n = resolver.text(ref.resource.Properties?.Name, ref.stack);
    const name = normaliseName(n);
    const isPrivate = ref.resource.Properties?.VPCs !== undefined;
    const identity = `${ref.stack.name}/${ref.logicalId}`;
    return { zone: name, key: n.unresolved ? `?${identity}` : `${name}${isPrivate ? ` (private ${identity})` : ''}` };
  }
  const id = resolver.text(zoneId, stack);
  return id.unresolved ? { zone: id.text, key: `?${id.text}` } : { zone: `<hosted zone ${id.text}>`, key: `id:${id.text}` };
}

/** SES Easy DKIM records are named `Fn::GetAtt [Identity, DkimDNSTokenNameN]`: they belong to that identity. */
function sesIdentityOfDkimName(name: unknown, resolver: TemplateResolver, stack: StackScope): string | undefined {
  const ref = resolver.deref(withoutTrailingDot(name), stack);
  if (ref === undefined || ref.resource.Type !== 'AWS::SES::EmailIdentity' || !/^DkimDNSTokenName[123]$/.test(ref.attribute ?? '')) return undefined;
  return normaliseName(resolver.text(ref.resource.Properties?.EmailIdentity, ref.stack));
}

/**
 * `Fn::Join ['', [X, '.']]` (how a fully-qualified name is made from an attribute) read as X, so
 * the attribute behind a record name can be found.
 */
function withoutTrailingDot(name: unknown): unknown {
  const join = (name as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return name;
  const parts = join[1] as unknown[];
  const refs = parts.filter((p) => typeof p !== 'string');
  const literalsAreDots = parts.every((p) => typeof p !== 'string' || p === '' || p === '.');
  return refs.length === 1 && literalsAreDots ? refs[0] : name;
}

function readIdentity(props: Record<string, unknown>, resolver: TemplateResolver, stack: StackScope, origin: ResourceOrigin): SesIdentity {
  const identity = resolver.text(props.EmailIdentity, stack);
  const cs = get(props, 'ConfigurationSetAttributes', 'ConfigurationSetName');
  const csRef = cs === undefined ? undefined : resolver.deref(cs, stack);
  const csName = cs === undefined ? undefined : resolver.text(cs, stack);
  const mailFrom = get(props, 'MailFromAttributes', 'MailFromDomain');
  const behavior = get(props, 'MailFromAttributes', 'BehaviorOnMxFailure');
  const keyLength = get(props, 'DkimSigningAttributes', 'NextSigningKeyLength');
  const signing = get(props, 'DkimAttributes', 'SigningEnabled');
  const selector = get(props, 'DkimSigningAttributes', 'DomainSigningSelector');
  return omitUndefined({
    identity: normaliseName(identity),
    identityUnresolved: identity.unresolved,
    configurationSetName: csName?.text,
    configurationSetRef: csRef !== undefined && csRef.resource.Type === 'AWS::SES::ConfigurationSet' ? `${csRef.stack.name}/${csRef.logicalId}` : undefined,
    configurationSetUnresolved: csName?.unresolved ?? false,
    dkimSigningEnabled: signing === undefined ? true : resolver.text(signing, stack).text !== 'false',
    nextSigningKeyLength: keyLength === undefined ? undefined : resolver.text(keyLength, stack).text,
    domainSigningSelector: selector === undefined ? undefined : resolver.text(selector, stack).text,
    mailFromDomain: mailFrom === undefined ? undefined : normaliseName(resolver.text(mailFrom, stack)),
    behaviorOnMxFailure: behavior === undefined ? undefined : resolver.text(behavior, stack).text,
    origin,
  });
}

function readDistribution(resource: CfnResource, resolver: TemplateResolver, stack: StackScope, origin: ResourceOrigin): CloudFrontDistribution {
  const config = (resource.Properties?.DistributionConfig ?? {}) as Record<string, unknown>;
  const aliases = (resolver.list(config.Aliases, stack) ?? []).map((a) => normaliseName(resolver.text(a, stack)));
  const minimum = get(config, 'ViewerCertificate', 'MinimumProtocolVersion');
  const minimumText = minimum === undefined ? undefined : resolver.text(minimum, stack);
  const defaultCert = get(config, 'ViewerCertificate', 'CloudFrontDefaultCertificate');
  const behaviours = [config.DefaultCacheBehavior, ...(resolver.list(config.CacheBehaviors, stack) ?? [])];
  const functionRefs: string[] = [];
  for (const b of behaviours) {
    if (b === null || typeof b !== 'object') continue;
    for (const assoc of resolver.list((b as Record<string, unknown>).FunctionAssociations, stack) ?? []) {
      const ref = resolver.deref(get(assoc as Record<string, unknown>, 'FunctionARN'), stack);
      if (ref !== undefined && ref.resource.Type === 'AWS::CloudFront::Function') functionRefs.push(`${ref.stack.name}/${ref.logicalId}`);
    }
  }
  return omitUndefined({
    aliases,
    minimumProtocolVersion: minimumText?.text,
    minimumProtocolVersionUnresolved: minimumText?.unresolved ?? false,
    cloudFrontDefaultCertificate: defaultCert === true || defaultCert === 'true',
    functionRefs,
    origin,
  });
}

/** Lower case without the trailing dot, and the `\052` Route 53 writes for `*`; placeholders keep their case. */
export function normaliseName(name: ResolvedText): string {
  const text = name.text.trim().replace(/\\052/g, '*').replace(/\.$/, '');
  return name.unresolved ? text : text.toLowerCase();
}

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Leave out undefined optional fields, so results compare and print cleanly. */
function omitUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as Array<keyof T>) {
    if (obj[key] === undefined) delete obj[key];
  }
  return obj;
}
