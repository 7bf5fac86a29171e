//! The pool's invariants (docs/invariants.md) over a snapshot of its accounts. The simulator prints them at
//! the end of a run; the test suite asserts them after every step.
use crate::projection;
use staking_pool::rewards::Owed;
use staking_pool::state::{Pool, Position};

/// Everything the invariants look at, read at one moment.
#[derive(Clone, Debug)]
pub struct Books {
    pub pool: Pool,
    pub positions: Vec<Position>,
    pub vault: u64,
    pub reward_vault: u64,
    /// What the pool's receipt in its lending market is worth, when it lends.
    pub receipt_value: Option<u64>,
    /// A loss the market shows that the pool has not recognised yet
    /// (`allocation::unrecognised_loss`); zero when none.
    pub pending_loss: u64,
    /// One market share's rounding at the rate the market pays (`allocation::share_rounding`):
    /// the program reads a gap this small between lent principal and the receipt as rounding,
    /// not a loss to write off (`allocation::unrecognised_loss`). Zero without a market.
    pub share_rounding: u64,
    /// Σ of every token account of the mint, and the mint's supply.
    pub tokens_total: u128,
    pub supply: u64,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub holds: bool,
    pub detail: String,
}

fn check(name: &'static str, holds: bool, detail: String) -> Check {
    Check {
        name,
        holds,
        detail,
    }
}

pub fn check_all(books: &Books) -> Vec<Check> {
    let pool = &books.pool;
    let principal = u128::from(pool.total_principal().unwrap_or(u64::MAX));
    let backing = u128::from(books.vault) + u128::from(pool.lent_principal);
    let mut checks = vec![check(
        "principal is backed",
        backing >= principal,
        format!(
            "vault {} + lent {} ≥ principal {principal}",
            books.vault, pool.lent_principal
        ),
    )];
    if let Some(value) = books.receipt_value {
        // A loss the market shows is the pool's to recognise (the next instruction that reads
        // the market does); once recognised, idle plus what the receipt pays covers every
        // share's written-down worth. A gap within one share's rounding is not a loss: the
        // program cannot tell a market's loss that small from rounding.
        let pending = books.pending_loss;
        let rounding = books.share_rounding;
        checks.push(check(
            "lent principal is backed by the receipt, but for a loss not yet recognised",
            u128::from(value) + u128::from(pending) + u128::from(rounding)
                >= u128::from(pool.lent_principal),
            format!(
                "receipt worth {value} + unrecognised loss {pending} + one share's rounding {rounding} ≥ lent {}",
                pool.lent_principal
            ),
        ));
        checks.push(check(
            "idle plus the receipt cover principal once a loss is recognised",
            pending > 0
                || u128::from(books.vault) + u128::from(value) + u128::from(rounding) >= principal,
            format!(
                "vault {} + receipt {value} + one share's rounding {rounding} ≥ principal {principal} (unrecognised loss {pending})",
                books.vault
            ),
        ));
    }

    let staked: u128 = books
        .positions
        .iter()
        .map(|p| u128::from(p.staked_shares))
        .sum();
    let unbonding: u128 = books
        .positions
        .iter()
        .map(|p| u128::from(p.unbonding_shares))
        .sum();
    let worth: u128 = books
        .positions
        .iter()
        .map(|p| u128::from(pool.principal_value(p.shares().unwrap_or(u64::MAX))))
        .sum();
    checks.push(check(
        "positions sum to the pool's principal",
        staked == u128::from(pool.total_staked_shares)
            && unbonding == u128::from(pool.total_unbonding_shares)
            && worth <= principal,
        format!(
            "Σ shares staked {staked} / unbonding {unbonding} vs pool {} / {}; Σ worth {worth} ≤ {principal}",
            pool.total_staked_shares, pool.total_unbonding_shares
        ),
    ));

    let liability = projection::liability_at(pool, books.now);
    let owed = books.positions.iter().try_fold(Owed::ZERO, |sum, p| {
        sum.checked_add(projection::owed_at(pool, p, books.now)?)
    });
    checks.push(check(
        "O(1) liability equals Σ owed",
        liability.is_some() && liability == owed,
        match (liability, owed) {
            (Some(l), Some(o)) => format!(
                "pool {}+{}e-18 = Σ positions {}+{}e-18",
                l.units, l.frac, o.units, o.frac
            ),
            _ => "overflow".to_string(),
        },
    ));

    let funded = u128::from(pool.total_rewards_funded) + u128::from(pool.total_interest_harvested);
    checks.push(check(
        "rewards paid ≤ funded + harvested",
        u128::from(pool.total_rewards_paid) <= funded,
        format!("paid {} ≤ {funded}", pool.total_rewards_paid),
    ));
    let books_balance = pool.reward_balance();
    checks.push(check(
        "reward vault holds its books",
        books_balance.is_some_and(|b| books.reward_vault >= b),
        format!(
            "reward vault {} ≥ books {}",
            books.reward_vault,
            books_balance.map_or("overflow".into(), |b| b.to_string())
        ),
    ));
    checks.push(check(
        "no token created or destroyed",
        books.tokens_total == u128::from(books.supply),
        format!(
            "Σ token accounts {} = supply {}",
            books.tokens_total, books.supply
        ),
    ));
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Books of a pool owing `principal`, `lent` of it lent, whose receipt is worth `receipt`.
    fn books(principal: u64, lent: u64, receipt: u64, pending_loss: u64) -> Books {
        let mut pool: Pool = bytemuck::Zeroable::zeroed();
        pool.principal = principal;
        pool.lent_principal = lent;
        Books {
            pool,
            positions: Vec::new(),
            vault: principal - lent,
            reward_vault: 0,
            receipt_value: Some(receipt),
            pending_loss,
            share_rounding: 2,
            tokens_total: 0,
            supply: 0,
            now: 0,
        }
    }

    fn holds(books: &Books, name: &str) -> bool {
        check_all(books)
            .into_iter()
            .find(|c| c.name == name)
            .expect("a check of that name")
            .holds
    }

    const RECEIPT_BACKS_LENT: &str =
        "lent principal is backed by the receipt, but for a loss not yet recognised";
    const IDLE_AND_RECEIPT_COVER: &str =
        "idle plus the receipt cover principal once a loss is recognised";

    #[test]
    fn a_gap_within_one_shares_rounding_is_not_a_loss() {
        let b = books(1_000, 500, 498, 0);
        assert!(holds(&b, RECEIPT_BACKS_LENT));
        assert!(holds(&b, IDLE_AND_RECEIPT_COVER));
    }

    #[test]
    fn a_larger_gap_holds_only_as_an_unrecognised_loss() {
        let unrecognised = books(1_000, 500, 497, 0);
        assert!(!holds(&unrecognised, RECEIPT_BACKS_LENT));
        assert!(!holds(&unrecognised, IDLE_AND_RECEIPT_COVER));
        let pending = books(1_000, 500, 497, 3);
        assert!(holds(&pending, RECEIPT_BACKS_LENT));
        assert!(holds(&pending, IDLE_AND_RECEIPT_COVER));
    }
}
