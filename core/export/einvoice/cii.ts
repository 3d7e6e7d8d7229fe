// UN/CEFACT Cross Industry Invoice (D16B, the syntax of Factur-X / ZUGFeRD), profile EN 16931.
// Element order follows the D16B schema's sequences (the validator checks the schema first).
import { XMLBuilder } from 'fast-xml-parser';
import { amount, date102, type EnInvoice, type EnParty, percent, quantity } from './model';

/** Factur-X 1.07 / ZUGFeRD 2.3 profile EN 16931 ("COMFORT"): the guideline id of CEN's own rules. */
export const CII_GUIDELINE = 'urn:cen.eu:en16931:2017';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: false,
  format: false,
});

type Node = Record<string, unknown>;

const dateTime = (iso: string): Node => ({
  'udt:DateTimeString': { '@format': '102', '#text': date102(iso) },
});

function tradeParty(p: EnParty): Node {
  const node: Node = { 'ram:Name': p.name };
  if (p.legalId)
    node['ram:SpecifiedLegalOrganization'] = {
      'ram:ID': { '@schemeID': p.legalId.scheme, '#text': p.legalId.value },
    };
  if (p.email)
    node['ram:DefinedTradeContact'] = { 'ram:EmailURIUniversalCommunication': { 'ram:URIID': p.email } };
  const address: Node = {};
  if (p.address.postalCode.trim()) address['ram:PostcodeCode'] = p.address.postalCode;
  if (p.address.line1) address['ram:LineOne'] = p.address.line1;
  if (p.address.line2) address['ram:LineTwo'] = p.address.line2;
  if (p.address.city.trim()) address['ram:CityName'] = p.address.city;
  address['ram:CountryID'] = p.address.country;
  node['ram:PostalTradeAddress'] = address;
  if (p.endpoint)
    node['ram:URIUniversalCommunication'] = {
      'ram:URIID': { '@schemeID': p.endpoint.scheme, '#text': p.endpoint.value },
    };
  if (p.vatId) node['ram:SpecifiedTaxRegistration'] = { 'ram:ID': { '@schemeID': 'VA', '#text': p.vatId } };
  return node;
}

export function ciiXml(inv: EnInvoice): string {
  const cur = inv.currency;
  const lines = inv.lines.map((l) => {
    const tax: Node = { 'ram:TypeCode': 'VAT', 'ram:CategoryCode': l.category };
    if (l.category !== 'O') tax['ram:RateApplicablePercent'] = percent(l.rateBp);
    const settlement: Node = { 'ram:ApplicableTradeTax': tax };
    if (l.allowance) {
      settlement['ram:SpecifiedTradeAllowanceCharge'] = {
        'ram:ChargeIndicator': { 'udt:Indicator': 'false' },
        'ram:CalculationPercent': percent(l.allowance.percentBp),
        'ram:BasisAmount': amount(l.allowance.baseMinor),
        'ram:ActualAmount': amount(l.allowance.amountMinor),
        'ram:ReasonCode': '95',
        'ram:Reason': 'Discount',
      };
    }
    settlement['ram:SpecifiedTradeSettlementLineMonetarySummation'] = {
      'ram:LineTotalAmount': amount(l.netMinor),
    };
    return {
      'ram:AssociatedDocumentLineDocument': { 'ram:LineID': l.id },
      'ram:SpecifiedTradeProduct': { 'ram:Name': l.name },
      'ram:SpecifiedLineTradeAgreement': {
        'ram:NetPriceProductTradePrice': { 'ram:ChargeAmount': amount(l.priceMinor) },
      },
      'ram:SpecifiedLineTradeDelivery': {
        'ram:BilledQuantity': { '@unitCode': l.unitCode, '#text': quantity(l.quantityMilli) },
      },
      'ram:SpecifiedLineTradeSettlement': settlement,
    };
  });

  const agreement: Node = {};
  if (inv.buyerReference) agreement['ram:BuyerReference'] = inv.buyerReference;
  agreement['ram:SellerTradeParty'] = tradeParty(inv.seller);
  agreement['ram:BuyerTradeParty'] = tradeParty(inv.buyer);

  const delivery: Node = {};
  if (inv.delivery.country)
    delivery['ram:ShipToTradeParty'] = {
      'ram:PostalTradeAddress': { 'ram:CountryID': inv.delivery.country },
    };
  delivery['ram:ActualDeliverySupplyChainEvent'] = { 'ram:OccurrenceDateTime': dateTime(inv.delivery.date) };

  const settlement: Node = {};
  if (inv.payment?.remittance) settlement['ram:PaymentReference'] = inv.payment.remittance;
  settlement['ram:InvoiceCurrencyCode'] = cur;
  if (inv.payment) {
    const means: Node = { 'ram:TypeCode': inv.payment.code };
    if (inv.payment.iban)
      means['ram:PayeePartyCreditorFinancialAccount'] = { 'ram:IBANID': inv.payment.iban };
    if (inv.payment.iban && inv.payment.bic)
      means['ram:PayeeSpecifiedCreditorFinancialInstitution'] = { 'ram:BICID': inv.payment.bic };
    settlement['ram:SpecifiedTradeSettlementPaymentMeans'] = means;
  }
  settlement['ram:ApplicableTradeTax'] = inv.vat.map((v) => {
    const node: Node = { 'ram:CalculatedAmount': amount(v.taxMinor), 'ram:TypeCode': 'VAT' };
    if (v.exemptionReason) node['ram:ExemptionReason'] = v.exemptionReason;
    node['ram:BasisAmount'] = amount(v.taxableMinor);
    node['ram:CategoryCode'] = v.category;
    if (v.exemptionCode) node['ram:ExemptionReasonCode'] = v.exemptionCode;
    // BT-8 in CII: UNTDID 2475, 5 = invoice date (debits), 72 = paid to date.
    if (inv.vatPoint) node['ram:DueDateTypeCode'] = inv.vatPoint === 'issue' ? '5' : '72';
    if (v.category !== 'O') node['ram:RateApplicablePercent'] = percent(v.rateBp);
    return node;
  });
  const terms: Node = { 'ram:Description': inv.paymentTerms };
  if (inv.dueDate) terms['ram:DueDateDateTime'] = dateTime(inv.dueDate);
  settlement['ram:SpecifiedTradePaymentTerms'] = terms;
  settlement['ram:SpecifiedTradeSettlementHeaderMonetarySummation'] = {
    'ram:LineTotalAmount': amount(inv.totals.lineNetMinor),
    'ram:TaxBasisTotalAmount': amount(inv.totals.lineNetMinor),
    'ram:TaxTotalAmount': { '@currencyID': cur, '#text': amount(inv.totals.taxMinor) },
    'ram:GrandTotalAmount': amount(inv.totals.grossMinor),
    'ram:TotalPrepaidAmount': amount(inv.totals.prepaidMinor),
    'ram:DuePayableAmount': amount(inv.totals.payableMinor),
  };
  if (inv.preceding) {
    settlement['ram:InvoiceReferencedDocument'] = {
      'ram:IssuerAssignedID': inv.preceding.number,
      'ram:FormattedIssueDateTime': {
        'qdt:DateTimeString': { '@format': '102', '#text': date102(inv.preceding.issueDate) },
      },
    };
  }

  const document: Node = {
    'ram:ID': inv.number,
    'ram:TypeCode': inv.typeCode,
    'ram:IssueDateTime': dateTime(inv.issueDate),
  };
  if (inv.notes.length) document['ram:IncludedNote'] = inv.notes.map((n) => ({ 'ram:Content': n }));

  const tree = {
    'rsm:CrossIndustryInvoice': {
      '@xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
      '@xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
      '@xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
      '@xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
      'rsm:ExchangedDocumentContext': {
        'ram:GuidelineSpecifiedDocumentContextParameter': { 'ram:ID': CII_GUIDELINE },
      },
      'rsm:ExchangedDocument': document,
      'rsm:SupplyChainTradeTransaction': {
        'ram:IncludedSupplyChainTradeLineItem': lines,
        'ram:ApplicableHeaderTradeAgreement': agreement,
        'ram:ApplicableHeaderTradeDelivery': delivery,
        'ram:ApplicableHeaderTradeSettlement': settlement,
      },
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(tree)}\n`;
}
