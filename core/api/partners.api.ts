import {
  AcceptPartnership,
  AddPartner,
  AllocateProducts,
  ChangeAccess,
  ChangePayment,
  CreditCashback,
  EndPartnership,
  InviteClient,
  ListPartnerships,
  MarkNoticesSeen,
  OrderEvent,
  PartnerDashboard,
  PartnershipRef,
  QuoteInput,
  SetDegressiveTiers,
  SetDiscount,
  SetPublicPrice,
} from '#common/partners.schema';
import {
  acceptPartnership,
  addPartner,
  allocateProducts,
  cashbackFor,
  changeAccess,
  changePayment,
  creditCashback,
  deallocateProducts,
  endPartnership,
  getPartnership,
  inviteClient,
  listPartnerships,
  markNoticesSeen,
  partnerDashboard,
  quoteFor,
  refusePartnership,
  resendInvitation,
  setDegressiveTiers,
  setDiscount,
  setPublicPrice,
  withdrawInvitation,
} from '../services/partners.service';
import { mutation, query } from './method';

export const partnersApi = {
  'partners.list': query(
    ListPartnerships,
    'Partnerships of an organization, as partner or client',
    listPartnerships,
  ),
  'partners.get': query(PartnershipRef, 'One partnership with its allocated products', (ctx, i) =>
    getPartnership(ctx, i.partnershipId),
  ),
  'partners.inviteClient': mutation(
    InviteClient,
    'A partner invites a client (organization or contact e-mail); legal representatives only',
    inviteClient,
  ),
  'partners.addPartner': mutation(
    AddPartner,
    'A client adds a partner; legal representatives only',
    addPartner,
  ),
  'partners.accept': mutation(
    AcceptPartnership,
    'The invited side accepts; the client may grant different access',
    acceptPartnership,
  ),
  'partners.refuse': mutation(PartnershipRef, 'The invited side refuses an invitation', (ctx, i) =>
    refusePartnership(ctx, i.partnershipId),
  ),
  'partners.resend': mutation(PartnershipRef, 'Send a pending invitation again', (ctx, i) =>
    resendInvitation(ctx, i.partnershipId),
  ),
  'partners.withdraw': mutation(PartnershipRef, 'Withdraw an invitation before it is accepted', (ctx, i) =>
    withdrawInvitation(ctx, i.partnershipId),
  ),
  'partners.end': mutation(
    EndPartnership,
    'End a partnership from either side (confirm: true)',
    endPartnership,
  ),
  'partners.changePayment': mutation(
    ChangePayment,
    'The client changes whose payment methods pay (the partner is notified)',
    changePayment,
  ),
  'partners.allocate': mutation(
    AllocateProducts,
    'Allocate products to a limited-access partner',
    allocateProducts,
  ),
  'partners.deallocate': mutation(
    AllocateProducts,
    'Take products back from a limited-access partner',
    deallocateProducts,
  ),
  'partners.setDiscount': mutation(
    SetDiscount,
    "A partner's discount for a product kind (≤ 35 %)",
    setDiscount,
  ),
  'partners.setDegressiveTiers': mutation(
    SetDegressiveTiers,
    'The degressive scale of web or mail hosting, by number of hostings',
    setDegressiveTiers,
  ),
  'partners.setPublicPrice': mutation(
    SetPublicPrice,
    'Public price of a product kind in a currency',
    setPublicPrice,
  ),
  'partners.quote': query(
    QuoteInput,
    'Public price, discount, degressive rate, price paid and cashback',
    quoteFor,
  ),
  'partners.cashbackFor': query(OrderEvent, 'What an order or renewal earns the partner', cashbackFor),
  'partners.creditCashback': mutation(
    CreditCashback,
    "Credit an order's cashback to the partner's prepaid account",
    creditCashback,
  ),
  'partners.dashboard': query(
    PartnerDashboard,
    'Managed clients, volume, cashback, invitations',
    partnerDashboard,
  ),
  'partners.changeAccess': mutation(
    ChangeAccess,
    'The client changes access (limited with products, or complete with a payment choice); the partner is notified',
    changeAccess,
  ),
  'partners.markNoticesSeen': mutation(
    MarkNoticesSeen,
    "Mark the partner's notices seen (the given ones, or all)",
    markNoticesSeen,
  ),
};
