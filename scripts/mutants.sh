#!/usr/bin/env bash
# Mutation testing of the pure core: every mutant cargo-mutants makes of the reward math
# (rewards.rs), the lending allocation (allocation.rs) and the mock market's exchange rate
# (exchange_rate.rs) must be killed by the programs' own unit tests, or be listed in
# scripts/mutants-equivalent.txt with the reason it cannot change behaviour.
# Exit status: 0 every mutant killed or explained; 1 a survivor nobody explained (or the tool
# failed); 3 skipped (cargo-mutants is not installed, and how to get it is printed).
set -uo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "mutation testing SKIPPED: cargo-mutants is not installed (cargo install cargo-mutants --locked)"
  exit 3
fi
cargo mutants --version

out=$(mktemp -d)
# A mutant that fails a property test is the point, not a regression to keep.
export PROPTEST_DISABLE_FAILURE_PERSISTENCE=1
# In place: the tree's own target/ is reused (a copy would build the Solana stack again);
# each mutation is reverted before the next, and the tree is left as it was.
cargo mutants --in-place --no-shuffle --output "$out" \
  -f programs/staking-pool/src/rewards.rs \
  -f programs/staking-pool/src/allocation.rs \
  -f programs/mock-lending/src/exchange_rate.rs \
  -- --lib
status=$?
missed="$out/mutants.out/missed.txt"
caught=$(wc -l < "$out/mutants.out/caught.txt" 2>/dev/null || echo 0)
unviable=$(wc -l < "$out/mutants.out/unviable.txt" 2>/dev/null || echo 0)
timeouts=$(wc -l < "$out/mutants.out/timeout.txt" 2>/dev/null || echo 0)
survivors=$(wc -l < "$missed" 2>/dev/null || echo 0)
echo "mutants: $caught caught, $survivors survived, $timeouts timed out, $unviable unviable"
# 0: all caught; 2: some missed (judged below); anything else: the tool itself failed.
case "$status" in
  0|2) ;;
  *) echo "cargo-mutants failed (status $status)"; exit 1 ;;
esac
# A survivor is judged without its line and column, so the list survives unrelated edits.
unexplained=0
if [ -s "$missed" ]; then
  while IFS= read -r line; do
    key=$(echo "$line" | sed -E 's/:[0-9]+:[0-9]+:/:/')
    if grep -Fq -- "$key" scripts/mutants-equivalent.txt; then
      echo "equivalent (explained): $key"
    else
      echo "SURVIVED, not explained: $line"
      unexplained=$((unexplained + 1))
    fi
  done < "$missed"
fi
rm -rf "$out"
[ "$unexplained" -eq 0 ] || exit 1
echo "mutation testing: every mutant of the pure core is killed or explained as equivalent"
