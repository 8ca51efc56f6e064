import type { SloReportDoc } from './report-model.js';
import { attainmentText, budgetLine, changeText, incidentsHeading, incidentText, utcText } from './report-text.js';

/** Slack's limits: 50 blocks per message, 3000 characters per section text. */
const MAX_BLOCKS = 50;
const MAX_SECTION_CHARS = 3000;

/** Text inert in Slack's mrkdwn: `&`, `<`, `>` escaped as Slack asks (links and mentions need `<`). */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string) => (text.length > MAX_SECTION_CHARS ? `${text.slice(0, MAX_SECTION_CHARS - 1)}…` : text);

/** Slack-compatible webhook payload: `text` (fallback, notifications) and `blocks`. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

/** Pure: the report as a Slack incoming-webhook message, one section per SLO (at most 50 blocks). */
export function renderSlack(doc: SloReportDoc): SlackMessage {
  const counts = (['healthy', 'at risk', 'exhausted', 'no data'] as const)
    .map((s) => [s, doc.slos.filter((x) => x.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const title = `SLO report, ${utcText(doc.at)}: ${counts || 'no SLOs'}`;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } }];
  if (doc.note) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`:warning: ${slackText(doc.note)}`) } });
  const room = MAX_BLOCKS - blocks.length;
  const shown = doc.slos.length > room ? doc.slos.slice(0, room - 1) : doc.slos;
  for (const s of shown) {
    const lines = [
      `*${slackText(s.name)}*: ${s.state}, objective ${s.objective}% over ${slackText(s.period)}`,
      `attainment ${slackText(attainmentText(s))}; error budget ${slackText(budgetLine(s))}`,
      slackText(changeText(s.change)),
      slackText(incidentsHeading(s)),
      ...(s.incidents ?? []).map((i) => `• ${slackText(incidentText(i))}`),
    ];
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n')) } });
  }
  if (shown.length < doc.slos.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${doc.slos.length - shown.length} more SLOs in the report files` }] });
  return { text: title, blocks };
}
