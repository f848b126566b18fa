import type { UserConfig } from 'vitest/config';

export declare function vitestPreset(name: string): UserConfig;
