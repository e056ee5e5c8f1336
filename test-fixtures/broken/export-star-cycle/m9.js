export * from './m10';
export * from './m11';
