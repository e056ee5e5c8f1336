export * from './m11';
export * from './m12';
