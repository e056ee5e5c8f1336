export * from './m7';
export * from './m8';
