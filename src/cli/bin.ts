/** The `gov-email` binary's entry point. */
import { cli } from './main';

cli();
