import { IConstruct } from 'constructs';
import { invalidInput } from './annotations';
import { SpfIncludeCost } from '../../records/spf';
import { includeCostProblems } from '../../senders/private/problems';
import { Sender } from '../../senders/sender';

/**
 * Report the first problem of the senders' options, naming the construct that received them.
 * The sender factories cannot know a construct path, so they record problems and every
 * construct that takes a `Sender` calls this before it builds anything.
 */
export function checkSenders(scope: IConstruct, senders: Sender[], prop = 'senders'): void {
  senders.forEach((sender, i) => {
    const problem = (sender._problems ?? [])[0];
    if (problem !== undefined) {
      throw invalidInput(scope, problem.ruleId, problem.value, `${problem.allowed} (${prop}[${i}]${sender.name ? `, ${sender.name}` : ''})`, problem.what);
    }
  });
}

/** Lookup costs given with a construct's own includes (`additionalIncludeCosts`): whole numbers, 0 or more. */
export function checkIncludeCosts(scope: IConstruct, costs: SpfIncludeCost[], prop: string): void {
  const problem = includeCostProblems(costs, prop)[0];
  if (problem !== undefined) {
    throw invalidInput(scope, problem.ruleId, problem.value, problem.allowed, problem.what);
  }
}
