export { afterPoll, PROBE_RESULTS, type Answer, type PollPlan, type PollStep, type ProbeOutcome, type ProbeResult } from './outcome.js';
export { classifyHttpAnswer, classifyRows, commandAccepted, type AnswerCondition, type HttpAnswer } from './answer.js';
export { evalJsonPath, parseJsonPath } from './json-path.js';
export { fill, probeId, unknownPlaceholders } from './template.js';
