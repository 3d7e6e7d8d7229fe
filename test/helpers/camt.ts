// A generator of ISO 20022 bank-to-customer messages for the tests (issue 12): camt.054
// (notification) and camt.053 (statement), versions .001.04 and .001.08, with the credits a test
// asks for. Its .08 output is checked against ISO 20022's own XSDs in
// test/integration/bank-statement-import.test.ts.
export interface GenCredit {
  ref: string;
  amount: string;
  currency?: string;
  qrr?: string;
  scor?: string;
  text?: string;
  debtor?: string;
  debit?: boolean;
  valueOn?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function entry(c: GenCredit, version: '04' | '08', bookedOn: string): string {
  const ccy = c.currency ?? 'CHF';
  const ind = c.debit ? 'DBIT' : 'CRDT';
  const status = version === '08' ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>';
  const debtor = c.debtor
    ? version === '08'
      ? `<RltdPties><Dbtr><Pty><Nm>${esc(c.debtor)}</Nm></Pty></Dbtr></RltdPties>`
      : `<RltdPties><Dbtr><Nm>${esc(c.debtor)}</Nm></Dbtr></RltdPties>`
    : '';
  const strd = c.qrr
    ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>${c.qrr}</Ref></CdtrRefInf></Strd>`
    : c.scor
      ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${c.scor}</Ref></CdtrRefInf></Strd>`
      : '';
  const ustrd = c.text ? `<Ustrd>${esc(c.text)}</Ustrd>` : '';
  const rmt = strd || ustrd ? `<RmtInf>${ustrd}${strd}</RmtInf>` : '';
  return `<Ntry><Amt Ccy="${ccy}">${c.amount}</Amt><CdtDbtInd>${ind}</CdtDbtInd>${status}<BookgDt><Dt>${bookedOn}</Dt></BookgDt><ValDt><Dt>${c.valueOn ?? bookedOn}</Dt></ValDt><AcctSvcrRef>${c.ref}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><AcctSvcrRef>${c.ref}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy="${ccy}">${c.amount}</Amt><CdtDbtInd>${ind}</CdtDbtInd>${debtor}${rmt}</TxDtls></NtryDtls></Ntry>`;
}

export function camt(options: {
  kind: '053' | '054';
  version: '04' | '08';
  credits: GenCredit[];
  iban?: string;
  bookedOn?: string;
  messageId?: string;
}): string {
  const bookedOn = options.bookedOn ?? '2026-03-25';
  const iban = options.iban ?? 'CH4431999123000889012';
  const ns = `urn:iso:std:iso:20022:tech:xsd:camt.${options.kind}.001.${options.version}`;
  const head = `<GrpHdr><MsgId>${options.messageId ?? 'MSG-1'}</MsgId><CreDtTm>${bookedOn}T18:00:00</CreDtTm></GrpHdr>`;
  const entries = options.credits.map((c) => entry(c, options.version, bookedOn)).join('');
  const acct = `<Acct><Id><IBAN>${iban}</IBAN></Id></Acct>`;
  const body =
    options.kind === '054'
      ? `<BkToCstmrDbtCdtNtfctn>${head}<Ntfctn><Id>N-1</Id><CreDtTm>${bookedOn}T18:00:00</CreDtTm>${acct}${entries}</Ntfctn></BkToCstmrDbtCdtNtfctn>`
      : `<BkToCstmrStmt>${head}<Stmt><Id>S-1</Id><CreDtTm>${bookedOn}T18:00:00</CreDtTm>${acct}<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${bookedOn}</Dt></Dt></Bal>${entries}</Stmt></BkToCstmrStmt>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${ns}">${body}</Document>\n`;
}
