// CII D16B (Factur-X / ZUGFeRD, profiles EN 16931 and up) read into the received model: the
// exact mirror of core/export/einvoice/cii.ts, plus what other writers add (document-level
// allowances and charges, rounding, a price basis, several payment means: the first is kept).
import type {
  ParsedDocument,
  ReceivedInvoice,
  ReceivedLine,
  ReceivedParty,
  ReceivedVat,
} from './received-model';
import { amountOf, type Breaches, dateOf, rateOf, scaledOf } from './values';
import { all, at, attrAt, textAt, type XmlNode, type XmlValue } from './xml-tree';

function party(p: XmlValue | undefined): ReceivedParty {
  const legal = at(p, 'ram:SpecifiedLegalOrganization');
  const legalValue = textAt(legal, 'ram:ID');
  const endpointValue = textAt(p, 'ram:URIUniversalCommunication', 'ram:URIID');
  const tax = all(p, 'ram:SpecifiedTaxRegistration');
  const vat = tax.find((t) => attrAt(t, 'schemeID', 'ram:ID') === 'VA');
  const address = at(p, 'ram:PostalTradeAddress');
  return {
    name: textAt(p, 'ram:Name') ?? '',
    legalId: legalValue ? { value: legalValue, scheme: attrAt(legal, 'schemeID', 'ram:ID') } : null,
    vatId: vat ? textAt(vat, 'ram:ID') : null,
    endpoint: endpointValue
      ? {
          value: endpointValue,
          scheme: attrAt(p, 'schemeID', 'ram:URIUniversalCommunication', 'ram:URIID') ?? '',
        }
      : null,
    address: {
      line1: textAt(address, 'ram:LineOne'),
      line2: textAt(address, 'ram:LineTwo'),
      city: textAt(address, 'ram:CityName') ?? '',
      postalCode: textAt(address, 'ram:PostcodeCode') ?? '',
      country: textAt(address, 'ram:CountryID') ?? '',
    },
    email: textAt(p, 'ram:DefinedTradeContact', 'ram:EmailURIUniversalCommunication', 'ram:URIID'),
  };
}

const dateTime = (node: XmlValue | undefined, term: string, out: Breaches, tag = 'udt:DateTimeString') =>
  dateOf(textAt(node, tag), attrAt(node, 'format', tag), term, out);

function line(item: XmlValue, out: Breaches): ReceivedLine {
  const settlement = at(item, 'ram:SpecifiedLineTradeSettlement');
  const tax = at(settlement, 'ram:ApplicableTradeTax');
  const allowances = all(settlement, 'ram:SpecifiedTradeAllowanceCharge').filter(
    (a) => textAt(a, 'ram:ChargeIndicator', 'udt:Indicator') === 'false',
  );
  const first = allowances[0];
  const price = at(item, 'ram:SpecifiedLineTradeAgreement', 'ram:NetPriceProductTradePrice');
  const quantity = at(item, 'ram:SpecifiedLineTradeDelivery', 'ram:BilledQuantity');
  return {
    id: textAt(item, 'ram:AssociatedDocumentLineDocument', 'ram:LineID') ?? '',
    name: textAt(item, 'ram:SpecifiedTradeProduct', 'ram:Name') ?? '',
    quantityMilli: scaledOf(textAt(quantity), 3, 'BT-129', out) ?? Number.NaN,
    unitCode: attrAt(quantity, 'unitCode') ?? '',
    netMinor:
      amountOf(
        textAt(settlement, 'ram:SpecifiedTradeSettlementLineMonetarySummation', 'ram:LineTotalAmount'),
        'BT-131',
        'BR-DEC-23',
        out,
      ) ?? Number.NaN,
    priceMinor: scaledOf(textAt(price, 'ram:ChargeAmount'), 2, 'BT-146', out) ?? Number.NaN,
    allowance: first
      ? {
          amountMinor: allowances.reduce(
            (n, a) => n + (amountOf(textAt(a, 'ram:ActualAmount'), 'BT-136', 'BR-DEC-24', out) ?? 0),
            0,
          ),
          baseMinor: amountOf(textAt(first, 'ram:BasisAmount'), 'BT-137', 'BR-DEC-25', out) ?? 0,
          percentBp: rateOf(textAt(first, 'ram:CalculationPercent'), 'BT-138', out) ?? 0,
        }
      : null,
    category: textAt(tax, 'ram:CategoryCode') ?? '',
    rateBp: rateOf(textAt(tax, 'ram:RateApplicablePercent'), 'BT-152', out) ?? 0,
  };
}

function vatPointOf(code: string | null): ReceivedInvoice['vatPoint'] {
  return code === '5' ? 'issue' : code === '72' ? 'payment' : null;
}

/** The model of a CII document (`root` is rsm:CrossIndustryInvoice's content). */
export function parseCii(root: XmlNode, out: Breaches): ParsedDocument {
  const doc = at(root, 'rsm:ExchangedDocument');
  const tx = at(root, 'rsm:SupplyChainTradeTransaction');
  const agreement = at(tx, 'ram:ApplicableHeaderTradeAgreement');
  const delivery = at(tx, 'ram:ApplicableHeaderTradeDelivery');
  const settlement = at(tx, 'ram:ApplicableHeaderTradeSettlement');
  const sums = at(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');
  const currency = textAt(settlement, 'ram:InvoiceCurrencyCode') ?? '';
  const means = at(settlement, 'ram:SpecifiedTradeSettlementPaymentMeans');
  const terms = at(settlement, 'ram:SpecifiedTradePaymentTerms');
  const preceding = at(settlement, 'ram:InvoiceReferencedDocument');
  const taxes = all(settlement, 'ram:ApplicableTradeTax');
  // BT-110 in the document's currency (a second TaxTotalAmount may be in the VAT accounting currency).
  const taxTotals = all(sums, 'ram:TaxTotalAmount');
  const taxTotal = taxTotals.find((t) => attrAt(t, 'currencyID') === currency) ?? taxTotals[0];
  const amount = (name: string, term: string, rule: string) => amountOf(textAt(sums, name), term, rule, out);
  const vat: ReceivedVat[] = taxes.map((t) => ({
    category: textAt(t, 'ram:CategoryCode') ?? '',
    rateBp: rateOf(textAt(t, 'ram:RateApplicablePercent'), 'BT-119', out) ?? 0,
    taxableMinor: amountOf(textAt(t, 'ram:BasisAmount'), 'BT-116', 'BR-DEC-19', out) ?? 0,
    taxMinor: amountOf(textAt(t, 'ram:CalculatedAmount'), 'BT-117', 'BR-DEC-20', out) ?? 0,
    exemptionReason: textAt(t, 'ram:ExemptionReason'),
    exemptionCode: textAt(t, 'ram:ExemptionReasonCode'),
  }));
  const allowance = amount('ram:AllowanceTotalAmount', 'BT-107', 'BR-DEC-10');
  const charge = amount('ram:ChargeTotalAmount', 'BT-108', 'BR-DEC-11');
  const rounding = amount('ram:RoundingAmount', 'BT-114', 'BR-DEC-17');
  const shipTo = textAt(delivery, 'ram:ShipToTradeParty', 'ram:PostalTradeAddress', 'ram:CountryID');
  const iban =
    textAt(means, 'ram:PayeePartyCreditorFinancialAccount', 'ram:IBANID') ??
    textAt(means, 'ram:PayeePartyCreditorFinancialAccount', 'ram:ProprietaryID');
  const invoice: ReceivedInvoice = {
    number: textAt(doc, 'ram:ID') ?? '',
    issueDate: dateTime(at(doc, 'ram:IssueDateTime'), 'BT-2', out) ?? '',
    typeCode: textAt(doc, 'ram:TypeCode') ?? '',
    currency: currency as ReceivedInvoice['currency'],
    vatPoint: vatPointOf(taxes.map((t) => textAt(t, 'ram:DueDateTypeCode')).find(Boolean) ?? null),
    dueDate: dateTime(at(terms, 'ram:DueDateDateTime'), 'BT-9', out),
    buyerReference: textAt(agreement, 'ram:BuyerReference'),
    preceding: textAt(preceding, 'ram:IssuerAssignedID')
      ? {
          number: textAt(preceding, 'ram:IssuerAssignedID') ?? '',
          issueDate:
            dateTime(at(preceding, 'ram:FormattedIssueDateTime'), 'BT-26', out, 'qdt:DateTimeString') ?? '',
        }
      : null,
    notes: all(doc, 'ram:IncludedNote').flatMap((n) => textAt(n, 'ram:Content') ?? []),
    seller: party(at(agreement, 'ram:SellerTradeParty')),
    buyer: party(at(agreement, 'ram:BuyerTradeParty')),
    delivery: {
      date: dateTime(
        at(delivery, 'ram:ActualDeliverySupplyChainEvent', 'ram:OccurrenceDateTime'),
        'BT-72',
        out,
      ),
      country: shipTo,
    },
    payment: means
      ? {
          code: textAt(means, 'ram:TypeCode') ?? '',
          remittance: textAt(settlement, 'ram:PaymentReference'),
          iban,
          bic: iban ? textAt(means, 'ram:PayeeSpecifiedCreditorFinancialInstitution', 'ram:BICID') : null,
        }
      : null,
    paymentTerms: textAt(terms, 'ram:Description'),
    lines: all(tx, 'ram:IncludedSupplyChainTradeLineItem').map((item) => line(item, out)),
    vat,
    totals: {
      lineNetMinor: amount('ram:LineTotalAmount', 'BT-106', 'BR-DEC-09') ?? Number.NaN,
      taxMinor: amountOf(textAt(taxTotal), 'BT-110', 'BR-DEC-13', out) ?? 0,
      grossMinor: amount('ram:GrandTotalAmount', 'BT-112', 'BR-DEC-14') ?? Number.NaN,
      prepaidMinor: amount('ram:TotalPrepaidAmount', 'BT-113', 'BR-DEC-16') ?? 0,
      payableMinor: amount('ram:DuePayableAmount', 'BT-115', 'BR-DEC-18') ?? Number.NaN,
      ...(allowance ? { allowanceMinor: allowance } : {}),
      ...(charge ? { chargeMinor: charge } : {}),
      ...(rounding ? { roundingMinor: rounding } : {}),
    },
  };
  const taxExclusiveMinor = amount('ram:TaxBasisTotalAmount', 'BT-109', 'BR-DEC-12');
  const specification = textAt(
    root,
    'rsm:ExchangedDocumentContext',
    'ram:GuidelineSpecifiedDocumentContextParameter',
    'ram:ID',
  );
  return { invoice, specification, taxExclusiveMinor };
}
