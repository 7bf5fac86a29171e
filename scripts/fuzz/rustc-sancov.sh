#!/usr/bin/env bash
# RUSTC_WRAPPER for the fuzz build: gives the on-chain crates (the two programs and the account
# helpers they share) libFuzzer's coverage instrumentation, and nothing else. The fuzzer then
# steers by the programs' own branches, not the bank's, and its `cov:` figure counts only
# program code. Cargo calls it as: rustc-sancov.sh <rustc> <args...>.
set -euo pipefail
rustc="$1"
shift
crate=""
prev=""
for arg in "$@"; do
  if [ "$prev" = "--crate-name" ]; then crate="$arg"; fi
  prev="$arg"
done
case "$crate" in
  staking_pool | mock_lending | program_accounts)
    exec "$rustc" "$@" \
      -Cpasses=sancov-module \
      -Cllvm-args=-sanitizer-coverage-level=4 \
      -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
      -Cllvm-args=-sanitizer-coverage-pc-table \
      -Cllvm-args=-sanitizer-coverage-trace-compares \
      --cfg fuzzing
    ;;
  *) exec "$rustc" "$@" ;;
esac
