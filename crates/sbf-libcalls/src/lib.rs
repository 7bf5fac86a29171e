//! 128-bit integer libcalls for the SBF build.
//!
//! LLVM 23's BPF backend calls `__multi3`, `__udivti3`, `__umodti3`, `__divti3` and
//! `__modti3` as `i128 f(i128, i128)` in registers, while this nightly compiles its own copies
//! with a hidden return pointer (they crash: "Access violation writing 8 bytes"). These
//! definitions use the `unadjusted` ABI so Rust passes exactly what LLVM expects, and use only
//! 64-bit multiplies and 128-bit add/shift/compare, which the backend lowers inline. The same
//! functions are tested on the host against native `u128` (part of `cargo test --workspace`).
#![cfg_attr(target_arch = "bpf", feature(abi_unadjusted))]
#![allow(clippy::missing_safety_doc)]

#[cfg(target_arch = "bpf")]
pub use solana_compiler_builtins as _;

/// 64 × 64 → 128 bits from 32-bit limbs (a widening multiply would itself call `__multi3`).
#[inline(always)]
pub fn widening_mul(a: u64, b: u64) -> u128 {
    let (a0, a1) = (a & 0xffff_ffff, a >> 32);
    let (b0, b1) = (b & 0xffff_ffff, b >> 32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let middle = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
    let lo = (p00 & 0xffff_ffff) | (middle << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    (u128::from(hi) << 64) | u128::from(lo)
}

/// Wrapping 128-bit product.
#[inline(always)]
pub fn mul(a: u128, b: u128) -> u128 {
    let (a0, a1) = (a as u64, (a >> 64) as u64);
    let (b0, b1) = (b as u64, (b >> 64) as u64);
    let cross = a0.wrapping_mul(b1).wrapping_add(a1.wrapping_mul(b0));
    widening_mul(a0, b0).wrapping_add(u128::from(cross) << 64)
}

/// Quotient and remainder; a zero divisor gives (0, n) — callers check before dividing.
#[inline(always)]
pub fn udivmod(n: u128, d: u128) -> (u128, u128) {
    if d == 0 {
        return (0, n);
    }
    if n >> 64 == 0 && d >> 64 == 0 {
        let (n, d) = (n as u64, d as u64);
        return (u128::from(n / d), u128::from(n % d));
    }
    if d > n {
        return (0, n);
    }
    let mut quotient = 0u128;
    let mut remainder = 0u128;
    let mut bit = 128;
    while bit > 0 {
        bit -= 1;
        remainder = (remainder << 1) | ((n >> bit) & 1);
        if remainder >= d {
            remainder -= d;
            quotient |= 1u128 << bit;
        }
    }
    (quotient, remainder)
}

/// Signed quotient and remainder (truncating, like Rust's `/` and `%`).
pub fn sdivmod(a: i128, b: i128) -> (i128, i128) {
    let (q, r) = udivmod(a.unsigned_abs(), b.unsigned_abs());
    let q = if (a < 0) != (b < 0) {
        (q as i128).wrapping_neg()
    } else {
        q as i128
    };
    let r = if a < 0 {
        (r as i128).wrapping_neg()
    } else {
        r as i128
    };
    (q, r)
}

#[cfg(target_arch = "bpf")]
mod exports {
    #[no_mangle]
    pub extern "unadjusted" fn __multi3(a: i128, b: i128) -> i128 {
        super::mul(a as u128, b as u128) as i128
    }

    #[no_mangle]
    pub extern "unadjusted" fn __udivti3(n: u128, d: u128) -> u128 {
        super::udivmod(n, d).0
    }

    #[no_mangle]
    pub extern "unadjusted" fn __umodti3(n: u128, d: u128) -> u128 {
        super::udivmod(n, d).1
    }

    #[no_mangle]
    pub extern "unadjusted" fn __divti3(a: i128, b: i128) -> i128 {
        super::sdivmod(a, b).0
    }

    #[no_mangle]
    pub extern "unadjusted" fn __modti3(a: i128, b: i128) -> i128 {
        super::sdivmod(a, b).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<u128> {
        let mut v = vec![
            0,
            1,
            2,
            3,
            7,
            10,
            u64::MAX as u128,
            u64::MAX as u128 + 1,
            u128::MAX,
            u128::MAX - 1,
            1 << 100,
            1_000_000_000_000_000_000,
            31_536_000 * 10_000,
        ];
        let mut x: u128 = 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C834;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.push(x >> (x % 128));
        }
        v
    }

    #[test]
    fn products_match_native() {
        for &a in &samples() {
            for &b in samples().iter().take(60) {
                assert_eq!(mul(a, b), a.wrapping_mul(b), "{a} × {b}");
            }
            let (a0, b0) = (a as u64, (a >> 64) as u64);
            assert_eq!(widening_mul(a0, b0), u128::from(a0) * u128::from(b0));
        }
    }

    #[test]
    fn quotients_and_remainders_match_native() {
        for &n in &samples() {
            for &d in samples().iter().take(60).filter(|&&d| d != 0) {
                assert_eq!(udivmod(n, d), (n / d, n % d), "{n} / {d}");
                let (a, b) = (n as i128, d as i128);
                if !(a == i128::MIN && b == -1) {
                    assert_eq!(sdivmod(a, b), (a / b, a % b), "{a} / {b}");
                }
            }
        }
    }
}
