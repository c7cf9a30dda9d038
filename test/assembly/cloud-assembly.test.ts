import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAssemblyError, readCloudAssembly, readTemplateFiles } from '../../src/assembly/cloud-assembly';
import { domainsFromResources } from '../../src/assembly/domains';
import { resourcesFromStacks } from '../../src/assembly/resources';

const FIXTURES = join(__dirname, '..', 'fixtures', 'assemblies');
const fixture = (name: string) => join(FIXTURES, name);

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gov-email-assembly-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const write = (file: string, content: unknown) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
};
const stackArtifact = (templateFile: string) => ({ type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile } });

/** The error readCloudAssembly throws, for its reason and file. */
function errorOf(dir: string): CloudAssemblyError {
  try {
    readCloudAssembly(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(CloudAssemblyError);
    return err as CloudAssemblyError;
  }
  throw new Error(`${dir} was read without error`);
}

describe('readCloudAssembly', () => {
  test('every stack of a multi-stack app, in manifest order, with its template', () => {
    const dir = fixture('multi-stack');
    const assembly = readCloudAssembly(dir);
    expect(assembly.directory).toBe(dir);
    expect(assembly.warnings).toEqual([]);
    expect(assembly.stacks.map((s) => [s.name, s.artifactId, s.templateFile, s.environment])).toEqual([
      ['DeptZone', 'DeptZone', join(dir, 'DeptZone.template.json'), { }],
      ['DeptMail', 'DeptMail', join(dir, 'DeptMail.template.json'), { }],
    ]);
    expect(Object.keys(assembly.stacks[0].template.Resources ?? {})).toContain('ZoneA5DE4B68');
  });

  test('a nested stack by its aws:asset:path metadata, named under its parent, in its parent\'s environment', () => {
    const dir = fixture('nested');
    const [parent, nested] = readCloudAssembly(dir).stacks;
    expect(parent).toMatchObject({ name: 'Agency', environment: { account: '123456789012', region: 'eu-west-2' } });
    expect(nested).toMatchObject({
      name: 'Agency/RecordsNestedStackRecordsNestedStackResource8E3B4C5D',
      templateFile: join(dir, 'AgencyRecords.nested.template.json'),
      environment: { account: '123456789012', region: 'eu-west-2' },
      parent: { stack: 'Agency', logicalId: 'RecordsNestedStackRecordsNestedStackResource8E3B4C5D' },
    });
    expect(nested.artifactId).toBeUndefined();
  });

  test('the stacks of a stage (a nested cloud assembly), by display name', () => {
    const dir = fixture('stage');
    expect(readCloudAssembly(dir).stacks.map((s) => [s.name, s.artifactId, s.templateFile])).toEqual([
      ['Prod/Parked', 'ProdParked5B6C7D8E', join(dir, 'assembly-Prod', 'ProdParked5B6C7D8E.template.json')],
    ]);
  });

  test('a nested stack without metadata is found through the asset manifest by the hash in its TemplateURL', () => {
    write(join(tmp, 'manifest.json'), {
      version: '53.0.0',
      artifacts: {
        'App.assets': { type: 'cdk:asset-manifest', properties: { file: 'App.assets.json' } },
        'App': stackArtifact('App.template.json'),
      },
    });
    write(join(tmp, 'App.assets.json'), { version: '53.0.0', files: { abc123: { source: { path: 'AppChild.nested.template.json', packaging: 'file' }, destinations: {} } } });
    write(join(tmp, 'App.template.json'), {
      Resources: {
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::URLSuffix' }, '/bucket/abc123.json']] } } },
        Lost: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/elsewhere.json' } },
      },
    });
    write(join(tmp, 'AppChild.nested.template.json'), { Resources: {} });
    const assembly = readCloudAssembly(tmp);
    expect(assembly.stacks.map((s) => s.name)).toEqual(['App', 'App/Child']);
    expect(assembly.warnings).toEqual(['App: the template of the nested stack Lost is not in the cloud assembly, so its records are not reviewed.']);
  });

  test('an assembly with no stacks has none', () => {
    expect(readCloudAssembly(fixture('empty')).stacks).toEqual([]);
  });
});

describe('readCloudAssembly: what cannot be read', () => {
  test('no such folder', () => {
    const dir = join(FIXTURES, 'no-such-folder');
    const err = errorOf(dir);
    expect([err.reason, err.file]).toEqual(['no-such-folder', dir]);
    expect(err.message).toBe(`No such folder: ${dir}. Give the cloud assembly folder \`cdk synth\` writes (by default ./cdk.out).`);
  });

  test('a file, not a folder', () => {
    const file = join(fixture('multi-stack'), 'manifest.json');
    expect(errorOf(file).reason).toBe('not-a-folder');
  });

  test('a folder with no manifest.json', () => {
    const dir = fixture('not-an-assembly');
    const err = errorOf(dir);
    expect([err.reason, err.file]).toEqual(['not-a-cloud-assembly', dir]);
    expect(err.message).toBe(`${dir} is not a cloud assembly: it has no manifest.json. Run \`cdk synth\` and give the folder it writes (by default ./cdk.out).`);
  });

  test('a template that is not valid JSON names the file', () => {
    const file = join(fixture('broken-json'), 'Broken.template.json');
    const err = errorOf(fixture('broken-json'));
    expect([err.reason, err.file]).toEqual(['malformed-json', file]);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON: `));
  });

  test('a manifest that is not valid JSON names the manifest', () => {
    write(join(tmp, 'manifest.json'), '{ "version": ');
    expect([errorOf(tmp).reason, errorOf(tmp).file]).toEqual(['malformed-json', join(tmp, 'manifest.json')]);
  });

  test('a manifest naming a template that does not exist', () => {
    const dir = fixture('missing-template');
    const err = errorOf(dir);
    expect([err.reason, err.file]).toEqual(['missing-template', join(dir, 'Missing.template.json')]);
    expect(err.message).toBe(`${join(dir, 'manifest.json')} names the template Missing.template.json for the stack Missing, but ${join(dir, 'Missing.template.json')} does not exist. Run \`cdk synth\` again.`);
  });

  test('a nested stack naming a template that does not exist', () => {
    write(join(tmp, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('App.template.json') } });
    write(join(tmp, 'App.template.json'), { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Gone.nested.template.json' } } } });
    expect([errorOf(tmp).reason, errorOf(tmp).file]).toEqual(['missing-template', join(tmp, 'Gone.nested.template.json')]);
  });

  test.each<[string, unknown, unknown, string]>([
    ['artifacts is not an object', { artifacts: [] }, undefined, 'invalid-manifest'],
    ['a stack without a template file', { artifacts: { App: { type: 'aws:cloudformation:stack', properties: {} } } }, undefined, 'invalid-manifest'],
    ['a nested assembly without a folder', { artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: {} } } }, undefined, 'invalid-manifest'],
    ['a template whose Resources is not an object', { artifacts: { App: stackArtifact('App.template.json') } }, { Resources: [] }, 'invalid-template'],
    ['a template that is a list', { artifacts: { App: stackArtifact('App.template.json') } }, [], 'invalid-template'],
  ])('%s', (_name, manifest, template, reason) => {
    write(join(tmp, 'manifest.json'), manifest);
    if (template !== undefined) write(join(tmp, 'App.template.json'), template);
    expect(errorOf(tmp).reason).toBe(reason);
  });

  test('a stage folder that is not a cloud assembly', () => {
    write(join(tmp, 'manifest.json'), { artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } } } });
    expect([errorOf(tmp).reason, errorOf(tmp).file]).toEqual(['not-a-cloud-assembly', join(tmp, 'assembly-Stage')]);
  });
});

describe('readTemplateFiles (template paths without a manifest, as a validation plugin gets them)', () => {
  const dir = fixture('nested');
  const files = [join(dir, 'Agency.template.json'), join(dir, 'AgencyRecords.nested.template.json')];

  test('names stacks by their files and links a nested stack to its parent', () => {
    const stacks = readTemplateFiles(files);
    expect(stacks.map((s) => [s.name, s.templateFile, s.parent])).toEqual([
      ['Agency', files[0], undefined],
      ['Agency/RecordsNestedStackRecordsNestedStackResource8E3B4C5D', files[1], { stack: 'Agency', logicalId: 'RecordsNestedStackRecordsNestedStackResource8E3B4C5D' }],
    ]);
  });

  test('so the parameters a parent passes resolve', () => {
    const [agency] = domainsFromResources(resourcesFromStacks(readTemplateFiles(files)));
    expect(agency.domain).toBe('agency.gov.uk');
    expect(agency.records.map((r) => r.name)).toContain('_dmarc.agency.gov.uk');
  });

  test('a nested template read without its parent is a stack of its own', () => {
    expect(readTemplateFiles([files[1]]).map((s) => [s.name, s.parent])).toEqual([['AgencyRecords', undefined]]);
  });

  test('a file that cannot be read', () => {
    expect(() => readTemplateFiles([join(dir, 'Gone.template.json')])).toThrow(CloudAssemblyError);
  });
});

describe('readCloudAssembly: only files inside the folder are read', () => {
  /** A valid template outside the assembly folder: only the check stops it being read. */
  const OUTSIDE = { Description: 'outside the assembly', Resources: { Www: { Type: 'AWS::Route53::RecordSet', Properties: { Name: 'outside.gov.uk.', Type: 'TXT', TTL: '60', ResourceRecords: ['"x"'] } } } };
  let asm: string;
  beforeEach(() => {
    asm = join(tmp, 'cdk.out');
    write(join(tmp, 'outside.json'), OUTSIDE);
    write(join(tmp, 'outside.assets.json'), { version: '53.0.0', files: {} });
  });

  /** The error for a path outside: its reason, the path, and one line naming the file that names it, the path given and the folder. */
  function outside(namedBy: string, named: string): void {
    const err = errorOf(asm);
    expect([err.reason, err.file]).toEqual(['path-outside-assembly', join(asm, named)]);
    expect(err.message).toBe(`${namedBy} names "${named}", which leads outside the folder ${asm}; only files inside it are read.`);
    expect(err.message).not.toContain('\n');
  }

  test('a stack template file with ../ in its path', () => {
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('../outside.json') } });
    outside(join(asm, 'manifest.json'), '../outside.json');
  });

  test('a template file that is a symbolic link to a file outside', () => {
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('App.template.json') } });
    symlinkSync(join(tmp, 'outside.json'), join(asm, 'App.template.json'));
    outside(join(asm, 'manifest.json'), 'App.template.json');
  });

  test('a template file in a linked folder that leads outside', () => {
    mkdirSync(join(tmp, 'elsewhere'));
    write(join(tmp, 'elsewhere', 'App.template.json'), OUTSIDE);
    mkdirSync(asm);
    symlinkSync(join(tmp, 'elsewhere'), join(asm, 'linked'));
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('linked/App.template.json') } });
    outside(join(asm, 'manifest.json'), 'linked/App.template.json');
  });

  test('a nested stack whose aws:asset:path leaves the folder', () => {
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('App.template.json') } });
    write(join(asm, 'App.template.json'), { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': '../outside.json' } } } });
    outside(join(asm, 'App.template.json'), '../outside.json');
  });

  test('an asset manifest file outside the folder', () => {
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { 'App.assets': { type: 'cdk:asset-manifest', properties: { file: '../outside.assets.json' } } } });
    outside(join(asm, 'manifest.json'), '../outside.assets.json');
  });

  test('an asset manifest naming a nested template outside the folder', () => {
    write(join(asm, 'manifest.json'), {
      version: '53.0.0',
      artifacts: { 'App.assets': { type: 'cdk:asset-manifest', properties: { file: 'App.assets.json' } }, 'App': stackArtifact('App.template.json') },
    });
    write(join(asm, 'App.assets.json'), { version: '53.0.0', files: { abc123: { source: { path: '../outside.json', packaging: 'file' }, destinations: {} } } });
    write(join(asm, 'App.template.json'), { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/bucket/abc123.json' } } } });
    outside(join(asm, 'App.assets.json'), '../outside.json');
  });

  test('a nested cloud assembly folder outside the folder, by ../ or by a link', () => {
    write(join(tmp, 'stage', 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('App.template.json') } });
    write(join(tmp, 'stage', 'App.template.json'), OUTSIDE);
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: '../stage' } } } });
    outside(join(asm, 'manifest.json'), '../stage');
    symlinkSync(join(tmp, 'stage'), join(asm, 'assembly-Stage'));
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } } } });
    outside(join(asm, 'manifest.json'), 'assembly-Stage');
  });

  test('a folder given through a link, and links that stay inside, are read', () => {
    write(join(asm, 'manifest.json'), { version: '53.0.0', artifacts: { App: stackArtifact('App.template.json') } });
    write(join(asm, 'real', 'App.template.json'), { Resources: {} });
    symlinkSync(join(asm, 'real', 'App.template.json'), join(asm, 'App.template.json'));
    symlinkSync(asm, join(tmp, 'linked.out'));
    expect(readCloudAssembly(join(tmp, 'linked.out')).stacks.map((s) => s.templateFile)).toEqual([join(tmp, 'linked.out', 'App.template.json')]);
  });
});

describe('readTemplateFiles: nested-stack templates stay in the folder of their parent', () => {
  test('a nested stack whose aws:asset:path leaves the folder of the template naming it', () => {
    write(join(tmp, 'outside.json'), { Resources: {} });
    const parent = join(tmp, 'cdk.out', 'App.template.json');
    write(parent, { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': '../outside.json' } } } });
    let err: unknown;
    try {
      readTemplateFiles([parent, join(tmp, 'outside.json')]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CloudAssemblyError);
    expect((err as CloudAssemblyError).reason).toBe('path-outside-assembly');
    expect((err as CloudAssemblyError).message).toBe(`${parent} names "../outside.json", which leads outside the folder ${join(tmp, 'cdk.out')}; only files inside it are read.`);
  });
});
