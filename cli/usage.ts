export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage: kontor [--db FILE] [--locale en|fr|de] <command> [options]

  demo [--orgs N] [--invoices N] [--seed S]
                                      fill the database with realistic demo data
  orgs list [--json]                  list organizations
  orgs set ID [--siren N] [--siret N] [--leitweg-id ID] [--peppol-id 0208:…] [--bic B] [--iban I] [--qr-iban I]
       [--short-name S] [--operation goods|services|mixed] [--vat-on-debits yes|no] [--payment-means 58|30|48|49]
       [--einvoice-format factur_x|cii|ubl|xrechnung|pdf]
                                      e-invoice data of an organization (checked; an empty value clears)
  orgs unsplit-addresses              addresses whose street line could not be split into street and number
  invoices list [--status S] [--from D] [--to D] [--org ID] [--overdue] [--as ORG_ID] [--json]
  export invoices --format csv|xlsx --out FILE [--profile excel-fr|excel-ch|excel-de|excel-it|spreadsheet] [filters]
  export clients --partner ORG --history invoices|payments|cashback --from D --to D --format csv|xlsx --out FILE [--client ID …] [--profile P]
                                      a partner's managed clients' billing history (XLSX: one sheet per type, all by default)
  partner quote --partner ORG --product-kind web_hosting --quantity N [--payment client|partner] [--json]
        [--public-price AMOUNT --currency CHF|EUR --discount PCT --degressive PCT]
                                      public price, discount, degressive rate, price paid and cashback, per unit and in total
  renew --date D [--org ID] [--dry-run] [--drafts] [--json]
                                      the billing run: due renewals invoiced per payer (paid from the prepaid
                                      account where the payment profile allows); --dry-run shows, writes nothing
  reminders [--date D] [--level N] [--org ID] [--run] [--json]
                                      unpaid invoices due for their next reminder level (today by default), with
                                      what is still due and the fees; --run records them (once per invoice and level)
  reminders --pdf REMINDER_ID --out FILE [--locale-doc en|fr|de|it]
                                      one reminder as PDF with its Swiss QR-bill (what is due plus the fees)
  send <number|id> [--to ADDRESS …] [--issuer ORG_ID] [--json]
                                      e-mail an issued invoice or credit note with its PDF (and e-invoice) through
                                      the firm's SMTP server (password: KONTOR_SMTP_PASSWORD); exit 75: queued
  send --unsent [--org ID] [--from D] [--until D] [--dry-run] [--json]
                                      every issued document not yet sent (a billing run's invoices)
  send --reminder ID [--to ADDRESS …] a payment reminder with its PDF (reminders list --json shows the ids)
  send --statement ORG_ID [--to …]    an organization's statement of account (its open invoices) as a PDF
  send --retry                        deliver what waits in the outbox
  pdf <number|id> --out FILE [--issuer ORG_ID]
                                      one invoice as PDF (with its Swiss QR-bill when paid to a CH/LI IBAN);
                                      --issuer when several issuers hold that number
  einvoice <number|id> [--format factur-x|cii|ubl|xrechnung] --out FILE [--issuer ORG_ID]
                                      the e-invoice of an issued invoice or credit note (default: the customer's format)
  pack --out DIR|FILE.zip [filters]   every PDF, the CSV, the XLSX and a manifest
  --as ORG_ID                         (invoices list, export, pdf, pack) act as an organization:
                                      only what it may see (a partner: the invoices it pays)
  import organizations|products|invoices FILE [--dry-run] [--only-valid] [--delimiter ;] [--date-format dd.mm.yyyy]
                                      [--decimal ,] [--issuer ORG_ID] [--accept-vat-rates] [--accept-currencies]
                                      [--accept-duplicate-tax-ids]: each --accept-… keeps what a refusal names
  import einvoice FILE… [--org ORG_ID] [--json]
                                      suppliers' e-invoices (Factur-X PDF, CII, UBL/Peppol, XRechnung) as received
                                      documents: checked against EN 16931, duplicates recognized; --org: who received them
  import statement FILE [--dry-run] [--json]
                                      a camt.053 / camt.054 bank statement: credits matched to invoices by QRR/SCOR
                                      reference or number, the rest to prepaid or to reconcile (--dry-run: preview)
  export received --format csv|xlsx --out FILE [--profile P] [--org ID] [--from D] [--to D] [--status open|paid]
  vat check <number>… | -             validate EU VAT numbers / Swiss UIDs (- reads stdin)
  methods [--json]                    list every API method with its input schema
  call <method> ['<json input>'] [--out FILE|-]
                                     invoke any API method, print the JSON result
                                     (a stream method writes its file to --out)
  web [--port P] [--no-open]          serve the app on 127.0.0.1 (prints the link with its token;
                                      keeps its port between starts; opens the browser at a terminal)
  backup --out FILE                   copy the database safely while it is in use
  restore FILE                        replace the database with a backup (current file kept aside)
  sync --hub URL[,URL…] [--enroll CODE]
                                      enroll with a sync hub (once, with a code), then sync once;
                                      several URLs of one hub are tried in order (fail-over)
  sync status [--json]                last sync, pending and refused changes, last error
  hub serve [--port 8787] [--host 127.0.0.1] [--data DIR | --postgres URL] [--admin-token-file F]
            [--max-pushes 32]         pushes let in at once ($KONTOR_HUB_MAX_PUSHES); more: 429 + Retry-After
            [--retention-days 90]     history older than this folds into the current state
                                      ($KONTOR_HUB_RETENTION_DAYS); a device behind it gets a snapshot
                                      run the sync hub (embedded store, or PostgreSQL)
  hub user add NAME [--firm administrator|accountant | --person PERSON_ID] | user list
  hub link USER ORG | unlink USER ORG | enroll-code USER [--ttl MIN (1–129600)]
  hub revoke DEVICE | devices | numbering ORG device|at_sync
  hub compact [--retention-days 90]  fold the history older than the window now (serve does it hourly)
                                      hub administration (same --data / --postgres)

The database is --db FILE, else $KONTOR_DB, else the desktop app's own database.
The hub's store is --postgres URL, else $KONTOR_HUB_DATABASE_URL, else --data DIR, else
$KONTOR_HUB_DATA, else a hub/ folder beside the app's database; admin token: --admin-token-file FILE or $KONTOR_HUB_ADMIN_TOKEN (never on the command line).`;

/** A call the router refused: `message` is already translated in the caller's language. */
export class CliApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
