export * from './m3';
export * from './m4';
