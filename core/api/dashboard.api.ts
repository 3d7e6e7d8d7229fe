import { MoneyAtAGlance } from '#common/dashboard.schema';
import { moneyAtAGlance } from '../services/dashboard.service';
import { query } from './method';

export const dashboardApi = {
  'dashboard.money': query(
    MoneyAtAGlance,
    'Money at a glance: receivables open and overdue by age, revenue per month (12 months, per currency), prepaid balances, upcoming renewals',
    moneyAtAGlance,
  ),
};
