import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SpfIncludeCost } from '../records/spf';
// Types only: cdk-nag is loaded when a GovEmailChecks is made, never when the library is.
import type { GovEmailNagPack } from './private/pack';

/**
 * Properties for `GovEmailChecks`.
 */
export interface GovEmailChecksProps {
  /**
   * Whether to add the longer explanation (the rule's summary and source) to each finding, as
   * cdk-nag's `verbose`.
   *
   * @default false
   */
  readonly verbose?: boolean;

  /**
   * Whether to write acknowledged rules into each resource's CloudFormation metadata as
   * `cdk_nag: { rules_to_suppress: [...] }`, as cdk-nag's `writeSuppressionsToCloudFormation`
   * (for audit tooling that reads cdk-nag v2's format).
   *
   * @default false
   */
  readonly writeSuppressionsToCloudFormation?: boolean;

  /**
   * Known lookup costs of SPF `include:` and `redirect=` targets, so the lookup budget (10 DNS
   * lookups, RFC 7208 §4.6.4) counts what each really costs. Entries here take precedence over
   * the catalogue's for the same target.
   *
   * @default - the sender catalogue's: amazonses.com (0), spf.protection.outlook.com (1) and
   * _spf.google.com (3); any other target counts as one lookup
   */
  readonly spfIncludeCosts?: SpfIncludeCost[];

  /**
   * Whether warnings alone make the report fail. By default only errors do, as in
   * `gov-email review` (and as aws-cdk-lib judges a report once acknowledgements are applied).
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

/**
 * A cdk-nag v3 rule pack that checks the email records of any CDK app against the UK
 * government email profile: SPF, DMARC, DKIM, MTA-STS, TLS-RPT, parked domains, SES TLS and
 * the MTA-STS policy host's TLS.
 *
 * It reads the records every stack of a stage (the app, or each `Stage` in it) publishes (`AWS::Route53::RecordSet`,
 * `AWS::Route53::RecordSetGroup`, `AWS::SES::EmailIdentity` and `ConfigurationSet`,
 * `AWS::CloudFront::Distribution` and `Function`), whether made by this library's constructs or
 * by plain aws-cdk-lib ones, groups them by email domain (a domain's records may be spread over
 * several resources and stacks), evaluates each domain with the same profile as the constructs
 * and `gov-email review`, and reports each finding on the resource that holds the record it is
 * about (the finding's `subject`: DNS name and type). A finding about a record that is missing is
 * reported beside what requires it (no MTA-STS or TLS-RPT record: on the MX), else on the
 * resource that defines the domain: its apex SPF record, else its MX, else its SES identity.
 *
 * The pack has one rule per rule of `RuleCatalogue`, named `GovEmail-<rule id>`, for example
 * `GovEmail-GOVUK-DMARC-POLICY`: that name is the rule id in reports and the id to acknowledge.
 * Errors are reported as errors, warnings as warnings; info findings are not reported. A value that is
 * a CloudFormation intrinsic the pack cannot resolve is reported as `GovEmail-GOVUK-NOT-EVALUATED`,
 * never as compliant. SES Easy DKIM keys count as evaluated when the template sets their length
 * (`RSA_2048_BIT`): SES creates them, and the length is the one property of them the profile checks.
 *
 * Acknowledge a finding as cdk-nag v3 does, on the resource or any construct above it:
 * `Validations.of(scope).acknowledge({ id: 'GovEmail-GOVUK-DMARC-POLICY', reason: '...' })`.
 * The id of the library's own warning annotation (`cdk-gov-email:GOVUK-DMARC-POLICY`) is
 * accepted too, so one acknowledgement covers both.
 *
 * Add it to the app: `Validations.of(app).addPlugins(new GovEmailChecks())`. Where aws-cdk-lib
 * does not give plugins the construct tree, the pack reads the synthesised templates and their
 * metadata; pass the app (`new GovEmailChecks(app)`) to have it read the construct tree instead.
 * In tests, call `new GovEmailChecks().validateScope(app)`.
 *
 * cdk-nag is an optional peer dependency: the rest of the library loads without it, and this
 * pack loads it when it is made (`npm install cdk-nag` in the app that uses it).
 */
export class GovEmailChecks implements IPolicyValidationPlugin {
  /** The plugin's name in validation reports. */
  public readonly name: string;

  private readonly pack: GovEmailNagPack;

  /**
   * @param scope the app (or stage) the pack is added to. Needed only when aws-cdk-lib does not
   * give plugins the construct tree: with it the pack checks the construct tree, without it the
   * synthesised templates (construct paths and acknowledgements are then read from the cloud
   * assembly's metadata).
   * @param props options
   * @throws if cdk-nag is not installed
   */
  constructor(scope?: IConstruct, props: GovEmailChecksProps = {}) {
    this.pack = new (loadPack().GovEmailNagPack)(scope, props);
    this.name = this.pack.name;
  }

  /** The pack's name, the prefix of its rule ids (`GovEmail`), as cdk-nag's `readPackName`. */
  public get readPackName(): string {
    return this.pack.readPackName;
  }

  /**
   * Called by the CDK validation framework at synthesis. Given its scope, the pack checks the
   * construct tree of that scope's stage; without it, the synthesised templates the framework
   * gives (construct paths, logical ids and acknowledgements read from the cloud assembly).
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.pack.validate(context);
  }

  /**
   * Check a construct tree directly (in tests, or where the validation framework cannot give
   * the tree). Every stage under `scope` is analysed as a whole, so records spread over several
   * stacks are evaluated together.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.pack.validateScope(scope);
  }
}

/** The pack's module, which imports cdk-nag; a clear error when cdk-nag is not installed. */
function loadPack(): typeof import('./private/pack') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./private/pack');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND' && /['"]cdk-nag['"]/.test(e.message ?? '')) {
      throw new Error('GovEmailChecks needs cdk-nag v3, an optional peer dependency of cdk-gov-email that is not installed: run `npm install cdk-nag` in your CDK app.');
    }
    throw err;
  }
}
