// The hub's refusals are the wire's one failure class (common/sync/hub-failure.ts), which the
// HTTP layer answers as the envelope { code, message, params } with its status.
export { HubFailure } from '#common/sync/hub-failure';
