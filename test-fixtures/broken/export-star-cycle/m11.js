export * from './m12';
export * from './m13';
