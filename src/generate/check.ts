import type { Seconds } from '../core/units.js';
import { parseDuration } from '../config/duration.js';
import { GenerateError } from './errors.js';
import { buildModels, disabledTierNotes, type GenerateInput } from './generate.js';

/** `--scrape-interval` text -> seconds; GenerateError naming the flag. */
export function parseScrapeInterval(text: string | undefined): Seconds | undefined {
  if (text === undefined) return undefined;
  const s = parseDuration(text);
  if (s === undefined || s <= 0) throw new GenerateError(`--scrape-interval must be a duration like 30s or 1m, got ${JSON.stringify(text)}`);
  return s;
}

/**
 * What `validate` checks of the alerting side: every SLO's burn tiers resolve at the scrape
 * interval (flag, else `alerting.scrapeInterval`). Throws GenerateError naming the SLO, the tier
 * and the fix; returns notes on tiers switched off because they cannot fit.
 */
export function checkAlerting(config: GenerateInput, scrapeInterval?: Seconds): string[] {
  const scrape = scrapeInterval ?? config.alerting?.scrapeInterval;
  const models = buildModels(config.slos, { ...(scrape !== undefined ? { scrapeInterval: scrape } : {}), ...(config.dlqs ? { dlqs: config.dlqs } : {}) });
  return disabledTierNotes(config.slos, models);
}
