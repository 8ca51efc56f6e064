import type { GenerateOptions } from '../options.js';
import type { RuleGroup } from './types.js';

/** Wraps rule groups in a Prometheus Operator PrometheusRule resource (monitoring.coreos.com/v1). */
export function prometheusRule(groups: RuleGroup[], opts: GenerateOptions, suffix: string): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `${opts.k8s.name}-${suffix}`,
      namespace: opts.k8s.namespace,
      labels: { 'app.kubernetes.io/name': 'cqrs-slo', 'app.kubernetes.io/managed-by': 'cqrs-slo-generate', ...opts.k8s.labels },
    },
    spec: { groups },
  };
}
