/** ISO calendar-date arithmetic in UTC: dates in Kontor are days, not instants. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function todayIso(now: Date): string {
  return now.toISOString().slice(0, 10);
}
