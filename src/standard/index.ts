export * from './posture';
export * from './profile';
export * from './catalogue';
