// UBL 2.1 Invoice and CreditNote in the Peppol BIS Billing 3.0 customization, and XRechnung
// (UBL syntax; the Leitweg-ID is the buyer reference BT-10). Element order follows the UBL 2.1
// schemas' sequences.
import { XMLBuilder } from 'fast-xml-parser';
import { amount, type EnInvoice, type EnParty, percent, quantity } from './model';

export const PEPPOL_CUSTOMIZATION =
  'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const XRECHNUNG_CUSTOMIZATION =
  'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
export const PEPPOL_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: false });

type Node = Record<string, unknown>;

function party(p: EnParty): Node {
  const node: Node = {};
  if (p.endpoint) node['cbc:EndpointID'] = { '@schemeID': p.endpoint.scheme, '#text': p.endpoint.value };
  const address: Node = {};
  if (p.address.line1) address['cbc:StreetName'] = p.address.line1;
  if (p.address.line2) address['cbc:AdditionalStreetName'] = p.address.line2;
  if (p.address.city.trim()) address['cbc:CityName'] = p.address.city;
  if (p.address.postalCode.trim()) address['cbc:PostalZone'] = p.address.postalCode;
  address['cac:Country'] = { 'cbc:IdentificationCode': p.address.country };
  node['cac:PostalAddress'] = address;
  if (p.vatId)
    node['cac:PartyTaxScheme'] = { 'cbc:CompanyID': p.vatId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
  const legal: Node = { 'cbc:RegistrationName': p.name };
  if (p.legalId) legal['cbc:CompanyID'] = { '@schemeID': p.legalId.scheme, '#text': p.legalId.value };
  node['cac:PartyLegalEntity'] = legal;
  if (p.email) node['cac:Contact'] = { 'cbc:ElectronicMail': p.email };
  return { 'cac:Party': node };
}

export function ublXml(inv: EnInvoice, flavour: 'peppol' | 'xrechnung' = 'peppol'): string {
  const credit = inv.typeCode === '381';
  const cur = inv.currency;
  const money = (minor: number) => ({ '@currencyID': cur, '#text': amount(minor) });
  const doc: Node = {
    '@xmlns': credit
      ? 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2'
      : 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
    '@xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
    '@xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
    'cbc:CustomizationID': flavour === 'xrechnung' ? XRECHNUNG_CUSTOMIZATION : PEPPOL_CUSTOMIZATION,
    'cbc:ProfileID': PEPPOL_PROFILE,
    'cbc:ID': inv.number,
    'cbc:IssueDate': inv.issueDate,
  };
  // A CreditNote has no DueDate in UBL 2.1 (a credit note asks for no payment anyway).
  if (!credit && inv.dueDate) doc['cbc:DueDate'] = inv.dueDate;
  doc[credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode'] = inv.typeCode;
  if (inv.notes.length) doc['cbc:Note'] = inv.notes;
  doc['cbc:DocumentCurrencyCode'] = cur;
  if (inv.buyerReference) doc['cbc:BuyerReference'] = inv.buyerReference;
  // BT-8 in UBL: UNTDID 2005, 3 = invoice issue date (debits), 432 = paid to date.
  if (inv.vatPoint)
    doc['cac:InvoicePeriod'] = { 'cbc:DescriptionCode': inv.vatPoint === 'issue' ? '3' : '432' };
  if (inv.preceding) {
    doc['cac:BillingReference'] = {
      'cac:InvoiceDocumentReference': {
        'cbc:ID': inv.preceding.number,
        'cbc:IssueDate': inv.preceding.issueDate,
      },
    };
  }
  doc['cac:AccountingSupplierParty'] = party(inv.seller);
  doc['cac:AccountingCustomerParty'] = party(inv.buyer);
  const delivery: Node = { 'cbc:ActualDeliveryDate': inv.delivery.date };
  if (inv.delivery.country)
    delivery['cac:DeliveryLocation'] = {
      'cac:Address': { 'cac:Country': { 'cbc:IdentificationCode': inv.delivery.country } },
    };
  doc['cac:Delivery'] = delivery;
  if (inv.payment) {
    const means: Node = { 'cbc:PaymentMeansCode': inv.payment.code };
    if (inv.payment.remittance) means['cbc:PaymentID'] = inv.payment.remittance;
    if (inv.payment.iban) {
      const account: Node = { 'cbc:ID': inv.payment.iban };
      if (inv.payment.bic) account['cac:FinancialInstitutionBranch'] = { 'cbc:ID': inv.payment.bic };
      means['cac:PayeeFinancialAccount'] = account;
    }
    doc['cac:PaymentMeans'] = means;
  }
  doc['cac:PaymentTerms'] = { 'cbc:Note': inv.paymentTerms };
  doc['cac:TaxTotal'] = {
    'cbc:TaxAmount': money(inv.totals.taxMinor),
    'cac:TaxSubtotal': inv.vat.map((v) => {
      const category: Node = { 'cbc:ID': v.category };
      if (v.category !== 'O') category['cbc:Percent'] = percent(v.rateBp);
      if (v.exemptionCode) category['cbc:TaxExemptionReasonCode'] = v.exemptionCode;
      if (v.exemptionReason) category['cbc:TaxExemptionReason'] = v.exemptionReason;
      category['cac:TaxScheme'] = { 'cbc:ID': 'VAT' };
      return {
        'cbc:TaxableAmount': money(v.taxableMinor),
        'cbc:TaxAmount': money(v.taxMinor),
        'cac:TaxCategory': category,
      };
    }),
  };
  doc['cac:LegalMonetaryTotal'] = {
    'cbc:LineExtensionAmount': money(inv.totals.lineNetMinor),
    'cbc:TaxExclusiveAmount': money(inv.totals.lineNetMinor),
    'cbc:TaxInclusiveAmount': money(inv.totals.grossMinor),
    'cbc:PrepaidAmount': money(inv.totals.prepaidMinor),
    'cbc:PayableAmount': money(inv.totals.payableMinor),
  };
  doc[credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine'] = inv.lines.map((l) => {
    const line: Node = {
      'cbc:ID': l.id,
      [credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity']: {
        '@unitCode': l.unitCode,
        '#text': quantity(l.quantityMilli),
      },
      'cbc:LineExtensionAmount': money(l.netMinor),
    };
    if (l.allowance) {
      line['cac:AllowanceCharge'] = {
        'cbc:ChargeIndicator': 'false',
        'cbc:AllowanceChargeReasonCode': '95',
        'cbc:AllowanceChargeReason': 'Discount',
        'cbc:MultiplierFactorNumeric': percent(l.allowance.percentBp),
        'cbc:Amount': money(l.allowance.amountMinor),
        'cbc:BaseAmount': money(l.allowance.baseMinor),
      };
    }
    const category: Node = { 'cbc:ID': l.category };
    if (l.category !== 'O') category['cbc:Percent'] = percent(l.rateBp);
    category['cac:TaxScheme'] = { 'cbc:ID': 'VAT' };
    line['cac:Item'] = { 'cbc:Name': l.name, 'cac:ClassifiedTaxCategory': category };
    line['cac:Price'] = { 'cbc:PriceAmount': money(l.priceMinor) };
    return line;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [credit ? 'CreditNote' : 'Invoice']: doc })}\n`;
}
