#!/usr/bin/env bash
# Builds target/deploy/staking_pool.so and target/deploy/mock_lending.so with upstream nightly
# Rust, LLVM 23 from PyPI and sbpf-linker from crates.io: no Solana platform-tools needed.
# Everything it downloads or builds lives under .sbf/ (ignored) and is reused.
# Exit status: 0 built, 3 skipped (the toolchain cannot be set up here; says why), other = failed.
# Users with platform-tools can run `anchor build` instead; it produces the same two files.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)  # physical, as cargo and rustc see it
sbf="$root/.sbf"
mkdir -p "$sbf" "$root/target/deploy"

skip() {
  echo "SBF tier skipped: $*"
  exit 3
}

# The nightly to build with: `nightly` unless SBF_TOOLCHAIN names another (to rebuild a
# deployment, use the one its build printed: `toolchain: rustc 1.97.0-nightly (… 2026-05-19)`
# is usually SBF_TOOLCHAIN=nightly-2026-05-20, the day after the commit date).
toolchain="+${SBF_TOOLCHAIN:-nightly}"
rustc "$toolchain" --version >/dev/null 2>&1 || skip "no $toolchain toolchain (rustup toolchain install ${toolchain#+})"
rustup component add rust-src --toolchain "${toolchain#+}" >/dev/null 2>&1 || skip "rust-src for nightly cannot be installed"
nightly_library="$(rustc "$toolchain" --print sysroot)/lib/rustlib/src/rust/library"

llvm_package="mlc-llvm-static[all]==23.1.1.post0"
if [ ! -f "$sbf/llvm-venv/.done" ]; then
  rm -rf "$sbf/llvm-venv"
  python3 -m venv "$sbf/llvm-venv" || skip "python3 -m venv is not available"
  "$sbf/llvm-venv/bin/pip" install -q "$llvm_package" || skip "LLVM 23 cannot be installed from PyPI"
  touch "$sbf/llvm-venv/.done"
fi
sdk=$(echo "$sbf"/llvm-venv/lib/python3*/site-packages/mlc_llvm_static/static)

if [ ! -x "$sbf/tools/bin/sbpf-linker" ]; then
  echo "building sbpf-linker 0.2.6 against LLVM 23 (a few minutes, once)"
  LLVM_PREFIX="$sdk" ZLIB_PATH="$sdk/lib" LIBZSTD_PATH="$sdk/lib" \
    CXXSTDLIB_PATH="$(dirname "$(g++ -print-file-name=libstdc++.a)")" \
    cargo +stable install sbpf-linker@0.2.6 --locked --no-default-features \
    --features bpf-linker/llvm-23,bpf-linker/llvm-link-static --root "$sbf/tools" \
    || skip "sbpf-linker cannot be built"
fi
export PATH="$sbf/tools/bin:$PATH"

# A patched copy of std's sources, made anew when the nightly or the patch changes (a new
# directory, so cargo rebuilds std from it). It lives inside the
# nightly's sysroot, beside its own rust-src, for reproducible builds: cargo hashes std's
# sources into every crate's metadata (and so into TypeIds and symbol order in the ELF) as
# a path relative to the sysroot, and as an absolute path (the checkout's directory) when
# they lie outside it. The copy is named after what it holds, so checkouts of one commit
# share it and other patches never meet it.
stamp="$(rustc "$toolchain" --version); patch $(sha256sum < scripts/sbf/patch_std.py | cut -c1-16)"
sysroot=$(rustc "$toolchain" --print sysroot)
std_library="$sysroot/lib/rustlib/src/stakepool-sbf-$(echo "$stamp" | sha256sum | cut -c1-16)/library"
if [ ! -f "$std_library/.done" ]; then
  rm -rf "$std_library.tmp"
  mkdir -p "$(dirname "$std_library")" 2>/dev/null \
    || skip "the toolchain's sysroot ($sysroot) is not writable, and std's patched copy must live there"
  cp -r "$nightly_library" "$std_library.tmp"
  python3 scripts/sbf/patch_std.py "$std_library.tmp"
  touch "$std_library.tmp/.done"
  mv "$std_library.tmp" "$std_library"
fi

python3 - "$sbf/bpfel-solana.json" "$toolchain" <<'PY'
import json, subprocess, sys
spec = json.loads(subprocess.check_output(
    ["rustc", sys.argv[2], "-Z", "unstable-options", "--print", "target-spec-json", "--target", "bpfel-unknown-none"]))
spec.update({"os": "zkvm", "vendor": "solana", "atomic-cas": True})
spec.pop("min-atomic-width", None)
spec["metadata"]["std"] = True
open(sys.argv[1], "w").write(json.dumps(spec, indent=2))
PY

# The programs inherit their dependencies from sbf/Cargo.toml here (see the loop below), from
# the root Cargo.toml in the stable build: the two must say the same.
workspace_dependencies() { sed -n '/^\[workspace.dependencies\]/,/^\[/{/^[a-z]/p}' "$1"; }
if [ "$(workspace_dependencies Cargo.toml)" != "$(workspace_dependencies sbf/Cargo.toml)" ]; then
  echo "[workspace.dependencies] differ between Cargo.toml and sbf/Cargo.toml; make them the same" >&2
  exit 1
fi

# SBPF v3 by default (contiguous stack frames: upstream LLVM passes a sixth argument on the
# caller's frame, which v0's gapped frames forbid); `SBPF_VERSION=v0` for older clusters.
sbpf_version="${SBPF_VERSION:-v3}"
rustflags=(
  -C linker=sbpf-linker -C relocation-model=static
  -C target-feature=+allows-misaligned-mem-access
  -C link-arg=--llvm-args=--bpf-stack-size=4096
  -C link-arg=--llvm-args=--bpf-max-stores-per-memfunc=5
  -C link-arg=--llvm-args=--disable-bswap
  --cfg 'target_os="solana"' -A explicit_builtin_cfgs_in_flags
  -Z unstable-options  # the custom target found by name (RUST_TARGET_PATH, below)
)
case "$sbpf_version" in
  v0) rustflags+=(-C target-cpu=v2 -C link-arg=--arch=v0) ;;
  v3) rustflags+=(-C target-cpu=v4 -C link-arg=--llvm-args=--disable-gotox
        -C link-arg=--llvm-args=--disable-ldsx -C link-arg=--llvm-args=--disable-movsx) ;;
  *) echo "SBPF_VERSION must be v0 or v3" >&2; exit 1 ;;
esac
built=()
# The two programs and the benchmark's floor program (vm/floor-vault), each through its handle
# crate in sbf/.
for entry in staking-pool:staking-pool-sbf mock-lending:mock-lending-sbf floor-vault:floor-vault-sbf; do
  program=${entry%%:*}
  package=${entry##*:}
  # One package per cargo run: building both together would unify mock-lending's features
  # (the pool uses it with `cpi`, i.e. without an entrypoint).
  (
    cd "$root/sbf"
    # The flags encoded (one per \x1f-separated field), so a path with a space stays one flag.
    # Reproducible: cargo hashes each crate's source into its metadata (and so into TypeIds
    # and symbol order), as a path relative to the workspace root when the source is inside
    # it and as an absolute path when not. So the programs are reached through sbf/.root (a
    # link to the repository root), and std's copy sits in the sysroot (above).
    RUST_TARGET_PATH="$sbf" __CARGO_TESTS_ONLY_SRC_ROOT="$std_library" CARGO_ENCODED_RUSTFLAGS="$(IFS=$'\x1f'; echo "${rustflags[*]}")" \
      cargo "$toolchain" build --release -p "$package" \
      -Z build-std=std,panic_abort -Z json-target-spec -Z trim-paths \
      --target bpfel-solana --target-dir "$sbf/target"
  )
  name=${program//-/_}
  found="$sbf/target/bpfel-solana/release/deps/lib$name.so"
  [ -f "$found" ] || found=$(find "$root/sbf" "$sbf/target" -name "$name.so" -newer "$sbf/bpfel-solana.json" 2>/dev/null | head -1)
  [ -n "$found" ] || { echo "no $name.so was produced" >&2; exit 1; }
  cp "$found" "$root/target/deploy/$name.so"
  # sbpf-linker also leaves a copy in target/deploy/ under the directory it ran in.
  rm -rf "$root/programs/$program/target" "$root/vm/$program/target"
  echo "built target/deploy/$name.so (SBPF $sbpf_version, $(stat -c %s "$root/target/deploy/$name.so") bytes)"
  built+=("$name.so")
done
# What the bytes depend on besides the commit, then the bytes' hashes (compare them with
# `sha256sum target/deploy/*.so` of another build, or with `solana program dump`'s file).
echo "toolchain: $(rustc "$toolchain" --version); $(sbpf-linker --version | paste -sd' '); LLVM from $llvm_package"
(cd "$root/target/deploy" && sha256sum "${built[@]}")
