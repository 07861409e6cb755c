#!/usr/bin/env bash
# The whole product on one machine: control plane, CRDs, operator, a PxlCore, the samples, the verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."

namespace=proofs
demo_dir=.cache/demo
mkdir -p "$demo_dir"
step() { printf '\n==> %s\n' "$*"; }

step "checking system packages"
bash scripts/install-deps.sh

if [ ! -d node_modules ]; then
  step "installing npm dependencies"
  npm ci --no-audit --no-fund
fi

step "building"
npm run build --silent

step "starting the local control plane (the first run builds Kubernetes; this takes a while)"
npm run cluster --silent -- up
export KUBECONFIG="$PWD/.cache/cluster/kubeconfig"
kubectl_bin=$(ls -d .cache/cluster/bin/*/ | head -n 1)kubectl
kubectl() { "$kubectl_bin" "$@"; }

step "installing the CRDs"
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for=condition=Established --timeout=60s crd/pxlcores.pxl.logos.dev crd/proofrequests.pxl.logos.dev >/dev/null

step "starting the operator (log: $demo_dir/operator.log)"
if [ -f "$demo_dir/operator.pid" ] && kill -0 "$(cat "$demo_dir/operator.pid")" 2>/dev/null; then
  kill "$(cat "$demo_dir/operator.pid")"
  # A stopped leader releases its lease, so the new process takes over at once.
  sleep 2
fi
kubectl get namespace pxl-system >/dev/null 2>&1 || kubectl create namespace pxl-system >/dev/null
nohup node bin/pxl-operator.js --operator-namespace pxl-system --metrics-bind 127.0.0.1:0 >"$demo_dir/operator.log" 2>&1 &
echo $! >"$demo_dir/operator.pid"

step "applying config/samples/ to namespace $namespace"
kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace" >/dev/null
kubectl apply -n "$namespace" -k config/samples/

step "waiting for the provers and the verdicts (up to 5 minutes)"
deadline=$((SECONDS + 300))
while :; do
  phases=$(kubectl get proofrequests -n "$namespace" -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}')
  total=$(printf '%s\n' "$phases" | grep -c . || true)
  open=$(printf '%s\n' "$phases" | grep -cvE '^(Proved|Refuted|Failed|Rejected|Error)$' || true)
  if [ "$total" -gt 0 ] && [ "$open" -eq 0 ]; then break; fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "timed out with $open of $total requests still open; see $demo_dir/operator.log" >&2
    break
  fi
  if ! kill -0 "$(cat "$demo_dir/operator.pid")" 2>/dev/null; then
    echo "the operator exited; its log:" >&2
    tail -n 20 "$demo_dir/operator.log" >&2
    exit 1
  fi
  sleep 2
done

step "the verdicts"
kubectl get pxlcores -n "$namespace"
echo
kubectl get proofrequests -n "$namespace"

cat <<EOT

The control plane and the operator keep running:
  export KUBECONFIG=$KUBECONFIG
  $kubectl_bin get proofrequests -n $namespace
Stop the operator:  kill \$(cat $demo_dir/operator.pid)
Stop everything:    kill \$(cat $demo_dir/operator.pid); npm run cluster -- down
EOT
