export * from './m2';
export * from './m3';
