import { PreviewImport, previewImportFile, RunImport, runImport } from '../services/imports/imports.service';
import { mutation } from './method';

export const importsApi = {
  // A mutation by kind though nothing stays written: once the formats are settled the preview
  // is the dry run (rolled back), and the router gives a query a context that cannot write.
  'imports.preview': mutation(
    PreviewImport,
    'Read a CSV: encoding, delimiter, suggested mapping, formats, first rows, and every error the dry run finds (nothing is written)',
    previewImportFile,
  ),
  'imports.run': mutation(
    RunImport,
    'Import a CSV (organizations, products, invoices as drafts): all or nothing, or only the valid rows',
    runImport,
  ),
};
