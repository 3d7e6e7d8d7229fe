// The official CEN EN 16931 rules (../shared/validators/en16931, validation artefacts 1.3.16),
// run on many files at once: one xmllint schema pass per syntax and one Saxon run per syntax
// over a folder (the stylesheet compiles once; a JVM per file would take minutes). The verdict
// is the validate script's: a failed assert flagged fatal (or unflagged) refuses the file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const VALIDATORS = path.resolve(process.cwd(), '..', 'shared', 'validators', 'en16931');
const FALLBACK = '/work/shared/validators/en16931';

export function validatorsDir(): string {
  return fs.existsSync(VALIDATORS) ? VALIDATORS : FALLBACK;
}

const SAXON = '/usr/share/java/Saxon-HE.jar';

export interface Verdict {
  file: string;
  valid: boolean;
  /** Rule ids of the failed fatal asserts, or 'schema'. */
  rules: string[];
  messages: string[];
}

function syntaxOf(xml: string): 'cii' | 'ubl-invoice' | 'ubl-credit' | null {
  const head = xml.slice(0, 2000);
  if (/<(\w+:)?CrossIndustryInvoice[\s>]/.test(head)) return 'cii';
  if (/<(\w+:)?Invoice[\s>]/.test(head)) return 'ubl-invoice';
  if (/<(\w+:)?CreditNote[\s>]/.test(head)) return 'ubl-credit';
  return null;
}

/** Validates every file (CII or UBL); one schema pass and one Saxon run per syntax. */
export function validateEn16931(files: string[], workDir: string): Verdict[] {
  const dir = validatorsDir();
  const groups = new Map<string, string[]>();
  const verdicts = new Map<string, Verdict>();
  for (const file of files) {
    const kind = syntaxOf(fs.readFileSync(file, 'utf8'));
    if (!kind) {
      verdicts.set(file, { file, valid: false, rules: ['syntax'], messages: ['not CII or UBL'] });
      continue;
    }
    groups.set(kind, [...(groups.get(kind) ?? []), file]);
  }
  const xsd = {
    cii: path.join(dir, 'cii/schema/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd'),
    'ubl-invoice': path.join(dir, 'ubl/schema/maindoc/UBL-Invoice-2.1.xsd'),
    'ubl-credit': path.join(dir, 'ubl/schema/maindoc/UBL-CreditNote-2.1.xsd'),
  };
  const xsl = {
    cii: path.join(dir, 'cii/EN16931-CII-validation.xslt'),
    ubl: path.join(dir, 'ubl/EN16931-UBL-validation.xslt'),
  };
  const bySyntax = new Map<'cii' | 'ubl', string[]>();
  for (const [kind, group] of groups) {
    let out = '';
    try {
      execFileSync('xmllint', ['--noout', '--schema', xsd[kind as keyof typeof xsd], ...group], {
        stdio: 'pipe',
      });
    } catch (error) {
      out = String((error as { stderr?: Buffer }).stderr ?? '');
    }
    for (const file of group) {
      const problems = out.split('\n').filter((l) => l.startsWith(`${file}:`) && !l.includes('validates'));
      if (problems.length)
        verdicts.set(file, { file, valid: false, rules: ['schema'], messages: problems.slice(0, 3) });
      else {
        const syntax = kind === 'cii' ? 'cii' : 'ubl';
        bySyntax.set(syntax, [...(bySyntax.get(syntax) ?? []), file]);
      }
    }
  }
  for (const [syntax, group] of bySyntax) {
    const inDir = path.join(workDir, `${syntax}-in`);
    const outDir = path.join(workDir, `${syntax}-svrl`);
    fs.rmSync(inDir, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(inDir, { recursive: true });
    fs.mkdirSync(outDir, { recursive: true });
    const names = group.map((file, i) => {
      const name = `${String(i).padStart(5, '0')}.xml`;
      fs.copyFileSync(file, path.join(inDir, name));
      return name;
    });
    execFileSync('java', ['-jar', SAXON, `-s:${inDir}`, `-xsl:${xsl[syntax]}`, `-o:${outDir}`], {
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
    group.forEach((file, i) => {
      const svrl = fs.readFileSync(path.join(outDir, names[i] as string), 'utf8');
      const rules: string[] = [];
      const messages: string[] = [];
      for (const m of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
        const attrs = m[1] ?? '';
        const flag = /flag="([^"]*)"/.exec(attrs)?.[1];
        if (flag && flag !== 'fatal') continue;
        rules.push(/id="([^"]*)"/.exec(attrs)?.[1] ?? '?');
        messages.push(
          (/<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(m[2] ?? '')?.[1] ?? '').trim().slice(0, 200),
        );
      }
      verdicts.set(file, { file, valid: rules.length === 0, rules: [...new Set(rules)], messages });
    });
  }
  return files.map((f) => verdicts.get(f) as Verdict);
}
