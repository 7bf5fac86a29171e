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
    if d >> 64 == 0 {
        // The pool's divisors (SCALE, bps × seconds per year) all fit 64 bits: two 128/64
        // steps of schoolbook division instead of a bit loop.
        let d = d as u64;
        let (n1, n0) = ((n >> 64) as u64, n as u64);
        let (q0, r) = div_wide(n1 % d, n0, d);
        return ((u128::from(n1 / d) << 64) | u128::from(q0), u128::from(r));
    }
    // Shift-subtract over the quotient's possible bits only (bits(n) − bits(d) + 1 steps, not
    // 128): the pool divides ~90-bit products by ~40-bit constants, so this is ~50 steps.
    let shift = d.leading_zeros() - n.leading_zeros();
    let mut divisor = d << shift;
    let mut quotient = 0u128;
    let mut remainder = n;
    let mut bit = shift + 1;
    while bit > 0 {
        bit -= 1;
        if remainder >= divisor {
            remainder -= divisor;
            quotient |= 1u128 << bit;
        }
        divisor >>= 1;
    }
    (quotient, remainder)
}

/// `(u1·2⁶⁴ + u0) / v` and its remainder, for `u1 < v` (so the quotient fits 64 bits):
/// Hacker's Delight `divlu` on 32-bit digits, using only 64-bit divides and multiplies, which
/// the BPF backend lowers inline.
#[inline(always)]
fn div_wide(u1: u64, u0: u64, v: u64) -> (u64, u64) {
    const B: u64 = 1 << 32;
    let s = v.leading_zeros();
    let v = v << s;
    let (vn1, vn0) = (v >> 32, v & (B - 1));
    let un32 = if s == 0 {
        u1
    } else {
        (u1 << s) | (u0 >> (64 - s))
    };
    let un10 = u0 << s;
    let (un1, un0) = (un10 >> 32, un10 & (B - 1));
    let q1 = digit(un32, un1, vn1, vn0);
    let un21 = (un32 << 32)
        .wrapping_add(un1)
        .wrapping_sub(q1.wrapping_mul(v));
    let q0 = digit(un21, un0, vn1, vn0);
    let r = (un21 << 32)
        .wrapping_add(un0)
        .wrapping_sub(q0.wrapping_mul(v))
        >> s;
    ((q1 << 32) | q0, r)
}

/// One 32-bit quotient digit of `(top·2³² + next) / (vn1·2³² + vn0)`: the estimate from the
/// top digits is at most two too large and corrected here; `q ≥ B` is tested first so
/// `q × vn0` fits in 64 bits.
#[inline(always)]
fn digit(top: u64, next: u64, vn1: u64, vn0: u64) -> u64 {
    const B: u64 = 1 << 32;
    let mut q = top / vn1;
    let mut rhat = top - q * vn1;
    while q >= B || q * vn0 > (rhat << 32) + next {
        q -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    q
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
    fn quotients_by_64_bit_divisors_match_native() {
        let mut divisors: Vec<u128> = samples()
            .into_iter()
            .map(|d| d >> 64 ^ d & u128::from(u64::MAX))
            .filter(|&d| d != 0)
            .collect();
        for bit in [31, 32, 33, 62, 63] {
            divisors.extend([(1u128 << bit) - 1, 1 << bit, (1 << bit) + 1]);
        }
        // The largest dividends each divisor allows in one step (high word d − 1, low word all
        // ones): the digit estimates need their full correction here.
        for d in [
            (1u128 << 32) + 1,
            1 << 63,
            (1 << 63) + 1,
            u128::from(u64::MAX),
        ] {
            let n = ((d - 1) << 64) | u128::from(u64::MAX);
            assert_eq!(udivmod(n, d), (n / d, n % d), "{n} / {d}");
        }
        for &n in samples().iter().take(400) {
            for &d in &divisors {
                assert_eq!(udivmod(n, d), (n / d, n % d), "{n} / {d}");
            }
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
