export * from './m21';
export * from './m22';
