#!/usr/bin/env bash
# End-to-end on a real solana-test-validator (migrations/tests/e2e_validator.rs): the test
# starts the validator itself on 127.0.0.1 with both .so files preloaded and a temporary
# ledger, runs the migrations twice, then the stakepool CLI over JSON-RPC, and stops it.
# Exit status: 0 passed; 3 skipped (what is missing is named); other = failed.
set -uo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "End-to-end tier SKIPPED: $*"
  exit 3
}

command -v solana-test-validator >/dev/null 2>&1 \
  || skip "solana-test-validator is not on PATH (README: \"Run on a local validator\" says how to get it)"
for so in staking_pool mock_lending; do
  [ -f "target/deploy/$so.so" ] || skip "target/deploy/$so.so is missing (bash scripts/build-sbf.sh, or anchor build)"
done
solana-test-validator --version

# The same command as the suite, so nothing rebuilds; it also builds target/debug/stakepool.
cargo test --workspace --locked --no-run || exit 1
cargo test --workspace --locked --test e2e_validator
