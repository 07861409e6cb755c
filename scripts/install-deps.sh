#!/usr/bin/env bash
# Installs the system packages the project needs (Coq, Lua 5.1, OpenSSL) when any is missing.
set -euo pipefail
missing=()
command -v coqc >/dev/null 2>&1 || missing+=(coq)
command -v coqidetop.opt >/dev/null 2>&1 || command -v coqidetop >/dev/null 2>&1 || missing+=(coq)
command -v lua5.1 >/dev/null 2>&1 || missing+=(lua5.1)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v go >/dev/null 2>&1 || { echo "error: Go is required to build the local control plane; install Go 1.26+ and retry" >&2; exit 1; }
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: missing packages: ${missing[*]}; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
