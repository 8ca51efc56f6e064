/** Stable ids of the four multiwindow burn tiers; used as the `burn_tier` label. */
export const BURN_TIER_IDS = ['page_fast', 'page_slow', 'ticket_fast', 'ticket_slow'] as const;
export type BurnTierId = (typeof BURN_TIER_IDS)[number];
