import { readStatement } from '#core/import/bank/camt';
import { camt } from '../helpers/camt';
const credits = Array.from({ length: 10000 }, (_, i) => i < 5500 ? { ref: `B${i}`, amount: '12.30', scor: 'RF18539007547034' } : { ref: `B${i}`, amount: '12.30', text: `Virement ${i}` });
const bytes = Buffer.from(camt({ kind: '054', version: '08', credits }));
for (let r = 0; r < 5; r++) { const c0 = process.cpuUsage(); readStatement(bytes, 'x.xml'); const u = process.cpuUsage(c0); console.log('readStatement cpu', (u.user + u.system) / 1e6); }
