#!/usr/bin/env bash
# The SBF tier in one command, from a clean clone: builds staking_pool.so, mock_lending.so and
# the benchmark's floor_vault.so (scripts/build-sbf.sh, no platform-tools needed), then runs
# the whole test suite on them in Agave 4.2's VM through Mollusk (vm/suite: every file of
# tests/tests/ and app/tests/cluster_commands/, compiled against the harness's VM backend),
# then the compute-unit benchmark on the same VM bank, which prints its table and writes
# docs/compute-units.md.
# Exit status: 0 passed; 3 skipped (the toolchain cannot be set up here, and it says why);
# 4 the SBF build failed or timed out; 1 a VM test or a benchmark check failed or hung.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .sbf

echo "== building the .so files (log: .sbf/last-build.log)"
# 25 minutes for a cold toolchain and build; a timeout is reported as a build failure (4).
timeout 1500 bash scripts/build-sbf.sh > .sbf/last-build.log 2>&1
status=$?
grep -E '^(built|SBF tier skipped)' .sbf/last-build.log
case "$status" in
  0) ;;
  3) exit 3 ;;
  *) echo "SBF build failed (status $status); last lines:"; tail -n 25 .sbf/last-build.log; exit 4 ;;
esac

cd vm
echo "== VM harness lints"
cargo fmt --all -- --check || exit 1
cargo clippy --locked --workspace --all-targets -- -D warnings || exit 1
echo "== the whole suite in the VM (vm/suite; README: \"Run the tests\")"
# A hang here is a defect, not a skip: the timeouts fail the tier.
timeout 1800 cargo test --locked -p stakepool-tests || exit 1
echo "== compute-unit benchmark"
timeout 900 cargo run --locked --bin cu-bench || exit 1
