import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
