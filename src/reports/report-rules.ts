import { REPORT_RULES } from '../standard/report-rules';

export { REPORT_RULES };
