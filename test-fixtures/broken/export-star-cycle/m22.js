export * from './m23';
export * from './m0';
