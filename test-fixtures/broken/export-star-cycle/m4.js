export * from './m5';
export * from './m6';
