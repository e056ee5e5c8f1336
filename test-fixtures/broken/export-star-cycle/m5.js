export * from './m6';
export * from './m7';
