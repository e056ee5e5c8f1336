export * from './m4';
export * from './m5';
