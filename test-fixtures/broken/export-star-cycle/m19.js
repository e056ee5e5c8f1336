export * from './m20';
export * from './m21';
