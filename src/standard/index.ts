export * from './posture';
export * from './profile';
export * from './rule-catalogue';
