#!/usr/bin/env python3
"""Patches a copy of the nightly's `library/` so `std` builds for SBF (see
scripts/build-sbf.sh, which runs it): an 8-byte minimum allocation alignment for BPF,
std marked supported for the `solana` vendor, and fixed hash keys (Anchor builds a HashMap; the
thread-local key cache is a writable static the linker cannot place)."""
import pathlib
import sys

library = pathlib.Path(sys.argv[1])


def patch(relative, old, new):
    path = library / relative
    text = path.read_text()
    if new in text:
        return
    if old not in text:
        sys.exit(f"patch_std: cannot find the expected code in {relative}; this nightly differs")
    path.write_text(text.replace(old, new, 1))


patch("std/src/sys/alloc/mod.rs", '    target_arch = "xtensa",\n)) {\n    8', '    target_arch = "xtensa",\n    target_arch = "bpf",\n)) {\n    8')
patch("std/build.rs", '        || target_os == "zkvm"', '        || target_os == "zkvm"\n        || target_vendor == "solana"')
patch(
    "std/src/hash/random.rs",
    "    pub fn new() -> RandomState {\n",
    "    pub fn new() -> RandomState {\n"
    "        #[cfg(target_vendor = \"solana\")]\n"
    "        return RandomState { k0: 0x736f_6d65_7073_6575, k1: 0x646f_7261_6e64_6f6d };\n"
    "        #[allow(unreachable_code)]\n",
)
