#!/usr/bin/env bash
# A release on Kubernetes, in order: the migrations Job (wait for it), then the Deployments
# (wait for the rollout). Usage: deploy/kubernetes/rollout.sh [namespace]
# The image tag is the one in kustomization.yaml and migrate/kustomization.yaml (`kustomize
# edit set image souk=registry.example.com/souk:TAG` in both, or your CD tool's equivalent).
set -euo pipefail
namespace="${1:-souk}"
here="$(cd "$(dirname "$0")" && pwd)"
kc=(kubectl --namespace "$namespace")

"${kc[@]}" delete job souk-migrate --ignore-not-found --wait=true
"${kc[@]}" apply -k "$here/migrate"
# Complete or Failed, whichever comes first (`kubectl wait` watches one condition only, and the
# Job's activeDeadlineSeconds bounds this loop).
while :; do
  state="$("${kc[@]}" get job souk-migrate -o jsonpath='{.status.conditions[?(@.status=="True")].type}')"
  case " $state " in
    *" Complete "*) break ;;
    *" Failed "*)
      echo "migrations failed: the running release is untouched" >&2
      "${kc[@]}" logs job/souk-migrate --tail=50 >&2 || true
      exit 1 ;;
  esac
  sleep 5
done
"${kc[@]}" apply -k "$here"
"${kc[@]}" rollout status deployment/souk-api --timeout=10m
"${kc[@]}" rollout status deployment/souk-worker --timeout=10m
