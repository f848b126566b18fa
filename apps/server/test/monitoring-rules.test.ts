import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The Prometheus rules in infra/monitoring, through Prometheus' own tool:
 * `promtool check` for syntax and PromQL, `promtool test rules` for the
 * unit tests of every alert (infra/monitoring/tests). promtool comes with
 * Debian's `prometheus` package, which .ci/run installs when it is missing.
 */
const monitoring = fileURLToPath(new URL('../../../infra/monitoring/', import.meta.url));
const run = promisify(execFile);

/** promtool's output, whatever its exit code; the code is checked by the caller. */
async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  return promtoolIn(monitoring, args);
}

async function promtoolIn(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') {
      throw new Error(
        'promtool is not installed: `apt-get install -y prometheus` (Debian) provides it; .ci/run installs it',
      );
    }
    return { code: Number(failed.code), output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  // One clear failure up front when the tool is missing, rather than one per test.
  await promtool('--version');
});

describe('Prometheus rules (promtool)', () => {
  it('are valid rule files with valid PromQL', async () => {
    const { code, output } = await promtool(
      'check',
      'rules',
      'rules/recording.yml',
      'rules/alerts.yml',
    );
    expect(output).toContain('SUCCESS');
    expect(code, output).toBe(0);
  });

  it('pass their unit tests: each alert fires when it should and not on a healthy shop', async () => {
    const { code, output } = await promtool('test', 'rules', 'tests/alerts.test.yml');
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS');
  });

  it('load from the Prometheus configuration compose runs', async () => {
    // As compose lays it out: the token file its command writes beside the configuration.
    const dir = await mkdtemp(join(tmpdir(), 'buybuy-prometheus-'));
    try {
      await cp(monitoring, dir, { recursive: true });
      await writeFile(join(dir, 'metrics-token'), 'a-token-of-sixteen-or-more');
      const { code, output } = await promtoolIn(dir, ['check', 'config', 'prometheus.yml']);
      expect(code, output).toBe(0);
      expect(output).toMatch(/SUCCESS: 2 rule files found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('would catch a broken rule (the check is not a formality)', async () => {
    const { code, output } = await promtool('check', 'rules', 'tests/broken-rule.yml');
    expect(code).not.toBe(0);
    expect(output).toMatch(/parse error|could not parse/i);
  });
});
