{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "cqrs-slo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name: the release name, with the chart name unless the release already contains it. */}}
{{- define "cqrs-slo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cqrs-slo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cqrs-slo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cqrs-slo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cqrs-slo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The rule groups of one generated rule file: the value given, else the chart's file. */}}
{{- define "cqrs-slo.ruleGroups" -}}
{{- $text := .value | default (.root.Files.Get .file) -}}
{{- $doc := fromYaml $text -}}
{{- if or (not $doc) (hasKey $doc "Error") (not (hasKey $doc "groups")) -}}
{{- fail (printf "%s is not a rule file of `cqrs-slo generate alerts` (needs a top-level groups list)" .what) -}}
{{- end -}}
{{- toYaml $doc.groups -}}
{{- end }}

{{/*
The SLO rules must be those of the SLOs in `config`: each SLO has its recording group
(cqrs-slo-sli-recordings-<slo>) and no group is left from an SLO that is gone. Helm cannot run
the generator, so a config changed without regenerating `rules` fails here instead of
installing alerts for other SLOs.
*/}}
{{- define "cqrs-slo.checkRules" -}}
{{- if .Values.rules.checkSlos -}}
{{- $config := fromYaml .Values.config -}}
{{- $want := list -}}
{{- range ($config.slos | default list) }}{{ $want = append $want .name }}{{ end -}}
{{- $doc := fromYaml (.Values.rules.slo | default (.Files.Get "rules/slo-rules.yml")) -}}
{{- $have := list -}}
{{- range ($doc.groups | default list) }}{{ if hasPrefix "cqrs-slo-sli-recordings-" .name }}{{ $have = append $have (trimPrefix "cqrs-slo-sli-recordings-" .name) }}{{ end }}{{ end -}}
{{- $missing := list -}}
{{- range $want }}{{ if not (has . $have) }}{{ $missing = append $missing . }}{{ end }}{{ end -}}
{{- $extra := list -}}
{{- range $have }}{{ if not (has . $want) }}{{ $extra = append $extra . }}{{ end }}{{ end -}}
{{- if or $missing $extra -}}
{{- fail (printf "rules.slo does not match the SLOs of config (no rules for: %s; rules of SLOs not in config: %s). Regenerate: npx cqrs-slo generate alerts --config <your config> --out rules/, then --set-file rules.slo=rules/slo-rules.yml --set-file rules.operational=rules/operational-rules.yml (rules.checkSlos=false skips this check, e.g. for --input SLOs)" (join ", " $missing | default "none") (join ", " $extra | default "none")) -}}
{{- end -}}
{{- end -}}
{{- end }}
