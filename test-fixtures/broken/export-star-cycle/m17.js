export * from './m18';
export * from './m19';
