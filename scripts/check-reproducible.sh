#!/usr/bin/env bash
# Proves the SBF build reproducible: builds this checkout's .so files a second time from
# another directory (another path, another length) and compares the sha256 of each with the
# files in target/deploy/, which scripts/build-sbf.sh must have built first. It also checks
# that no host path (either checkout's, the cargo home's, the toolchain's sysroot, the home
# directory) is left in any ELF. Both builds share the cargo home and the toolchain, so those
# two are checked by that search only, not varied.
# Exit status: 0 identical; 3 skipped (no first build to compare with); 4 the second build
# failed or timed out (reported, not a verdict); other = the bytes differ.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

[ -f target/deploy/staking_pool.so ] && [ -f target/deploy/mock_lending.so ] \
  || { echo "reproducibility check SKIPPED: target/deploy/*.so are missing (bash scripts/build-sbf.sh first)"; exit 3; }

scratch=$(mktemp -d /tmp/stakepool-second-build.XXXXXX)
other="$scratch/another/checkout"
bash scripts/sbf/copy-checkout.sh "$other"

echo "second build, from $other"
if ! (cd "$other" && timeout 1500 bash scripts/build-sbf.sh) > "$scratch/build.log" 2>&1; then
  tail -n 20 "$scratch/build.log"
  echo "the second build failed or timed out (kept in $other)"
  exit 4
fi

status=0
cargo_home=$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)
sysroot=$(rustc +"${SBF_TOOLCHAIN:-nightly}" --print sysroot)
# Every file the second build wrote (build-sbf.sh's list), against the first build's.
for built in "$other"/target/deploy/*.so; do
  so=$(basename "$built")
  first=$(sha256sum < "target/deploy/$so" | cut -d' ' -f1)
  second=$(sha256sum < "$built" | cut -d' ' -f1)
  if [ "$first" = "$second" ]; then
    echo "$so: identical, sha256 $first"
  else
    echo "$so: DIFFERS: $first here, $second from $other"
    status=1
  fi
  for path in "$root" "$other" "$cargo_home" "$sysroot" "$HOME"; do
    if grep -qaF "$path" "target/deploy/$so" "$built"; then
      echo "$so names the host path $path"
      status=1
    fi
  done
done
if [ $status -eq 0 ]; then
  rm -rf "$scratch"
else
  echo "the second build is kept in $other for a look (diffoscope, cmp -l)"
fi
exit $status
