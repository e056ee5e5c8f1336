export * from './m22';
export * from './m23';
