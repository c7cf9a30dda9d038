/**
 * Options every record model's `validate`, `check` and `checkRecordSet` take. A model with
 * options of its own extends this (`SpfValidationOptions`, `MtaStsPolicyValidationOptions`).
 */
export interface RecordCheckOptions {
  /**
   * The DNS name the record is published at, for example `_dmarc.example.gov.uk`: the findings'
   * `path`, and with the record's type their `subject`.
   *
   * @default - findings carry no path and no subject
   */
  readonly name?: string;
}
