/**
 * The parts of the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json, OASIS SARIF v2.1.0
 * §3) that gov-email's output uses, written as checks because the schema cannot be downloaded
 * here and no JSON schema validator is a dependency: required properties, types, enumerations,
 * and — as the schema's `additionalProperties: false` does — no property the schema does not
 * define. Returns the problems found, each with its JSON path; none means valid.
 */

type Json = unknown;

const LEVELS = ['none', 'note', 'warning', 'error'];

interface Shape {
  readonly required?: string[];
  readonly allowed: string[];
}

const SHAPES: Record<string, Shape> = {
  sarifLog: { required: ['version', 'runs'], allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'] },
  run: {
    required: ['tool'],
    allowed: ['tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations',
      'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage',
      'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations',
      'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties'],
  },
  tool: { required: ['driver'], allowed: ['driver', 'extensions', 'properties'] },
  toolComponent: {
    required: ['name'],
    allowed: ['guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version',
      'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications',
      'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion',
      'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties'],
  },
  reportingDescriptor: {
    required: ['id'],
    allowed: ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings',
      'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'],
  },
  multiformatMessageString: { required: ['text'], allowed: ['text', 'markdown', 'properties'] },
  reportingConfiguration: { allowed: ['enabled', 'level', 'rank', 'parameters', 'properties'] },
  result: {
    required: ['message'],
    allowed: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount',
      'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState',
      'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties'],
  },
  message: { allowed: ['text', 'markdown', 'id', 'arguments', 'properties'] },
  location: { allowed: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'] },
  physicalLocation: { allowed: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'] },
  artifactLocation: { allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'] },
  logicalLocation: { allowed: ['name', 'index', 'fullyQualifiedName', 'decoratedName', 'parentIndex', 'kind', 'properties'] },
};

export function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

  const object = (v: Json, shape: string, path: string): Record<string, Json> | undefined => {
    if (!isObject(v)) {
      problems.push(`${path}: a ${shape} must be an object`);
      return undefined;
    }
    const s = SHAPES[shape];
    for (const key of s.required ?? []) {
      if (!(key in v)) problems.push(`${path}: a ${shape} requires "${key}"`);
    }
    for (const key of Object.keys(v)) {
      if (!s.allowed.includes(key)) problems.push(`${path}.${key}: not a property of ${shape}`);
    }
    if ('properties' in v && !isObject(v.properties)) problems.push(`${path}.properties: a property bag must be an object`);
    return v;
  };
  const string = (v: Json, path: string) => {
    if (typeof v !== 'string') problems.push(`${path}: must be a string`);
  };
  const array = (v: Json, path: string, unique: boolean): Json[] => {
    if (!Array.isArray(v)) {
      problems.push(`${path}: must be an array`);
      return [];
    }
    if (unique && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) problems.push(`${path}: items must be unique`);
    return v;
  };
  const mfString = (v: Json, path: string) => {
    const o = object(v, 'multiformatMessageString', path);
    if (o) string(o.text, `${path}.text`);
  };
  const level = (v: Json, path: string) => {
    if (!LEVELS.includes(v as string)) problems.push(`${path}: level must be one of ${LEVELS.join(', ')}; got ${JSON.stringify(v)}`);
  };
  const uriReference = (v: Json, path: string) => {
    string(v, path);
    if (typeof v === 'string' && (/[\s\\]/.test(v) || v === '')) problems.push(`${path}: not a URI reference: ${JSON.stringify(v)}`);
  };

  const root = object(log, 'sarifLog', '$');
  if (!root) return problems;
  if (root.version !== '2.1.0') problems.push(`$.version: must be "2.1.0"; got ${JSON.stringify(root.version)}`);
  if ('$schema' in root) uriReference(root.$schema, '$.$schema');
  array(root.runs, '$.runs', false).forEach((runJson, r) => {
    const rp = `$.runs[${r}]`;
    const run = object(runJson, 'run', rp);
    if (!run) return;
    const tool = object(run.tool, 'tool', `${rp}.tool`);
    const driver = tool ? object(tool.driver, 'toolComponent', `${rp}.tool.driver`) : undefined;
    let ruleCount = 0;
    if (driver) {
      string(driver.name, `${rp}.tool.driver.name`);
      if ('informationUri' in driver) uriReference(driver.informationUri, `${rp}.tool.driver.informationUri`);
      const rules = 'rules' in driver ? array(driver.rules, `${rp}.tool.driver.rules`, true) : [];
      ruleCount = rules.length;
      rules.forEach((ruleJson, i) => {
        const p = `${rp}.tool.driver.rules[${i}]`;
        const rule = object(ruleJson, 'reportingDescriptor', p);
        if (!rule) return;
        string(rule.id, `${p}.id`);
        for (const key of ['shortDescription', 'fullDescription', 'help']) {
          if (key in rule) mfString(rule[key], `${p}.${key}`);
        }
        if ('defaultConfiguration' in rule) {
          const conf = object(rule.defaultConfiguration, 'reportingConfiguration', `${p}.defaultConfiguration`);
          if (conf && 'level' in conf) level(conf.level, `${p}.defaultConfiguration.level`);
        }
      });
    }
    const results = 'results' in run ? array(run.results, `${rp}.results`, false) : [];
    results.forEach((resultJson, i) => {
      const p = `${rp}.results[${i}]`;
      const result = object(resultJson, 'result', p);
      if (!result) return;
      if ('ruleId' in result) string(result.ruleId, `${p}.ruleId`);
      if ('ruleIndex' in result) {
        const idx = result.ruleIndex;
        if (!Number.isInteger(idx) || (idx as number) < -1) problems.push(`${p}.ruleIndex: must be an integer ≥ -1`);
        else if ((idx as number) >= ruleCount) problems.push(`${p}.ruleIndex: ${idx} is past the ${ruleCount} rules`);
      }
      if ('level' in result) level(result.level, `${p}.level`);
      const message = object(result.message, 'message', `${p}.message`);
      if (message && !('text' in message) && !('id' in message)) problems.push(`${p}.message: requires "text" or "id"`);
      if (message && 'text' in message) string(message.text, `${p}.message.text`);
      const locations = 'locations' in result ? array(result.locations, `${p}.locations`, true) : [];
      locations.forEach((locJson, l) => {
        const lp = `${p}.locations[${l}]`;
        const loc = object(locJson, 'location', lp);
        if (!loc) return;
        if ('physicalLocation' in loc) {
          const phys = object(loc.physicalLocation, 'physicalLocation', `${lp}.physicalLocation`);
          if (phys && !('address' in phys) && !('artifactLocation' in phys)) problems.push(`${lp}.physicalLocation: requires "address" or "artifactLocation"`);
          if (phys && 'artifactLocation' in phys) {
            const art = object(phys.artifactLocation, 'artifactLocation', `${lp}.physicalLocation.artifactLocation`);
            if (art && 'uri' in art) uriReference(art.uri, `${lp}.physicalLocation.artifactLocation.uri`);
          }
        }
        if ('logicalLocations' in loc) {
          array(loc.logicalLocations, `${lp}.logicalLocations`, true).forEach((llJson, k) => {
            const ll = object(llJson, 'logicalLocation', `${lp}.logicalLocations[${k}]`);
            if (!ll) return;
            for (const key of ['name', 'fullyQualifiedName', 'decoratedName', 'kind']) {
              if (key in ll) string(ll[key], `${lp}.logicalLocations[${k}].${key}`);
            }
          });
        }
      });
    });
  });
  return problems;
}
