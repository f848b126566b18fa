import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

/**
 * Compose's `monitoring` profile holds together: what it mounts exists,
 * Prometheus finds its rules and token where prometheus.yml says and
 * scrapes the server compose runs, and Grafana finds its dashboards where
 * the provisioning says, with the datasource uid the dashboards name. No
 * Docker engine here: the files are read as compose and the tools would.
 */
const infra = fileURLToPath(new URL('../../../infra/', import.meta.url));
const monitoring = join(infra, 'monitoring');

interface Service {
  profiles?: string[];
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

let services: Record<string, Service>;

const readYaml = async <T>(path: string) => parseYaml(await readFile(path, 'utf8')) as T;

/** A service's bind mounts as `container path → repository path` (named volumes left out). */
function mounts(service: Service): Map<string, string> {
  const binds = new Map<string, string>();
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source!.startsWith('.')) binds.set(target!, join(infra, source!));
  }
  return binds;
}

/** Where a path inside the container comes from in the repository, through the service's mounts. */
function hostPath(service: Service, containerPath: string): string | undefined {
  for (const [target, source] of mounts(service)) {
    if (containerPath === target) return source;
    if (containerPath.startsWith(`${target}/`))
      return join(source, containerPath.slice(target.length + 1));
  }
  return undefined;
}

beforeAll(async () => {
  services = (await readYaml<{ services: Record<string, Service> }>(join(infra, 'compose.yaml')))
    .services;
});

describe("compose's monitoring profile", () => {
  it('runs Prometheus and Grafana only when asked, and mounts files that exist', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = services[name]!;
      expect(service.profiles, name).toEqual(['monitoring']);
      expect(mounts(service).size, name).toBeGreaterThan(0);
      for (const source of mounts(service).values()) expect(existsSync(source), source).toBe(true);
    }
  });

  it('gives Prometheus its rules, and the token the server checks where prometheus.yml reads it', async () => {
    const prometheus = services.prometheus!;
    const command = [prometheus.command ?? []].flat().join(' ');
    const configPath = /--config\.file=(\S+)/.exec(command)?.[1];
    expect(configPath).toBe('/etc/prometheus/prometheus.yml');
    const config = await readYaml<{
      rule_files: string[];
      scrape_configs: Array<{
        authorization: { credentials_file: string };
        static_configs: Array<{ targets: string[] }>;
      }>;
    }>(hostPath(prometheus, configPath!)!);

    const configDir = posix.dirname(configPath!);
    for (const file of config.rule_files) {
      expect(existsSync(hostPath(prometheus, posix.join(configDir, file)) ?? ''), file).toBe(true);
    }
    const [scrape] = config.scrape_configs;
    // The token file is written at start from METRICS_TOKEN, the same variable the server reads.
    const tokenPath = posix.join(configDir, scrape!.authorization.credentials_file);
    expect(command).toContain(`"$$METRICS_TOKEN" > ${tokenPath}`);
    expect(prometheus.environment?.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');
    expect(services.server!.environment?.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');
    // It scrapes the server compose runs, on the port the server listens on.
    expect(scrape!.static_configs[0]!.targets).toEqual([
      `server:${services.server!.environment!.PORT}`,
    ]);
  });

  it("gives Grafana the provisioned datasource and dashboards, with the datasource's uid", async () => {
    const grafana = services.grafana!;
    const provisioning = hostPath(grafana, '/etc/grafana/provisioning')!;
    const [datasource] = (
      await readYaml<{ datasources: Array<{ uid: string; url: string }> }>(
        join(provisioning, 'datasources/prometheus.yml'),
      )
    ).datasources;
    const prometheusPort = services.prometheus!.ports![0]!.split(':')[1];
    expect(datasource!.url).toBe(`http://prometheus:${prometheusPort}`);

    const [provider] = (
      await readYaml<{ providers: Array<{ options: { path: string } }> }>(
        join(provisioning, 'dashboards/buybuy.yml'),
      )
    ).providers;
    const dashboards = hostPath(grafana, provider!.options.path)!;
    expect(dashboards).toBe(join(monitoring, 'grafana/dashboards'));
    const files = await readdir(dashboards);
    expect(files).toContain('buybuy-api.json');
    for (const file of files) {
      const text = await readFile(join(dashboards, file), 'utf8');
      const uids = new Set([...text.matchAll(/"uid": "([^"]+)"/g)].map((match) => match[1]));
      uids.delete((JSON.parse(text) as { uid: string }).uid);
      expect([...uids], file).toEqual([datasource!.uid]);
    }
  });
});
