import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ConfigError, envSchema, loadConfig } from '@buybuy/config';
import { parseSearchEngineUrl, shardIndexes } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { buildApp } from '@buybuy/server';
import * as models from 'kubernetes-models';
import type { IContainer, IPersistentVolumeClaim, IPodSpec } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import {
  k8sDir,
  type KubeObject,
  overlayKustomization,
  overlayNames,
  renderOverlays,
} from './render';

/**
 * infra/k8s rendered by the real kustomize, every object checked against the
 * Kubernetes API's schemas (kubernetes-models), then the invariants a schema
 * cannot see: probes on the server's real routes, the environment the server
 * and worker refuse to start without, non-root read-only containers with
 * resources, and one release tag shared by the api and its migration Job;
 * and the search engine an overlay opts into (components/search).
 */
const overlays = await overlayNames();
const searchComponent = '../../components/search';
/** The overlays whose kustomization lists the search engine's component. */
const searchOverlays: string[] = [];
for (const overlay of overlays)
  if ((await overlayKustomization(overlay)).components?.includes(searchComponent))
    searchOverlays.push(overlay);
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

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'Job']);

/** The pod templates of the Deployments, StatefulSets and Jobs. */
function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => workloadKinds.has(object.kind))
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

/** Whether a workload's pod template carries every label of a selector. */
function templateMatches(workload: KubeObject, selector: Record<string, string>): boolean {
  const labels = (workload.spec as { template: { metadata: { labels?: Record<string, string> } } })
    .template.metadata.labels;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
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
    // Long-running pods: the Deployments' and the search engine's StatefulSet's.
    const servers = objects.filter(
      (object) => object.kind === 'Deployment' || object.kind === 'StatefulSet',
    );
    const podsMatching = (selector: Record<string, string>) =>
      servers.filter((server) => templateMatches(server, selector));

    for (const service of objects.filter((object) => object.kind === 'Service')) {
      const spec = service.spec as {
        selector: Record<string, string>;
        ports: { name: string; targetPort: string }[];
      };
      const [server] = podsMatching(spec.selector);
      expect(server, service.metadata.name).toBeDefined();
      const pod = (server!.spec as { template: { spec: IPodSpec } }).template.spec;
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

describe('the search engine (infra/k8s/components/search)', () => {
  const infraFile = (path: string) => join(k8sDir, '..', path);
  /** Each overlay rendered without the component: what opting out leaves. */
  let withoutSearch: Map<string, KubeObject[]>;

  beforeAll(async () => {
    withoutSearch = await renderOverlays((kustomization) => ({
      ...kustomization,
      components: (kustomization.components ?? []).filter((path) => path !== searchComponent),
    }));
  }, 60_000);

  /** What the component adds: named buybuy-search*, labelled component=search. */
  const searchObjects = (objects: KubeObject[]) =>
    objects.filter(
      (object) =>
        object.metadata.labels?.['app.kubernetes.io/component'] === 'search' ||
        object.metadata.name.startsWith('buybuy-search'),
    );

  interface SearchStatefulSet {
    replicas: number;
    serviceName: string;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: IPodSpec };
    volumeClaimTemplates: IPersistentVolumeClaim[];
  }

  /** The engine's StatefulSet, its container, and the manticore.conf that container reads. */
  function engine(objects: KubeObject[]) {
    const set = find(objects, 'StatefulSet', 'buybuy-search');
    const spec = set.spec as SearchStatefulSet;
    const container = spec.template.spec.containers.find(
      (candidate) => candidate.name === 'search',
    )!;
    const configMount = container.volumeMounts!.find(
      (mount) => mount.mountPath === '/etc/manticoresearch/manticore.conf',
    )!;
    const volume = spec.template.spec.volumes!.find(
      (candidate) => candidate.name === configMount.name,
    )!;
    const configMap = find(objects, 'ConfigMap', volume.configMap!.name!);
    const conf = (configMap.data as Record<string, string>)[configMount.subPath!]!;
    return { set, spec, container, conf };
  }

  it('is what production opts into (docs/deploy.md says which others do, and why)', () => {
    expect(searchOverlays).toContain('production');
  });

  it('runs a copy of infra/search/manticore.conf, byte for byte', async () => {
    const [source, copy] = await Promise.all([
      readFile(infraFile('search/manticore.conf')),
      readFile(join(k8sDir, 'components', 'search', 'manticore.conf')),
    ]);
    expect(
      copy.equals(source),
      'copy infra/search/manticore.conf to infra/k8s/components/search/manticore.conf',
    ).toBe(true);
  });

  it.each(overlays)(
    '%s renders the search engine exactly when its kustomization lists the component',
    (overlay) => {
      const objects = objectsOf(overlay);
      const names = (list: KubeObject[]) =>
        list.map((object) => `${object.kind}/${object.metadata.name}`).sort();
      if (searchOverlays.includes(overlay))
        expect(names(searchObjects(objects))).toEqual([
          expect.stringMatching(/^ConfigMap\/buybuy-search-config-\w+$/),
          'NetworkPolicy/buybuy-search',
          'Service/buybuy-search',
          'ServiceAccount/buybuy-search',
          'StatefulSet/buybuy-search',
        ]);
      else expect(names(searchObjects(objects))).toEqual([]);
      // All found by one selector (docs/deploy.md deletes them by it when opting out).
      for (const object of searchObjects(objects))
        expect(object.metadata.labels, names([object])[0]).toMatchObject({
          'app.kubernetes.io/component': 'search',
          'app.kubernetes.io/part-of': 'buybuy',
        });
      // The component adds those objects and the api's setting, nothing else.
      const withoutTheSetting = (object: KubeObject) => {
        if (object.kind !== 'Deployment' || object.metadata.name !== 'buybuy-api') return object;
        const copy = structuredClone(object);
        for (const container of (copy.spec as { template: { spec: IPodSpec } }).template.spec
          .containers) {
          container.env = container.env?.filter(({ name }) => name !== 'SEARCH_ENGINE_URL');
          if (container.env?.length === 0) delete container.env;
        }
        return copy;
      };
      expect(withoutSearch.get(overlay)).toEqual(
        objects.filter((object) => !searchObjects(objects).includes(object)).map(withoutTheSetting),
      );
    },
  );

  it.each(overlays)(
    '%s without the component: no search object, no SEARCH_ENGINE_URL',
    (overlay) => {
      const objects = withoutSearch.get(overlay)!;
      expect(searchObjects(objects)).toEqual([]);
      expect(objects.filter((object) => object.kind === 'StatefulSet')).toEqual([]);
      for (const { name, pod } of workloads(objects))
        for (const container of pod.containers)
          expect(
            containerEnvironment(objects, container),
            `${name} ${container.name}`,
          ).not.toHaveProperty('SEARCH_ENGINE_URL');
      const api = containerNamed(objects, 'Deployment', 'buybuy-api', 'api');
      expect(loadConfig(containerEnvironment(objects, api)).database.searchEngineUrl).toBe(
        undefined,
      );
    },
  );

  describe.each(searchOverlays)('in %s', (overlay) => {
    it('runs one pod of the version compose runs, on that configuration, its data on its volume', async () => {
      const objects = objectsOf(overlay);
      const { set, spec, container, conf } = engine(objects);
      // One: the feed writes each product to the one engine the URL names.
      expect(spec.replicas).toBe(1);
      expect(spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'buybuy-search' });
      expect(templateMatches(set, spec.selector.matchLabels)).toBe(true);

      const compose = parse(await readFile(infraFile('compose.yaml'), 'utf8')) as {
        services: Record<string, { image?: string }>;
      };
      expect(container.image).toBe(compose.services.search?.image);
      expect(container.image, 'a pinned version').toMatch(
        /^manticoresearch\/manticore:\d+\.\d+\.\d+$/,
      );

      // The ConfigMap holds the file as it is, mounted read-only where the image reads it.
      expect(conf).toBe(await readFile(infraFile('search/manticore.conf'), 'utf8'));

      // The root filesystem is read-only: everything searchd writes (the index,
      // its binlog, pid file and logs) is on the claim's volume, or, for a log
      // the container's searchd_* variables move, the container's output.
      const [claim] = spec.volumeClaimTemplates;
      expect(spec.volumeClaimTemplates).toHaveLength(1);
      expect(claim!.spec?.accessModes).toEqual(['ReadWriteOnce']);
      expect(claim!.spec?.resources?.requests?.storage).toBeDefined();
      const dataMount = container.volumeMounts!.find(
        (mount) => mount.name === claim!.metadata?.name,
      )!;
      expect(dataMount.mountPath).toBe('/var/lib/manticore');
      const variables = Object.fromEntries(
        (container.env ?? []).map((variable) => [variable.name, variable.value]),
      );
      const written = [
        ...conf.matchAll(/^\s*(path|binlog_path|log|query_log|pid_file)\s*=\s*(\S+)\s*$/gm),
      ].map(([, key, path]) => [
        key!,
        (key === 'path' ? undefined : variables[`searchd_${key}`]) ?? path!,
      ]);
      expect(new Set(written.map(([key]) => key))).toEqual(
        new Set(['path', 'binlog_path', 'log', 'query_log', 'pid_file']),
      );
      for (const [key, path] of written)
        expect(
          path === '/dev/stdout' || `${path}/`.startsWith(`${dataMount.mountPath}/`),
          `${key} = ${path}`,
        ).toBe(true);
    });

    it("points the api's SEARCH_ENGINE_URL at the Service and the port searchd listens on, and the server accepts it", () => {
      const objects = objectsOf(overlay);
      const api = containerNamed(objects, 'Deployment', 'buybuy-api', 'api');
      const env = containerEnvironment(objects, api);
      const url = env.SEARCH_ENGINE_URL!;
      expect(envSchema.shape.SEARCH_ENGINE_URL.safeParse(url).success, url).toBe(true);
      expect(loadConfig(env).database.searchEngineUrl).toBe(url);

      const address = parseSearchEngineUrl(url);
      const { spec, container, conf } = engine(objects);
      // The host: the StatefulSet's governing Service, by its name in the api's namespace.
      const service = find(objects, 'Service', spec.serviceName);
      const [host, namespace] = address.host.split('.');
      expect(host).toBe(service.metadata.name);
      if (namespace !== undefined) expect(namespace).toBe(service.metadata.namespace);
      const serviceSpec = service.spec as {
        clusterIP?: string;
        selector: Record<string, string>;
        ports: { port: number; targetPort: string | number }[];
      };
      expect(serviceSpec.selector).toEqual(spec.selector.matchLabels);
      // Headless: the name resolves to the pod, so the port is the container's own.
      expect(serviceSpec.clusterIP).toBe('None');
      const servicePort = serviceSpec.ports.find((port) => port.port === address.port);
      expect(servicePort, `${url}: no such port on ${service.metadata.name}`).toBeDefined();
      const containerPort = container.ports!.find(
        (port) =>
          port.name === servicePort!.targetPort || port.containerPort === servicePort!.targetPort,
      );
      expect(containerPort?.containerPort).toBe(address.port);
      // ...where manticore.conf listens for SphinxQL on every interface, not only the pod's own.
      expect(conf).toMatch(
        new RegExp(`^\\s*listen\\s*=\\s*(0\\.0\\.0\\.0:)?${address.port}:mysql41\\s*$`, 'm'),
      );
      // The index: each real-time index the server checks for at start (SHOW TABLES).
      for (const part of shardIndexes(address))
        expect(conf, part).toMatch(
          new RegExp(`^index ${part}\\s*\\{\\s*type\\s*=\\s*rt\\s*$`, 'm'),
        );
    });

    it("lets only the api's pods reach the port", () => {
      const objects = objectsOf(overlay);
      const { container } = engine(objects);
      const policy = find(objects, 'NetworkPolicy', 'buybuy-search').spec as {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: {
          from: { podSelector?: { matchLabels: Record<string, string> } }[];
          ports: { port: string | number }[];
        }[];
      };
      const admitted = (selector: Record<string, string>) =>
        objects
          .filter((object) => workloadKinds.has(object.kind))
          .filter((object) => templateMatches(object, selector))
          .map((object) => `${object.kind}/${object.metadata.name}`);
      expect(admitted(policy.podSelector.matchLabels)).toEqual(['StatefulSet/buybuy-search']);
      expect(policy.policyTypes).toContain('Ingress');
      expect(policy.ingress).toHaveLength(1);
      const [rule] = policy.ingress;
      expect(rule!.from.flatMap((peer) => admitted(peer.podSelector?.matchLabels ?? {}))).toEqual([
        'Deployment/buybuy-api',
      ]);
      // Every peer names pods (no namespace or address block opens it wider).
      for (const peer of rule!.from) expect(Object.keys(peer)).toEqual(['podSelector']);
      const [sphinxql] = container.ports!;
      expect(rule!.ports.map((port) => port.port)).toEqual([
        expect.toSatisfy((port) => port === sphinxql!.name || port === sphinxql!.containerPort),
      ]);
    });
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
