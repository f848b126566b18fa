import { vitestPreset } from '@buybuy/vitest-config';

export default vitestPreset('infra');
