export * from './d';
export * as store from './store';
// A cycle of star exports ends.
export * from './a';
