import { vitestPreset } from '@buybuy/vitest-config';
import { defineConfig, mergeConfig } from 'vitest/config';

// A browser and a whole stack per file: generous timeouts, and one file at a
// time so two Chromiums never fight over the machine's two cores.
export default mergeConfig(
  vitestPreset('e2e'),
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } }),
);
