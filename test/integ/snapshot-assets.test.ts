/**
 * The integ snapshots (test/integ/integ.*.ts.snapshot/) are committed without their asset
 * folders (asset.<hash>.*, gitignored): integ-runner compares templates, never asset contents,
 * and the folders were copies of the same bundles. What a snapshot keeps of each asset is its
 * hash, in the asset manifest and in the template that deploys it; this test holds that record
 * to account:
 * - every asset a snapshot's manifest lists is deployed by a Lambda function of that stack's
 *   template, under the same hash, and every zip a template deploys is in its manifest;
 * - each one is either the integ-tests-alpha assertion provider, whose hash must be the
 *   fingerprint of the provider bundle in the installed (pinned) @aws-cdk/integ-tests-alpha, so
 *   the omitted folder is exactly reproducible; or the report parser (ReportInbox's Parser
 *   function), built from src/ by `npx projen bundle`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileSystem } from 'aws-cdk-lib';

const INTEG = __dirname;
const snapshots = readdirSync(INTEG).filter((f) => /^integ\..*\.ts\.snapshot$/.test(f)).sort();
const providerBundle = join(dirname(require.resolve('@aws-cdk/integ-tests-alpha/package.json')), 'lib', 'assertions', 'providers', 'lambda-handler.bundle');

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));

interface ZipAsset { readonly snapshot: string; readonly stack: string; readonly hash: string; readonly functionPath: string }

/** Every zip asset of a snapshot, with the construct path of the function that deploys it. */
function zipAssets(snapshot: string): ZipAsset[] {
  const dir = join(INTEG, snapshot);
  const out: ZipAsset[] = [];
  for (const manifestFile of readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    const stack = manifestFile.replace(/\.assets\.json$/, '');
    const manifest = readJson(join(dir, manifestFile));
    const template = readJson(join(dir, `${stack}.template.json`));
    const metadata = readJson(join(dir, `${stack}.metadata.json`));
    const pathOf = new Map<string, string>();
    for (const [path, entries] of Object.entries<any[]>(metadata)) {
      for (const e of entries) if (e.type === 'aws:cdk:logicalId') pathOf.set(e.data, path);
    }
    const zips = Object.entries<any>(manifest.files ?? {}).filter(([, a]) => a.source.packaging === 'zip');
    const deployed = new Map<string, string[]>();
    for (const [logicalId, r] of Object.entries<any>(template.Resources ?? {})) {
      const key = r.Type === 'AWS::Lambda::Function' ? r.Properties?.Code?.S3Key : undefined;
      if (typeof key === 'string') deployed.set(key, [...(deployed.get(key) ?? []), logicalId]);
    }
    expect({ stack, zips: [...deployed.keys()].sort() }).toEqual({ stack, zips: zips.map(([hash]) => `${hash}.zip`).sort() });
    for (const [hash, asset] of zips) {
      expect(asset.source.path).toMatch(new RegExp(`^asset\\.${hash}\\.`));
      for (const logicalId of deployed.get(`${hash}.zip`) ?? []) {
        out.push({ snapshot, stack, hash, functionPath: pathOf.get(logicalId) ?? logicalId });
      }
    }
  }
  return out;
}

test('there are integ snapshots to check', () => {
  expect(snapshots).toEqual([
    'integ.department.ts.snapshot',
    'integ.parked-estate.ts.snapshot',
    'integ.report-inbox.ts.snapshot',
    'integ.transactional-sender.ts.snapshot',
  ]);
});

describe.each(snapshots)('%s', (snapshot) => {
  test('each asset is recorded by its hash, and deployed under that hash by its stack', () => {
    expect(zipAssets(snapshot).length).toBeGreaterThan(0);
  });

  test('each asset is the assertion provider of the installed integ-tests-alpha, or the report parser', () => {
    expect(existsSync(providerBundle)).toBe(true);
    const provider = FileSystem.fingerprint(providerBundle);
    for (const a of zipAssets(snapshot)) {
      if (/\/SingletonFunction[0-9a-f]{32}\/Handler$/.test(a.functionPath)) {
        expect(a).toEqual({ ...a, hash: provider });
      } else {
        expect(a.functionPath).toMatch(/\/Parser\/Resource$/);
      }
    }
  });
});
