-- Statement matching by indexed lookups (issue 12): a credit finds its invoice by its payment
-- reference, and a credit already booked is found by its bank reference; both scanned the whole
-- table per credit before (10k credits against thousands of invoices: seconds).
CREATE INDEX `invoices_payment_reference_idx` ON `invoices` (`payment_reference`) WHERE payment_reference is not null;--> statement-breakpoint
CREATE INDEX `payments_reference_idx` ON `payments` (`reference`) WHERE reference is not null;
