import type { SloReportDoc } from './report-model.js';
import { attainmentText, budgetLine, changeText, incidentsHeading, incidentText, utcText } from './report-text.js';
import { humanDuration } from './slo-explain.js';

/** Markdown-inert text: backslash-escapes the characters that start markup, `|` included (tables). */
export function mdText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (c) => `\\${c}`);
}

/** Pure: the report as Markdown (a summary table, then one section per SLO). */
export function renderMarkdown(doc: SloReportDoc): string {
  const lines = [`# SLO report, ${utcText(doc.at)}`, ''];
  if (doc.note) lines.push(`> ${mdText(doc.note)}`, '');
  lines.push(doc.previousAt === undefined ? 'First report: nothing to compare with.' : `Compared with the report of ${utcText(doc.previousAt)}.`, '');
  lines.push('| SLO | objective | attainment | error budget | state | incidents |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of doc.slos) {
    const incidents = s.incidentCount === undefined ? 'no data' : String(s.incidentCount);
    lines.push(
      `| ${mdText(s.name)} | ${s.objective}% over ${mdText(s.period)} | ${mdText(attainmentText(s))} | ${mdText(budgetLine(s))} | ${s.state} | ${incidents} |`,
    );
  }
  for (const s of doc.slos) {
    lines.push('', `## ${mdText(s.name)}`, '');
    if (s.description) lines.push(mdText(s.description), '');
    lines.push(
      `- Period: ${utcText(s.periodSeconds > 0 ? doc.at - s.periodSeconds : doc.at)} to ${utcText(doc.at)} (${humanDuration(s.periodSeconds)})`,
      `- Watches ${mdText(s.target)}; good: ${mdText(s.measures)}${s.owner ? `; owner ${mdText(s.owner)}` : ''}`,
      `- Attainment: ${mdText(attainmentText(s))} (objective ${s.objective}%)`,
      `- Error budget: ${mdText(budgetLine(s))}`,
      `- State: **${s.state}**: ${mdText(s.why)}`,
      `- Change: ${mdText(changeText(s.change))}`,
      `- ${mdText(incidentsHeading(s))}`,
    );
    for (const i of s.incidents ?? []) lines.push(`  - ${mdText(incidentText(i))}`);
  }
  return `${lines.join('\n')}\n`;
}
