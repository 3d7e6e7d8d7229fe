// The partner program: partnerships between a partner organization and its managed clients,
// the price book, quotes, cashback and the partner dashboard (DOMAIN.md "Partnership",
// "Partner money"; the seeds' partner pages). Every rule is checked with a clear code, and
// the store holds the two that can be held there (partial unique indexes): one active
// complete-access partner per client, one live allocation per product.
//
// The domain's public surface: the work lives in partners/, one file per part of the program
// (partnerships.ts holds the reads and checks they share). The checks themselves stay private
// to partners/.
export { allocateProducts, deallocateProducts } from './partners/allocations.service';
export { partnerDashboard } from './partners/dashboard.service';
export {
  acceptPartnership,
  addPartner,
  changeAccess,
  changePayment,
  endPartnership,
  inviteClient,
  markNoticesSeen,
  refusePartnership,
  resendInvitation,
  withdrawInvitation,
} from './partners/lifecycle.service';
export { getPartnership, listPartnerships, type PartnershipView } from './partners/partnerships';
export {
  DEALER_THRESHOLD_MINOR,
  DEFAULT_DEGRESSIVE_TIERS,
  DEFAULT_DISCOUNT_BP,
  DEFAULT_PUBLIC_PRICES,
  priceBookFor,
  setDegressiveTiers,
  setDiscount,
  setPublicPrice,
} from './partners/price-book.service';
export {
  CASHBACK_NOTE,
  type CashbackDecision,
  cashbackFor,
  creditCashback,
  type QuoteResult,
  quoteFor,
} from './partners/quotes.service';
