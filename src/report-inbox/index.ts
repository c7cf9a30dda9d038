export * from './report-inbox';
