/**
 * CloudFormation templates as JSON, and the intrinsics a review can resolve without deploying:
 * literals, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Ref` to parameters a parent stack passes,
 * `Fn::ImportValue` of another stack's export, and `Fn::GetAtt` of a nested stack's output.
 * Everything else becomes a readable placeholder (`<SES DKIM token value 1>`, `<region>`), and
 * the value is marked unresolved so it is reported as not evaluated, never as compliant.
 *
 * No aws-cdk-lib import: this reads JSON.
 */

/** A CloudFormation resource as a template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly [key: string]: unknown;
}

/** The account and region a stack deploys to, when the assembly says. */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/** A value as text, and whether any part of it is a placeholder for something not known here. */
export interface ResolvedText {
  readonly text: string;
  readonly unresolved: boolean;
}

/** One stack in a resolution scope: its template, environment and (when nested) its parent. */
export interface StackScope {
  /** The stack's display name, e.g. `Dept`, `Prod/Mail`, `Dept/NestedStackResource`. */
  readonly name: string;
  readonly template: CfnTemplate;
  readonly environment?: StackEnvironment;
  /** For a nested stack: the parent stack and the logical id of its `AWS::CloudFormation::Stack`. */
  readonly parent?: { readonly stack: string; readonly logicalId: string };
}

/** A resource found by following a reference: the stack that holds it and its logical id. */
export interface ResourceRef {
  readonly stack: StackScope;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** The attribute, when reached through `Fn::GetAtt`. */
  readonly attribute?: string;
}

const MAX_DEPTH = 32;
/** CloudFormation `aws:cdk` environment placeholders for an environment-agnostic stack. */
const UNKNOWN_ENV = /^unknown-(account|region)$/;

/**
 * Resolves intrinsics across a set of stacks: exports are looked up in every stack of the set,
 * and a nested stack's parameters are taken from its parent's `AWS::CloudFormation::Stack`.
 */
export class TemplateResolver {
  private readonly byName = new Map<string, StackScope>();
  private exports?: Map<string, { stack: StackScope; value: unknown }>;

  constructor(private readonly stacks: StackScope[]) {
    for (const s of stacks) this.byName.set(s.name, s);
  }

  /** Every stack of the scope. */
  public all(): StackScope[] {
    return [...this.stacks];
  }

  /** A value as text; intrinsics that cannot be resolved become placeholders. */
  public text(value: unknown, stack: StackScope, depth: number = 0): ResolvedText {
    if (depth > MAX_DEPTH) return placeholder('<circular reference>');
    if (value === undefined || value === null) return { text: '', unresolved: false };
    if (typeof value === 'string') return { text: value, unresolved: false };
    if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), unresolved: false };
    if (Array.isArray(value)) return placeholder('<list>');
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length !== 1) return placeholder('<object>');
    const [fn] = keys;
    const arg = obj[fn];
    switch (fn) {
      case 'Ref':
        return this.refText(String(arg), stack, depth);
      case 'Fn::GetAtt':
        return this.getAttText(arg, stack, depth);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) return placeholder('<Fn::Join>');
        const sep = this.text(arg[0], stack, depth + 1);
        const parts = (arg[1] as unknown[]).map((p) => this.text(p, stack, depth + 1));
        return { text: parts.map((p) => p.text).join(sep.text), unresolved: sep.unresolved || parts.some((p) => p.unresolved) };
      }
      case 'Fn::Sub':
        return this.subText(arg, stack, depth);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return placeholder('<Fn::Select>');
        const index = Number(this.text(arg[0], stack, depth + 1).text);
        const list = this.list(arg[1], stack, depth + 1);
        if (list === undefined || !Number.isInteger(index) || index < 0 || index >= list.length) return placeholder('<Fn::Select>');
        return this.text(list[index], stack, depth + 1);
      }
      case 'Fn::ImportValue': {
        const name = this.text(arg, stack, depth + 1);
        const exported = name.unresolved ? undefined : this.exportsMap().get(name.text);
        if (exported === undefined) return placeholder(`<Fn::ImportValue ${name.text}>`);
        return this.text(exported.value, exported.stack, depth + 1);
      }
      default:
        return placeholder(`<${fn}>`);
    }
  }

  /**
   * The resource a value refers to (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, a nested stack's
   * parameter or output), or undefined when it refers to none in the scope.
   */
  public deref(value: unknown, stack: StackScope, depth: number = 0): ResourceRef | undefined {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const obj = value as Record<string, unknown>;
    if ('Ref' in obj) {
      const id = String(obj.Ref);
      const parentValue = this.parentParameter(id, stack);
      if (parentValue !== undefined) return this.deref(parentValue.value, parentValue.stack, depth + 1);
      const resource = stack.template.Resources?.[id];
      return resource === undefined ? undefined : { stack, logicalId: id, resource };
    }
    if ('Fn::GetAtt' in obj) {
      const att = getAttParts(obj['Fn::GetAtt']);
      if (att === undefined) return undefined;
      const output = this.nestedOutput(att.id, att.attribute, stack);
      if (output !== undefined) return this.deref(output.value, output.stack, depth + 1);
      const resource = stack.template.Resources?.[att.id];
      return resource === undefined ? undefined : { stack, logicalId: att.id, resource, attribute: att.attribute };
    }
    if ('Fn::ImportValue' in obj) {
      const name = this.text(obj['Fn::ImportValue'], stack, depth + 1);
      const exported = name.unresolved ? undefined : this.exportsMap().get(name.text);
      return exported === undefined ? undefined : this.deref(exported.value, exported.stack, depth + 1);
    }
    return undefined;
  }

  /** A value that is a list (a literal array, or a parameter or output holding one). */
  public list(value: unknown, stack: StackScope, depth: number = 0): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
    const obj = value as Record<string, unknown>;
    if ('Ref' in obj) {
      const p = this.parentParameter(String(obj.Ref), stack);
      return p === undefined ? undefined : this.list(p.value, p.stack, depth + 1);
    }
    if ('Fn::Split' in obj && Array.isArray(obj['Fn::Split']) && (obj['Fn::Split'] as unknown[]).length === 2) {
      const [sep, source] = obj['Fn::Split'] as unknown[];
      const s = this.text(sep, stack, depth + 1);
      const t = this.text(source, stack, depth + 1);
      return s.unresolved || t.unresolved ? undefined : t.text.split(s.text);
    }
    return undefined;
  }

  private refText(id: string, stack: StackScope, depth: number): ResolvedText {
    switch (id) {
      case 'AWS::Region':
        return known(stack.environment?.region) ?? placeholder('<region>');
      case 'AWS::AccountId':
        return known(stack.environment?.account) ?? placeholder('<account>');
      case 'AWS::Partition':
        return placeholder('<partition>');
      case 'AWS::URLSuffix':
        return placeholder('<url suffix>');
      case 'AWS::StackName':
        return placeholder('<stack name>');
      case 'AWS::StackId':
        return placeholder('<stack id>');
      case 'AWS::NoValue':
        return { text: '', unresolved: false };
      default:
        break;
    }
    const parentValue = this.parentParameter(id, stack);
    if (parentValue !== undefined) return this.text(parentValue.value, parentValue.stack, depth + 1);
    if (stack.template.Parameters?.[id] !== undefined) return placeholder(`<parameter ${id}>`);
    const resource = stack.template.Resources?.[id];
    if (resource === undefined) return placeholder(`<Ref ${id}>`);
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      // Ref of these returns the name given in the template.
      case 'AWS::SES::EmailIdentity':
        return props.EmailIdentity === undefined ? placeholder(`<Ref ${id}>`) : this.text(props.EmailIdentity, stack, depth + 1);
      case 'AWS::SES::ConfigurationSet':
        return props.Name === undefined ? placeholder(`<SES configuration set ${id}>`) : this.text(props.Name, stack, depth + 1);
      case 'AWS::Route53::HostedZone':
        return placeholder(`<hosted zone id of ${id}>`);
      default:
        return placeholder(`<Ref ${id}>`);
    }
  }

  private getAttText(arg: unknown, stack: StackScope, depth: number): ResolvedText {
    const att = getAttParts(arg);
    if (att === undefined) return placeholder('<Fn::GetAtt>');
    const output = this.nestedOutput(att.id, att.attribute, stack);
    if (output !== undefined) return this.text(output.value, output.stack, depth + 1);
    const resource = stack.template.Resources?.[att.id];
    if (resource?.Type === 'AWS::SES::EmailIdentity') {
      const dkim = /^DkimDNSToken(Name|Value)([123])$/.exec(att.attribute);
      if (dkim) return placeholder(`<SES DKIM token ${dkim[1].toLowerCase()} ${dkim[2]}>`);
    }
    return placeholder(`<Fn::GetAtt ${att.id}.${att.attribute}>`);
  }

  private subText(arg: unknown, stack: StackScope, depth: number): ResolvedText {
    const [template, vars] = Array.isArray(arg) ? [arg[0], (arg[1] ?? {}) as Record<string, unknown>] : [arg, {} as Record<string, unknown>];
    if (typeof template !== 'string') return placeholder('<Fn::Sub>');
    let unresolved = false;
    const text = template.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, expr: string) => {
      if (bang === '!') return `\${${expr}}`;
      const name = expr.trim();
      let r: ResolvedText;
      if (Object.prototype.hasOwnProperty.call(vars, name)) {
        r = this.text(vars[name], stack, depth + 1);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        r = this.getAttText([name.slice(0, dot), name.slice(dot + 1)], stack, depth + 1);
      } else {
        r = this.refText(name, stack, depth + 1);
      }
      unresolved = unresolved || r.unresolved;
      return r.text;
    });
    return { text, unresolved };
  }

  /** The value a parent stack passes for a nested stack's parameter. */
  private parentParameter(id: string, stack: StackScope): { stack: StackScope; value: unknown } | undefined {
    if (stack.parent === undefined || stack.template.Parameters?.[id] === undefined) return undefined;
    const parent = this.byName.get(stack.parent.stack);
    const params = parent?.template.Resources?.[stack.parent.logicalId]?.Properties?.Parameters as Record<string, unknown> | undefined;
    if (parent === undefined || params === undefined || !(id in params)) return undefined;
    return { stack: parent, value: params[id] };
  }

  /** `Fn::GetAtt [NestedStack, Outputs.X]`: the nested template's output value. */
  private nestedOutput(id: string, attribute: string, stack: StackScope): { stack: StackScope; value: unknown } | undefined {
    if (!attribute.startsWith('Outputs.')) return undefined;
    const child = this.stacks.find((s) => s.parent?.stack === stack.name && s.parent.logicalId === id);
    const output = child?.template.Outputs?.[attribute.slice('Outputs.'.length)];
    return child === undefined || output === undefined ? undefined : { stack: child, value: output.Value };
  }

  private exportsMap(): Map<string, { stack: StackScope; value: unknown }> {
    if (this.exports === undefined) {
      this.exports = new Map();
      for (const s of this.stacks) {
        for (const output of Object.values(s.template.Outputs ?? {})) {
          if (output?.Export?.Name === undefined) continue;
          const name = this.text(output.Export.Name, s);
          if (!name.unresolved) this.exports.set(name.text, { stack: s, value: output.Value });
        }
      }
    }
    return this.exports;
  }
}

function placeholder(text: string): ResolvedText {
  return { text, unresolved: true };
}

function known(value: string | undefined): ResolvedText | undefined {
  return value === undefined || UNKNOWN_ENV.test(value) ? undefined : { text: value, unresolved: false };
}

function getAttParts(arg: unknown): { id: string; attribute: string } | undefined {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot < 0 ? undefined : { id: arg.slice(0, dot), attribute: arg.slice(dot + 1) };
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
    return { id: arg[0], attribute: arg[1] };
  }
  return undefined;
}
