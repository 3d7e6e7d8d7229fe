import { PreviewImport, previewImportFile, RunImport, runImport } from '../services/imports/imports.service';
import { mutation, query } from './method';

export const importsApi = {
  'imports.preview': query(
    PreviewImport,
    'Read a CSV: encoding, delimiter, suggested mapping, formats, first rows, every error',
    previewImportFile,
  ),
  'imports.run': mutation(
    RunImport,
    'Import a CSV (organizations, products, invoices as drafts): all or nothing, or only the valid rows',
    runImport,
  ),
};
