import base from '@buybuy/eslint-config';

export default base;
