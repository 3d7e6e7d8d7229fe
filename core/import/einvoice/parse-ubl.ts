// UBL 2.1 Invoice and CreditNote (Peppol BIS Billing 3.0, XRechnung, CEN's own UBL binding)
// read into the received model: the exact mirror of core/export/einvoice/ubl.ts, plus what
// other writers add (document-level allowances and charges, rounding, a party name apart
// from its registration name, several payment means: the first is kept).
import type { ParsedDocument, ReceivedInvoice, ReceivedLine, ReceivedParty } from './received-model';
import { amountOf, type Breaches, dateOf, rateOf, scaledOf } from './values';
import { all, at, attrAt, textAt, type XmlNode, type XmlValue } from './xml-tree';

function party(outer: XmlValue | undefined): ReceivedParty {
  const p = at(outer, 'cac:Party');
  const legal = at(p, 'cac:PartyLegalEntity');
  const legalValue = textAt(legal, 'cbc:CompanyID');
  const vat = all(p, 'cac:PartyTaxScheme').find((t) => textAt(t, 'cac:TaxScheme', 'cbc:ID') === 'VAT');
  const endpoint = textAt(p, 'cbc:EndpointID');
  const address = at(p, 'cac:PostalAddress');
  return {
    name: textAt(legal, 'cbc:RegistrationName') ?? textAt(p, 'cac:PartyName', 'cbc:Name') ?? '',
    legalId: legalValue ? { value: legalValue, scheme: attrAt(legal, 'schemeID', 'cbc:CompanyID') } : null,
    vatId: vat ? textAt(vat, 'cbc:CompanyID') : null,
    endpoint: endpoint ? { value: endpoint, scheme: attrAt(p, 'schemeID', 'cbc:EndpointID') ?? '' } : null,
    address: {
      line1: textAt(address, 'cbc:StreetName'),
      line2: textAt(address, 'cbc:AdditionalStreetName'),
      city: textAt(address, 'cbc:CityName') ?? '',
      postalCode: textAt(address, 'cbc:PostalZone') ?? '',
      country: textAt(address, 'cac:Country', 'cbc:IdentificationCode') ?? '',
    },
    email: textAt(p, 'cac:Contact', 'cbc:ElectronicMail'),
  };
}

function line(item: XmlValue, credit: boolean, out: Breaches): ReceivedLine {
  const quantityTag = credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const allowances = all(item, 'cac:AllowanceCharge').filter(
    (a) => textAt(a, 'cbc:ChargeIndicator') === 'false',
  );
  const first = allowances[0];
  const category = at(item, 'cac:Item', 'cac:ClassifiedTaxCategory');
  return {
    id: textAt(item, 'cbc:ID') ?? '',
    name: textAt(item, 'cac:Item', 'cbc:Name') ?? '',
    quantityMilli: scaledOf(textAt(item, quantityTag), 3, 'BT-129', out) ?? Number.NaN,
    unitCode: attrAt(item, 'unitCode', quantityTag) ?? '',
    netMinor: amountOf(textAt(item, 'cbc:LineExtensionAmount'), 'BT-131', 'BR-DEC-23', out) ?? Number.NaN,
    priceMinor: scaledOf(textAt(item, 'cac:Price', 'cbc:PriceAmount'), 2, 'BT-146', out) ?? Number.NaN,
    allowance: first
      ? {
          amountMinor: allowances.reduce(
            (n, a) => n + (amountOf(textAt(a, 'cbc:Amount'), 'BT-136', 'BR-DEC-24', out) ?? 0),
            0,
          ),
          baseMinor: amountOf(textAt(first, 'cbc:BaseAmount'), 'BT-137', 'BR-DEC-25', out) ?? 0,
          percentBp: rateOf(textAt(first, 'cbc:MultiplierFactorNumeric'), 'BT-138', out) ?? 0,
        }
      : null,
    category: textAt(category, 'cbc:ID') ?? '',
    rateBp: rateOf(textAt(category, 'cbc:Percent'), 'BT-152', out) ?? 0,
  };
}

/** The model of a UBL document (`root` is Invoice's or CreditNote's content). */
export function parseUbl(root: XmlNode, credit: boolean, out: Breaches): ParsedDocument {
  const currency = textAt(root, 'cbc:DocumentCurrencyCode') ?? '';
  const totals = at(root, 'cac:LegalMonetaryTotal');
  const amount = (name: string, term: string, rule: string) =>
    amountOf(textAt(totals, name), term, rule, out);
  // BG-23 lives in the TaxTotal of the document's currency (another may be in the VAT accounting currency).
  const taxTotals = all(root, 'cac:TaxTotal');
  const taxTotal =
    taxTotals.find((t) => attrAt(t, 'currencyID', 'cbc:TaxAmount') === currency) ?? taxTotals[0];
  const means = at(root, 'cac:PaymentMeans');
  const account = at(means, 'cac:PayeeFinancialAccount');
  const preceding = at(root, 'cac:BillingReference', 'cac:InvoiceDocumentReference');
  const vatPoint = textAt(root, 'cac:InvoicePeriod', 'cbc:DescriptionCode');
  const allowance = amount('cbc:AllowanceTotalAmount', 'BT-107', 'BR-DEC-10');
  const charge = amount('cbc:ChargeTotalAmount', 'BT-108', 'BR-DEC-11');
  const rounding = amount('cbc:PayableRoundingAmount', 'BT-114', 'BR-DEC-17');
  const iban = textAt(account, 'cbc:ID');
  const invoice: ReceivedInvoice = {
    number: textAt(root, 'cbc:ID') ?? '',
    issueDate: dateOf(textAt(root, 'cbc:IssueDate'), null, 'BT-2', out) ?? '',
    typeCode: textAt(root, credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode') ?? '',
    currency: currency as ReceivedInvoice['currency'],
    vatPoint: vatPoint === '3' ? 'issue' : vatPoint === '432' ? 'payment' : null,
    dueDate: dateOf(textAt(root, 'cbc:DueDate'), null, 'BT-9', out),
    buyerReference: textAt(root, 'cbc:BuyerReference'),
    preceding: textAt(preceding, 'cbc:ID')
      ? {
          number: textAt(preceding, 'cbc:ID') ?? '',
          issueDate: dateOf(textAt(preceding, 'cbc:IssueDate'), null, 'BT-26', out) ?? '',
        }
      : null,
    notes: all(root, 'cbc:Note').flatMap((n) => textAt(n) ?? []),
    seller: party(at(root, 'cac:AccountingSupplierParty')),
    buyer: party(at(root, 'cac:AccountingCustomerParty')),
    delivery: {
      date: dateOf(textAt(root, 'cac:Delivery', 'cbc:ActualDeliveryDate'), null, 'BT-72', out),
      country: textAt(
        root,
        'cac:Delivery',
        'cac:DeliveryLocation',
        'cac:Address',
        'cac:Country',
        'cbc:IdentificationCode',
      ),
    },
    payment: means
      ? {
          code: textAt(means, 'cbc:PaymentMeansCode') ?? '',
          remittance: textAt(means, 'cbc:PaymentID'),
          iban,
          bic: iban ? textAt(account, 'cac:FinancialInstitutionBranch', 'cbc:ID') : null,
        }
      : null,
    paymentTerms: textAt(root, 'cac:PaymentTerms', 'cbc:Note'),
    lines: all(root, credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine').map((l) => line(l, credit, out)),
    vat: all(taxTotal, 'cac:TaxSubtotal').map((t) => {
      const category = at(t, 'cac:TaxCategory');
      return {
        category: textAt(category, 'cbc:ID') ?? '',
        rateBp: rateOf(textAt(category, 'cbc:Percent'), 'BT-119', out) ?? 0,
        taxableMinor: amountOf(textAt(t, 'cbc:TaxableAmount'), 'BT-116', 'BR-DEC-19', out) ?? 0,
        taxMinor: amountOf(textAt(t, 'cbc:TaxAmount'), 'BT-117', 'BR-DEC-20', out) ?? 0,
        exemptionReason: textAt(category, 'cbc:TaxExemptionReason'),
        exemptionCode: textAt(category, 'cbc:TaxExemptionReasonCode'),
      };
    }),
    totals: {
      lineNetMinor: amount('cbc:LineExtensionAmount', 'BT-106', 'BR-DEC-09') ?? Number.NaN,
      taxMinor: amountOf(textAt(taxTotal, 'cbc:TaxAmount'), 'BT-110', 'BR-DEC-13', out) ?? 0,
      grossMinor: amount('cbc:TaxInclusiveAmount', 'BT-112', 'BR-DEC-14') ?? Number.NaN,
      prepaidMinor: amount('cbc:PrepaidAmount', 'BT-113', 'BR-DEC-16') ?? 0,
      payableMinor: amount('cbc:PayableAmount', 'BT-115', 'BR-DEC-18') ?? Number.NaN,
      ...(allowance ? { allowanceMinor: allowance } : {}),
      ...(charge ? { chargeMinor: charge } : {}),
      ...(rounding ? { roundingMinor: rounding } : {}),
    },
  };
  return {
    invoice,
    specification: textAt(root, 'cbc:CustomizationID'),
    taxExclusiveMinor: amount('cbc:TaxExclusiveAmount', 'BT-109', 'BR-DEC-12'),
  };
}
