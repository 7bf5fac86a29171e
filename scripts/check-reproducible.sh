#!/usr/bin/env bash
# Proves the SBF build reproducible: builds this checkout's .so files a second time from
# another directory (another path, another length) and compares the sha256 of each with the
# files in target/deploy/, which scripts/build-sbf.sh must have built first. It also checks
# that no host path (this checkout's, the other's, the cargo home's) is left in any ELF.
# Exit status: 0 identical; 3 skipped (no first build to compare with); other = they differ.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
programs=(staking_pool mock_lending floor_vault)

for so in "${programs[@]}"; do
  [ -f "target/deploy/$so.so" ] || { echo "reproducibility check SKIPPED: target/deploy/$so.so is missing (bash scripts/build-sbf.sh first)"; exit 3; }
done

scratch=$(mktemp -d /tmp/stakepool-second-build.XXXXXX)
other="$scratch/another/checkout"
mkdir -p "$other/.sbf"
# The checkout's files as they are (committed or not), without its build outputs.
git ls-files -co --exclude-standard -z | tar -c --null -T - | tar -x -C "$other"
# The toolchain is shared (it is not part of the output); std's sources and the target
# directory are the second build's own.
ln -s "$root/.sbf/llvm-venv" "$other/.sbf/llvm-venv"
ln -s "$root/.sbf/tools" "$other/.sbf/tools"

echo "second build, from $other"
(cd "$other" && bash scripts/build-sbf.sh) > "$scratch/build.log" 2>&1 \
  || { tail -n 20 "$scratch/build.log"; echo "the second build failed (kept in $other)"; exit 1; }

status=0
cargo_home=$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)
for so in "${programs[@]}"; do
  first=$(sha256sum < "target/deploy/$so.so" | cut -d' ' -f1)
  second=$(sha256sum < "$other/target/deploy/$so.so" | cut -d' ' -f1)
  if [ "$first" = "$second" ]; then
    echo "$so.so: identical, sha256 $first"
  else
    echo "$so.so: DIFFERS: $first here, $second from $other"
    status=1
  fi
  for path in "$root" "$other" "$cargo_home" "$HOME"; do
    if grep -qaF "$path" "target/deploy/$so.so" "$other/target/deploy/$so.so"; then
      echo "$so.so names the host path $path"
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
