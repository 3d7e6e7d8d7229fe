// A process that loads the invoice module and nothing of the ledger service or the router:
// it issues a credit note for the invoice named on the command line and prints its id.
// Used by credit-note-refund-alone.test.ts.

import { createContext } from '#core/services/context';
import { createCreditNote } from '#core/services/invoices.service';
import { openStore } from '#db/open';

const [file, invoiceId, migrationsDir] = process.argv.slice(2);
if (!file || !invoiceId) throw new Error('usage: credit-note-alone <db file> <invoice id> [migrations dir]');
const store = openStore(file, { migrationsDir });
const note = createCreditNote(createContext(store), { invoiceId });
store.close();
process.stdout.write(`${JSON.stringify({ noteId: note.id })}\n`);
