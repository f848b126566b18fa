import { ConfigError, envSchema, loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { buildApp } from '@buybuy/server';
import * as models from 'kubernetes-models';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type KubeObject, overlayNames, renderOverlays } from './render';

/**
 * infra/k8s rendered by the real kustomize, every object checked against the
 * Kubernetes API's schemas (kubernetes-models), then the invariants a schema
 * cannot see: probes on the server's real routes, the environment the server
 * and worker refuse to start without, non-root read-only containers with
 * resources, and one release tag shared by the api and its migration Job.
 */
const overlays = await overlayNames();
let rendered: Map<string, KubeObject[]>;

beforeAll(async () => {
  rendered = await renderOverlays();
}, 60_000);

const objectsOf = (overlay: string) => rendered.get(overlay)!;

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in the render`);
  return found;
}

/** kubernetes-models' class for an apiVersion and kind: `apps/v1` → models.apps.v1. */
function modelFor(object: KubeObject): new (data: unknown) => { validate(): void } {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  // 'networking.k8s.io' → 'networkingK8sIo'; the core group is the package's `v1`.
  const groupKey = group!
    .split('.')
    .map((part, index) => (index === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('');
  const groups = models as unknown as Record<string, Record<string, Record<string, unknown>>>;
  const versions = group === '' ? { [version!]: groups[version!] } : groups[groupKey];
  const model = versions?.[version!]?.[object.kind];
  if (typeof model !== 'function')
    throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return model as new (data: unknown) => { validate(): void };
}

interface Workload {
  name: string;
  pod: IPodSpec;
}

/** The pod templates of the Deployments and Jobs. */
function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => {
      const spec = object.spec as { template: { spec: IPodSpec } };
      return { name: `${object.kind}/${object.metadata.name}`, pod: spec.template.spec };
    });
}

function containerNamed(objects: KubeObject[], kind: string, name: string, container: string) {
  const { pod } = workloads(objects).find((workload) => workload.name === `${kind}/${name}`)!;
  return pod.containers.find((candidate) => candidate.name === container)!;
}

/** What the container's process sees in process.env: envFrom in order, then env ($(VAR) expanded). */
function containerEnvironment(
  objects: KubeObject[],
  container: IContainer,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const configMap = find(objects, 'ConfigMap', source.configMapRef.name!);
      Object.assign(env, configMap.data);
    }
    if (source.secretRef) {
      const secret = find(objects, 'Secret', source.secretRef.name!);
      for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>))
        env[key] = Buffer.from(value, 'base64').toString('utf8');
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value === undefined)
      throw new Error(`${variable.name}: valueFrom is not read by this test yet`);
    env[variable.name] = variable.value.replace(
      /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (whole, name: string) => env[name] ?? whole,
    );
  }
  return env;
}

const without = (env: Record<string, string>, key: string) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => name !== key));

/** The keys whose schema accepts no absence (no default, not optional): derived, not listed. */
const schemaRequiredKeys = Object.entries(envSchema.shape)
  .filter(([, schema]) => !schema.safeParse(undefined).success)
  .map(([key]) => key);

describe.each(overlays)('overlay %s', (overlay) => {
  it('renders objects that are valid against the Kubernetes API schemas', () => {
    const objects = objectsOf(overlay);
    expect(objects.map((object) => object.kind).sort()).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Job',
        'PodDisruptionBudget',
        'Secret',
        'Service',
      ]),
    );
    for (const object of objects) {
      const Model = modelFor(object);
      expect(
        () => new Model(object).validate(),
        `${object.kind}/${object.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('runs every container as non-root on a read-only filesystem, with requests and limits', () => {
    const objects = objectsOf(overlay);
    expect(workloads(objects).length).toBeGreaterThanOrEqual(4);
    for (const { name, pod } of workloads(objects)) {
      for (const container of pod.containers) {
        const where = `${name} ${container.name}`;
        const runAsNonRoot =
          container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
        expect(runAsNonRoot, where).toBe(true);
        expect(user, where).toBeGreaterThan(0);
        expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(container.securityContext?.capabilities?.drop, where).toContain('ALL');
        for (const bound of ['requests', 'limits'] as const)
          expect(
            Object.keys(container.resources?.[bound] ?? {}).sort(),
            `${where} ${bound}`,
          ).toEqual(['cpu', 'memory']);
        // A read-only root still needs somewhere to write temporary files.
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        expect(
          pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir,
          where,
        ).toBeDefined();
      }
    }
  });

  it('migrates with the api image of the same release, before the api, as the worker and web images', () => {
    const objects = objectsOf(overlay);
    const api = containerNamed(objects, 'Deployment', 'buybuy-api', 'api');
    const migrate = containerNamed(objects, 'Job', 'buybuy-migrate', 'migrate');
    expect(migrate.image).toBe(api.image);
    expect(migrate.command).toEqual(['node', 'dist/migrate.js']);
    const tag = (image: string | undefined) => image?.split(':').at(-1);
    expect(tag(api.image)).toMatch(/^[\w][\w.-]{0,127}$/);
    for (const [kind, name, container] of [
      ['Deployment', 'buybuy-worker', 'worker'],
      ['Deployment', 'buybuy-web', 'web'],
    ] as const)
      expect(tag(containerNamed(objects, kind, name, container).image), name).toBe(tag(api.image));
  });

  it.each([
    ['Deployment', 'buybuy-api', 'api'],
    ['Deployment', 'buybuy-worker', 'worker'],
    ['Job', 'buybuy-migrate', 'migrate'],
  ] as const)(
    'gives %s/%s every setting the server requires in production',
    (kind, name, containerName) => {
      const objects = objectsOf(overlay);
      const env = containerEnvironment(objects, containerNamed(objects, kind, name, containerName));
      // Only names packages/config reads: a misspelt one would be silently ignored.
      const expanded = new Set(
        Object.values(env).flatMap((value) =>
          [...value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((match) => match[1]),
        ),
      );
      for (const key of Object.keys(env))
        expect(key in envSchema.shape || expanded.has(key), `${key} is not a BuyBuy setting`).toBe(
          true,
        );
      for (const key of schemaRequiredKeys) expect(env, key).toHaveProperty(key);

      // loadConfig applies the schema and the production rules (secrets set, S3 complete, ...).
      const config = loadConfig(env);
      expect(config.env).toBe('production');
      // Pods are many and their disks read-only and short-lived: shared state lives elsewhere.
      expect(config.storage.driver).toBe('s3');
      expect(config.redisClusterNodes.length > 0 || config.redisUrl !== undefined).toBe(true);
      expect(config.database.replicaUrls.length).toBeGreaterThan(0);
      expect(config.metrics.enabled && config.metrics.token !== undefined).toBe(true);
      // The same check refuses an environment without the secrets (it is not vacuous).
      for (const secret of ['JWT_SECRET', 'DATABASE_URL'])
        expect(() => loadConfig(without(env, secret)), secret).toThrow(ConfigError);
    },
  );

  it('labels the objects rollout.sh applies before the workloads: settings, then the Job', () => {
    const objects = objectsOf(overlay);
    const selected = (component: string) =>
      objects
        .filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === component)
        .map((object) => object.kind)
        .sort();
    expect(selected('config')).toEqual(['ConfigMap', 'Namespace', 'Secret', 'ServiceAccount']);
    expect(selected('migrate')).toEqual(['Job']);
  });

  it("points the api's probes at the port the server listens on", () => {
    const objects = objectsOf(overlay);
    const api = containerNamed(objects, 'Deployment', 'buybuy-api', 'api');
    const { port } = loadConfig(containerEnvironment(objects, api));
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) {
      const named = api.ports?.find((candidate) => candidate.name === probe?.httpGet?.port);
      expect(named?.containerPort).toBe(port);
    }
  });

  it('wires Services, the Ingress, the autoscaler and the disruption budgets to what exists', () => {
    const objects = objectsOf(overlay);
    const deployments = objects.filter((object) => object.kind === 'Deployment');
    const podsMatching = (selector: Record<string, string>) =>
      deployments.filter((deployment) => {
        const labels = (
          deployment.spec as { template: { metadata: { labels: Record<string, string> } } }
        ).template.metadata.labels;
        return Object.entries(selector).every(([key, value]) => labels[key] === value);
      });

    for (const service of objects.filter((object) => object.kind === 'Service')) {
      const spec = service.spec as {
        selector: Record<string, string>;
        ports: { name: string; targetPort: string }[];
      };
      const [deployment] = podsMatching(spec.selector);
      expect(deployment, service.metadata.name).toBeDefined();
      const pod = (deployment!.spec as { template: { spec: IPodSpec } }).template.spec;
      const portNames = pod.containers.flatMap(
        (container) => container.ports?.map((port) => port.name) ?? [],
      );
      for (const port of spec.ports)
        expect(portNames, service.metadata.name).toContain(port.targetPort);
    }
    for (const budget of objects.filter((object) => object.kind === 'PodDisruptionBudget')) {
      const { selector } = budget.spec as { selector: { matchLabels: Record<string, string> } };
      expect(podsMatching(selector.matchLabels), budget.metadata.name).toHaveLength(1);
    }
    const autoscaler = find(objects, 'HorizontalPodAutoscaler', 'buybuy-api').spec as {
      scaleTargetRef: { kind: string; name: string };
      minReplicas: number;
    };
    expect(
      find(objects, autoscaler.scaleTargetRef.kind, autoscaler.scaleTargetRef.name),
    ).toBeDefined();
    expect(autoscaler.minReplicas).toBeGreaterThanOrEqual(2);

    const ingress = find(objects, 'Ingress', 'buybuy').spec as {
      tls: { hosts: string[] }[];
      rules: {
        host: string;
        http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
      }[];
    };
    for (const rule of ingress.rules) {
      expect(
        ingress.tls.flatMap((entry) => entry.hosts),
        'a host without TLS',
      ).toContain(rule.host);
      for (const { backend } of rule.http.paths) {
        const service = find(objects, 'Service', backend.service.name).spec as {
          ports: { name: string }[];
        };
        expect(service.ports.map((port) => port.name)).toContain(backend.service.port.name);
      }
    }
  });
});

describe("the api's probes on the real server", () => {
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let databaseUp = true;

  beforeAll(async () => {
    db = await createTestDatabase();
    const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false' });
    app = await buildApp({
      config: { ...base, database: { ...base.database, url: db.url } },
      db: db.db,
      logger: false,
      pingDatabase: () =>
        databaseUp ? db.pool.query('SELECT 1') : Promise.reject(new Error('down')),
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it.each(overlays)(
    '%s: liveness answers while the database is down; readiness does not',
    async (overlay) => {
      const api = containerNamed(objectsOf(overlay), 'Deployment', 'buybuy-api', 'api');
      const get = async (path: string | undefined) =>
        (await app.inject({ method: 'GET', url: path! })).statusCode;
      const live = [api.startupProbe?.httpGet?.path, api.livenessProbe?.httpGet?.path];
      const ready = api.readinessProbe?.httpGet?.path;

      databaseUp = true;
      for (const path of [...live, ready]) expect(await get(path), path).toBe(200);
      // A database outage takes pods out of the Service, never restarts them.
      databaseUp = false;
      for (const path of live) expect(await get(path), path).toBe(200);
      expect(await get(ready), ready).toBe(503);
    },
  );
});
