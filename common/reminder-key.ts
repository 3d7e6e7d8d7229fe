// A payment reminder's id: the same on every device that reminds this invoice at this level,
// so two devices offline write one row, which sync merges (db/schema/reminders.ts). The hub
// refuses a reminder whose id is not this (server/sync/authorize-reminders.ts).
export const reminderId = (invoiceId: string, level: number): string => `rm:${invoiceId}:${level}`;
