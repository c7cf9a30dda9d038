import { defineCatchAllRule } from '../private/rule';

/**
 * Any other finding of the profile: every rule id no other rule reports (for example one the
 * profile adds before a rule file is written for it) is still reported, under its own id.
 */
export default defineCatchAllRule(__filename);
