{{/* The base name of every object: the release name, with the chart name appended unless already in it. */}}
{{- define "pxl-core.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The operator's Deployment, Service and Role names. */}}
{{- define "pxl-core.operatorName" -}}
{{- printf "%s-operator" (include "pxl-core.fullname" .) -}}
{{- end -}}

{{/* The namespace the operator manages. */}}
{{- define "pxl-core.watchNamespace" -}}
{{- default .Release.Namespace .Values.watchNamespace -}}
{{- end -}}

{{/* The labels that select the operator Pods; the operator also passes them to the provers' NetworkPolicies. */}}
{{- define "pxl-core.selectorLabels" -}}
app.kubernetes.io/name: pxl-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The same selector as the operator's --operator-labels flag wants it. */}}
{{- define "pxl-core.selectorFlag" -}}
app.kubernetes.io/name=pxl-operator,app.kubernetes.io/instance={{ .Release.Name }}
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "pxl-core.labels" -}}
{{ include "pxl-core.selectorLabels" . }}
app.kubernetes.io/part-of: pxl-core
app.kubernetes.io/component: operator
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "pxl-core.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pxl-core.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* An image reference from {repository, tag, digest}: the digest wins, then the tag, then appVersion. */}}
{{- define "pxl-core.image" -}}
{{- $image := index . 0 -}}
{{- $chart := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}
