export * from './report-inbox';
export { ReportAuthorisationLayout } from './authorisations';
export { ReportType } from './monitoring';
