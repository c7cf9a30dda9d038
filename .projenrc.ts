import { JsonFile, awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-gov-email',
  description:
    'AWS CDK constructs and a CLI that set up UK government email domains to the government email security standard: SPF, DKIM, DMARC, MTA-STS, TLS-RPT and SES with TLS required.',
  keywords: ['cdk', 'awscdk', 'email', 'dmarc', 'spf', 'dkim', 'mta-sts', 'tls-rpt', 'ses', 'route53', 'gov.uk'],
  author: 'cdk-gov-email maintainers',
  authorAddress: 'maintainers@cdk-gov-email.invalid',
  repositoryUrl: 'https://github.com/cdk-gov-email/cdk-gov-email.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  // cdk-nag v3 (policy-validation packs) needs aws-cdk-lib 2.257.0 or newer.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Packaging for these targets is not run on every machine; the names are the contract.
  publishToPypi: { distName: 'cdk-gov-email', module: 'cdk_gov_email' },
  publishToMaven: {
    javaPackage: 'io.github.cdkgovemail',
    mavenGroupId: 'io.github.cdk-gov-email',
    mavenArtifactId: 'cdk-gov-email',
  },
  publishToNuget: { dotNetNamespace: 'CdkGovEmail', packageId: 'CdkGovEmail' },
  publishToGo: { moduleName: 'github.com/cdk-gov-email/cdk-gov-email-go' },

  // cdk-nag v3 packs are policy-validation plugins; the app that uses GovEmailChecks brings it.
  // Optional (peerDependenciesMeta below): only GovEmailChecks loads it, when it is made.
  peerDeps: ['cdk-nag@^3.0.2'],
  // The CLI's AWS calls (gov-email verify); bundled because they are not jsii modules.
  // DMARC/TLS-RPT report parsing (gov-email reports and the ReportInbox function) uses a
  // parser that never expands entities and a zip reader with size limits.
  bundledDeps: ['@aws-sdk/client-sesv2@^3', '@aws-sdk/client-route-53@^3', 'fast-xml-parser@^5', 'fflate@^0.8'],
  devDeps: [
    'fast-check@^4',
    '@types/node@^20',
    'aws-sdk-client-mock@^4',
    'dns-packet@^5',
    '@types/dns-packet@^5',
    // gov-email check's STARTTLS probe is tested against a real SMTP server on 127.0.0.1.
    'smtp-server@^3',
    '@types/smtp-server@^3',
    'esbuild@^0.28',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-cloudwatch@^3',
    // The report inbox's ledger (duplicates, per-reporter budgets, last-seen domains).
    '@aws-sdk/client-dynamodb@^3',
    '@types/aws-lambda@^8',
    // Integ tests for sandbox accounts: snapshots compared in CI, deployed only by hand.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@^2',
    'aws-cdk@^2',
  ],
  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools', 'projenrc', 'examples', 'bench'] },
  githubOptions: { mergify: false },

  // ts-jest only transpiles (test/tsconfig.json has isolatedModules), so the test task
  // type-checks the tests, the examples' apps and the benchmarks once with
  // `tsc --noEmit -p test/tsconfig.json`; what the tests run with ts-node is transpiled only.
  typecheckTests: true,
  jestOptions: {
    // Snapshots are compared, never silently rewritten: `npx projen test:update` refreshes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 30000,
      // A worker for every core: the main process only schedules (jest's default leaves one idle).
      maxWorkers: '100%',
      // Coverage is collected only by `npx projen test:coverage`; nothing in CI reads it.
      collectCoverage: false,
      // Every synthesised template is linted in ONE cfn-lint process at the end of the run
      // (test/util/cfn-lint.ts): the setup makes the folder the test files write them to, the
      // teardown lints them and fails the run on an error.
      globalSetup: '<rootDir>/test/util/cfn-lint-setup.ts',
      globalTeardown: '<rootDir>/test/util/cfn-lint-teardown.ts',
      // The examples import the package by its name, as a user's app does (see
      // test/util/package-self-reference.ts for ts-node).
      moduleNameMapper: {
        '^cdk-gov-email$': '<rootDir>/src',
        '^cdk-gov-email/lib/(.*)$': '<rootDir>/src/$1',
      },
    },
  },
  // The integ snapshots keep each asset's hash, not its folder (test/integ/snapshot-assets.test.ts).
  gitignore: ['cdk.out', '*.cdk.out', '/.tmp', '*.tmp.ts', 'cdk-integ.out.*', 'test/integ/*.snapshot/asset.*'],
});

// `build` packages the JavaScript bundle only, so it passes on a machine without the Java, .NET,
// Go and Python toolchains; the release workflow packages each language in its own job.
const packageTask = project.tasks.tryFind('package');
if (packageTask) {
  packageTask.reset();
  packageTask.spawn(project.tasks.tryFind('package:js')!);
}

// An app's require('cdk-gov-email') reads one file: after jsii compiles src/ into lib/, lib/index.js
// becomes a bundle of the modules it reaches, with its source map beside it (build-tools/bundle-index.ts).
project.postCompileTask.exec('ts-node --project test/tsconfig.json --transpile-only build-tools/bundle-index.ts lib src/index.ts', {
  name: 'Bundle lib/index.js',
});

// An app that never adds GovEmailChecks need not install cdk-nag: the pack loads it lazily.
project.package.addField('peerDependenciesMeta', { 'cdk-nag': { optional: true } });

// The gov-email command line: review a cloud assembly, check live domains, verify the AWS side.
project.addBins({ 'gov-email': 'bin/gov-email' });
project.npmignore?.include('/bin/');
// The tarball holds what an app needs (lib/, bin/, .jsii, API.md, README, the report parser's
// bundle in assets/), not the repository's examples, benchmarks, CI script or design notes.
project.npmignore?.exclude('/examples/', '/bench/', '/build-tools/', '/.ci/', '/docs/', '/cdk.out/', '*.cdk.out', 'cdk-integ.out.*');

// README command 1: synthesise the department example (no AWS account needed) and review the
// plan with the same rules the constructs enforce.
const example = project.addTask('example', {
  description: 'Synthesise examples/department into examples/department/cdk.out and review it with gov-email review',
});
// The department's report inbox synthesises the parser function's bundle as an asset.
example.spawn(project.tasks.tryFind('bundle')!);
example.exec('ts-node --project test/tsconfig.json examples/department/main.ts examples/department/cdk.out');
example.exec('ts-node --project test/tsconfig.json src/cli/bin.ts review examples/department/cdk.out');

// Integ tests: synthesise each test/integ/integ.*.ts and compare it with its committed snapshot.
// No AWS account or credentials are needed; nothing is deployed. `integ:update` rewrites the
// snapshots after an intended change, still without deploying.
const integRunner = 'integ-runner --directory test/integ --language typescript --parallel-regions eu-west-2'
  + ' --app "ts-node --project test/tsconfig.json --transpile-only {filePath}"';
const integ = project.addTask('integ', {
  description: 'Compare the integ tests\' synthesised templates with their committed snapshots (no AWS account needed)',
});
const integUpdate = project.addTask('integ:update', {
  description: 'Rewrite the integ tests\' snapshots after an intended change, without deploying',
});
// The department's report inbox needs the parser function's bundle.
for (const task of [integ, integUpdate]) task.spawn(project.tasks.tryFind('bundle')!);
integ.exec(integRunner);
integUpdate.exec(`${integRunner} --update-on-failed --dry-run`);

// Benchmarks: each prints ratios against a baseline measured in the same run and writes its
// table into docs/benchmarks.md.
project.addTask('bench:synth', {
  description: 'Synthesis time and memory of 100, 1,000 and 3,000 parked domains: DomainPortfolio against hand-written L2 and L1',
  exec: 'ts-node --project test/tsconfig.json bench/synth/run.ts',
  receiveArgs: true,
});
project.addTask('bench:check', {
  description: 'gov-email check over 1,000 generated domains against local DNS and HTTPS servers',
  exec: 'ts-node --project test/tsconfig.json bench/check/run.ts',
  receiveArgs: true,
});
project.addTask('bench:review', {
  description: 'gov-email review (compiled CLI, whole process) on 100, 1,000 and 3,000 parked domains and one domain with 8,000 records',
  exec: 'ts-node --project test/tsconfig.json bench/review/run.ts',
  receiveArgs: true,
});
project.addTask('bench:mta-sts-host', {
  description: 'Bytes of the MTA-STS policy host\'s CloudFront Function at 1, 50 and 100 domains: short and long names, shared and per-domain MX',
  exec: 'ts-node --project test/tsconfig.json bench/mta-sts-host/run.ts',
  receiveArgs: true,
});
project.addTask('bench:mta-sts-stacks', {
  description: 'Stacks, resources and template sizes of a DomainPortfolio\'s MTA-STS host for 100, 1,000 and 3,000 receiving domains, and synth time (whole process)',
  exec: 'ts-node --project test/tsconfig.json bench/mta-sts-stacks/run.ts',
  receiveArgs: true,
});
project.addTask('bench:startup', {
  description: 'Start-up of require(\'cdk-gov-email\') and the gov-email CLI (whole processes) against requiring the CDK modules src/ imports',
  exec: 'ts-node --project test/tsconfig.json bench/startup/run.ts',
  receiveArgs: true,
});

// Examples import 'cdk-gov-email' as a user writes it: the compiler maps the name to src/ with
// `paths`, and ts-node (npm run example, integ tests, the CDK CLI's app command) resolves it at
// run time with the hook in test/util/package-self-reference.ts.
const selfReferencePaths = { 'cdk-gov-email': ['../src'], 'cdk-gov-email/lib/*': ['../src/*'] };
project.tsconfigDev.file.addOverride('compilerOptions.paths', selfReferencePaths);
project.tsconfigDev.file.addOverride('ts-node', { require: ['./util/package-self-reference.ts'] });
// The examples' apps, the benchmarks and the build tools are type-checked with the tests, in one program.
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.tsconfigDev.addInclude('../build-tools/**/*.ts');
project.tsconfigDev.addExclude('../examples/**/cdk.out');
// The report inbox function's modules run in Lambda, whose runtime provides the AWS SDK clients
// they import; the bundle keeps them external, as for its entry point.
project.eslint!.allowDevDeps('src/report-inbox/handler/**');
project.eslint!.config.settings['import/resolver'].typescript.project = ['./tsconfig.json', './examples/tsconfig.json'];

// examples/, bench/ and build-tools/ run with ts-node; a tsconfig of their own lets eslint type-check them too.
for (const dir of ['examples', 'bench', 'build-tools']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    allowComments: true,
    marker: true,
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', stripInternal: true, isolatedModules: true, paths: selfReferencePaths },
      include: ['**/*.ts'],
      exclude: ['node_modules', '**/cdk.out'],
    },
  });
}

// The report-inbox function is bundled before the tests that synthesise it.
const bundle = project.tasks.tryFind('bundle');
if (bundle) project.testTask.prependSpawn(bundle);

// Coverage on request (the test task runs without it).
const coverage = project.addTask('test:coverage', {
  description: 'Run the tests with coverage (coverage/)',
  exec: 'jest --passWithNoTests --ci --coverage',
  receiveArgs: true,
});
if (bundle) coverage.prependSpawn(bundle);

project.synth();
