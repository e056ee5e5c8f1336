export * from './m8';
export * from './m9';
