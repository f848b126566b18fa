export * from './api-keys';
export * from './auth';
export * from './catalog';
export * from './selling';
export * from './users';
