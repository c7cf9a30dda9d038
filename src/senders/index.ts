export * from './sender';
export * from './catalogue';
