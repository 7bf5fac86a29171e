#!/usr/bin/env bash
# Coverage-guided fuzzing of the model world (fuzz/): each input is a sequence of operations
# by depositors, a stranger in the market, the crank, a hostile admin within the notice rules
# and the market authority, on an SPL Token or Token-2022 mint, with the clock moving both
# ways, run against the programs built natively with coverage counters and checked against
# the model after every step (tests/src/model_world).
#
#   scripts/fuzz.sh run [SECONDS]    a session from the committed corpus (default 180 s);
#                                    a crash fails it and is left in target/fuzz/artifacts
#   scripts/fuzz.sh plant [SECONDS]  for each patch in fuzz/plants/: apply it, fuzz until the
#                                    first crash, timeout or oom (at most SECONDS, default
#                                    300), revert it; fails if a plant survives the session.
#                                    Run it after a clean `run`, which shows the corpus alone
#                                    breaks nothing.
#
# It uses the stable toolchain: libfuzzer-sys links libFuzzer (built with the C++ compiler)
# and scripts/fuzz/rustc-sancov.sh instruments the programs. Build output: target/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
root="$PWD"
export CARGO_TARGET_DIR="$root/target/fuzz"
export RUSTC_WRAPPER="$root/scripts/fuzz/rustc-sancov.sh"
binary="$CARGO_TARGET_DIR/release/model_world"

build() {
  (cd fuzz && cargo build --locked --release --bin model_world)
}

work="$CARGO_TARGET_DIR/corpus"
artifacts="$CARGO_TARGET_DIR/artifacts/"

# A scratch copy of the committed seed corpus (not fuzz/regressions: the suite replays those),
# and no artifacts from an earlier session.
prepare() {
  rm -rf "$work" "$artifacts"
  mkdir -p "$work" "$artifacts"
  cp fuzz/corpus/model_world/* "$work/"
}

# Runs libFuzzer for at most $1 seconds; prints its figures (the seed, to rerun a session with
# -seed=, and the final stats), not each new input. Returns libFuzzer's status: 0 when
# nothing broke within the time.
session() {
  "$binary" "$work" \
    -max_total_time="$1" -timeout=120 -rss_limit_mb=6144 -max_len=2048 \
    -artifact_prefix="$artifacts" -print_final_stats=1 -close_fd_mask=1 2>&1 \
    | grep --line-buffered -vE '^(#[0-9]+\s+(NEW|REDUCE|pulse)|INFO: Running with)'
  return "${PIPESTATUS[0]}"
}

# What libFuzzer left in the artifacts directory: crash, timeout or oom (empty if nothing).
found() {
  find "$artifacts" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
    | sed 's|.*/||; s|-.*||' | sort -u | tr '\n' ' '
}

case "$mode" in
  run)
    build
    prepare
    status=0
    session "${2:-180}" || status=$?
    if [ "$status" -ne 0 ]; then
      echo "fuzzing FAILED (libFuzzer status $status; found: $(found)); the input is in $artifacts" >&2
      exit 1
    fi
    ;;
  plant)
    seconds="${2:-300}"
    survived=0
    for plant in fuzz/plants/*.patch; do
      echo "-- plant $(basename "$plant" .patch): $(sed -n '/^# /s/^# //p' "$plant" | tr '\n' ' ')"
      git apply "$plant"
      trap 'git apply -R "$plant"' EXIT
      build
      prepare
      start=$(date +%s)
      status=0
      session "$seconds" || status=$?
      kinds=$(found)
      if [ "$status" -ne 0 ] && [ -n "$kinds" ]; then
        echo "plant $(basename "$plant" .patch) caught after $(( $(date +%s) - start )) s (${kinds% })"
      elif [ "$status" -ne 0 ]; then
        echo "plant $(basename "$plant" .patch): libFuzzer failed (status $status) without an input to show" >&2
        survived=1
      else
        echo "plant $(basename "$plant" .patch) SURVIVED ${seconds} s of fuzzing" >&2
        survived=1
      fi
      git apply -R "$plant"
      trap - EXIT
    done
    exit "$survived"
    ;;
  *)
    echo "usage: scripts/fuzz.sh run [SECONDS] | plant [SECONDS]" >&2
    exit 2
    ;;
esac
