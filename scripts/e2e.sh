#!/usr/bin/env bash
# End-to-end on a real solana-test-validator, in two parts:
# - migrations/tests/e2e_validator.rs: the test starts the validator itself on 127.0.0.1 with
#   both .so files preloaded and a temporary ledger, runs the migrations twice, then the
#   stakepool CLI over JSON-RPC (priority fees, discovery, a sign-only admin change), and
#   stops it;
# - scripts/e2e-deploy.sh: README's deploy path as a devnet user walks it (own ids, build,
#   `solana program deploy`, migrations, stake, upgrade, `solana program show`).
# Exit status: 0 passed; 3 skipped (what is missing is named); other = failed.
set -uo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "End-to-end tier SKIPPED: $*"
  exit 3
}

for tool in solana-test-validator solana solana-keygen; do
  command -v "$tool" >/dev/null 2>&1 \
    || skip "$tool is not on PATH (README: \"Run on a local validator\", step 1, says how to get it)"
done
for so in staking_pool mock_lending; do
  [ -f "target/deploy/$so.so" ] || skip "target/deploy/$so.so is missing (bash scripts/build-sbf.sh, or anchor build)"
done
solana-test-validator --version
solana --version

# The same command as the suite, so nothing rebuilds; it also builds target/debug/stakepool.
cargo test --workspace --locked --no-run || exit 1
cargo test --workspace --locked --test e2e_validator || exit 1
echo "end-to-end, part 1 (migrations and the CLI): passed"
bash scripts/e2e-deploy.sh
