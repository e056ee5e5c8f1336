export * from './m9';
export * from './m10';
