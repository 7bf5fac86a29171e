#!/usr/bin/env bash
# usage: scripts/sbf/copy-checkout.sh DEST
# Makes DEST a copy of this checkout's files as they are (committed or not, without what git
# ignores), for a build that must not touch the checkout: the reproducibility check's second
# build, the deploy test's own program ids. A previous copy's files are replaced (its build
# outputs, target/ and .sbf/target, are kept for reuse); the SBF toolchain is linked, not
# copied (it is not part of any output).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd -P)
dest=$1
mkdir -p "$dest/.sbf"
find "$dest" -mindepth 1 -maxdepth 1 ! -name target ! -name .sbf -exec rm -rf {} +
find "$dest/.sbf" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
(cd "$root" && git ls-files -co --exclude-standard -z | tar -c --null --ignore-failed-read -T - 2>/dev/null) | tar -x -C "$dest"
ln -s "$root/.sbf/llvm-venv" "$dest/.sbf/llvm-venv"
ln -s "$root/.sbf/tools" "$dest/.sbf/tools"
