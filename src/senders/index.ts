export * from './sender';
export * from './sender-set';
