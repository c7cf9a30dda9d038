/**
 * The GovEmailChecks rules: one per file, each named from its file, each reporting the profile's
 * findings with its rule ids on the resource that holds the offending record.
 */
import DkimKeyLength from './DkimKeyLength';
import DkimKeySyntax from './DkimKeySyntax';
import DkimMissing from './DkimMissing';
import DmarcMissing from './DmarcMissing';
import DmarcPolicy from './DmarcPolicy';
import DmarcReporting from './DmarcReporting';
import DmarcSyntax from './DmarcSyntax';
import DuplicateRecordSet from './DuplicateRecordSet';
import MtaStsMaxAge from './MtaStsMaxAge';
import MtaStsMissing from './MtaStsMissing';
import MtaStsMode from './MtaStsMode';
import MtaStsPolicy from './MtaStsPolicy';
import MtaStsRecord from './MtaStsRecord';
import MxRecord from './MxRecord';
import NotEvaluated from './NotEvaluated';
import OtherFinding from './OtherFinding';
import ParkedDomain from './ParkedDomain';
import PolicyHostTls from './PolicyHostTls';
import SesTlsRequired from './SesTlsRequired';
import SpfAll from './SpfAll';
import SpfLookupLimit from './SpfLookupLimit';
import SpfMissing from './SpfMissing';
import SpfSingleRecord from './SpfSingleRecord';
import SpfSyntax from './SpfSyntax';
import TlsRptMissing from './TlsRptMissing';
import TlsRptRecord from './TlsRptRecord';
import TxtRecord from './TxtRecord';
import { GovEmailRule } from '../private/rule';

export {
  DkimKeyLength,
  DkimKeySyntax,
  DkimMissing,
  DmarcMissing,
  DmarcPolicy,
  DmarcReporting,
  DmarcSyntax,
  DuplicateRecordSet,
  MtaStsMaxAge,
  MtaStsMissing,
  MtaStsMode,
  MtaStsPolicy,
  MtaStsRecord,
  MxRecord,
  NotEvaluated,
  OtherFinding,
  ParkedDomain,
  PolicyHostTls,
  SesTlsRequired,
  SpfAll,
  SpfLookupLimit,
  SpfMissing,
  SpfSingleRecord,
  SpfSyntax,
  TlsRptMissing,
  TlsRptRecord,
  TxtRecord,
};

/** Every rule, in the order the pack applies them; the catch-all rule last. */
export const GOV_EMAIL_RULES: readonly GovEmailRule[] = [
  DmarcMissing,
  DmarcPolicy,
  DmarcReporting,
  DmarcSyntax,
  SpfMissing,
  SpfAll,
  SpfLookupLimit,
  SpfSingleRecord,
  SpfSyntax,
  ParkedDomain,
  MtaStsMissing,
  MtaStsRecord,
  MtaStsMode,
  MtaStsMaxAge,
  MtaStsPolicy,
  TlsRptMissing,
  TlsRptRecord,
  SesTlsRequired,
  DkimKeyLength,
  DkimMissing,
  DkimKeySyntax,
  PolicyHostTls,
  MxRecord,
  TxtRecord,
  DuplicateRecordSet,
  NotEvaluated,
  OtherFinding,
];
