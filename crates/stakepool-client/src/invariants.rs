//! SPEC.md §2 invariants over a snapshot of a pool's accounts. The simulator prints them at
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
    let principal = u128::from(pool.total_staked) + u128::from(pool.total_unbonding);
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
        checks.push(check(
            "lent principal is backed by the receipt",
            value >= pool.lent_principal,
            format!("receipt worth {value} ≥ lent {}", pool.lent_principal),
        ));
    }

    let staked: u128 = books.positions.iter().map(|p| u128::from(p.staked)).sum();
    let unbonding: u128 = books
        .positions
        .iter()
        .map(|p| u128::from(p.unbonding))
        .sum();
    checks.push(check(
        "positions sum to the pool's principal",
        staked == u128::from(pool.total_staked) && unbonding == u128::from(pool.total_unbonding),
        format!(
            "Σ staked {staked} / unbonding {unbonding} vs pool {} / {}",
            pool.total_staked, pool.total_unbonding
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
