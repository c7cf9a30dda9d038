import { ASSEMBLY_RULES } from '../../assembly/domains';
import { defineRule } from '../private/rule';

/**
 * A hosted zone holds one record set per name and type.
 *
 * Two or more record sets (in any stacks of the app) with the same name and type in one zone: all but
 * one fail to deploy. Reported on each of them.
 */
export default defineRule(__filename, [
  ASSEMBLY_RULES.duplicateRecordSet,
]);
