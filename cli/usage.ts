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
  invoices list [--status S] [--from D] [--to D] [--org ID] [--overdue] [--json]
  vat check <number>… | -             validate EU VAT numbers / Swiss UIDs (- reads stdin)
  methods [--json]                    list every API method with its input schema
  call <method> ['<json input>']      invoke any API method, print the JSON result
  web [--port P]                      serve the app on 127.0.0.1 (prints the URL with its token)
  backup --out FILE                   copy the database safely while it is in use
  restore FILE                        replace the database with a backup (current file kept aside)

The database is --db FILE, else $KONTOR_DB, else the desktop app's own database.`;
