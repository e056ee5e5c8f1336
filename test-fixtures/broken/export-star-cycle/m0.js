export * from './m1';
export * from './m2';
