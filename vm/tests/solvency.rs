//! Lending solvency in the real VM (SBF build): the market stranger of review finding 1, the
//! two-step `recall_all` of finding 2, and (finding 7) the 128-bit arithmetic of the SBF
//! build's own libcalls at the edges: a u64-scale stake over a century, and a u128 overflow
//! reaching its named error.
use anchor_lang::error::ERROR_CODE_OFFSET;
use mock_lending::errors::LendingError;
use stakepool_sdk::{instructions, lending_instructions};
use stakepool_vm::world::{open_limits, User, World, TOKEN};
use stakepool_vm::{events, Outcome};
use staking_pool::constants::MAX_APR_BPS;
use staking_pool::events::{Rebalanced, RecalledAll, Withdrawn};
use staking_pool::state::PoolLimits;

const DAY: i64 = 24 * 60 * 60;
const YEAR: i64 = 365 * DAY;

#[track_caller]
fn assert_lending_refused(outcome: &Outcome, expected: LendingError) {
    assert_eq!(
        outcome.custom_code(),
        Some(ERROR_CODE_OFFSET + expected as u32),
        "expected {expected:?}, got {:?}\n{}",
        outcome.error,
        outcome.logs.join("\n")
    );
}

/// A pool with a 20 % reserve on an 800 bps market nobody funds, Alice's 100,000 staked and
/// 80,000 of it lent.
fn lent_pool() -> (World, User) {
    let limits = PoolLimits {
        reserve_bps: 2_000,
        ..open_limits()
    };
    let mut world = World::new(1_000, limits).with_market(800);
    world.fund_rewards(10_000 * TOKEN);
    let alice = world.user(100_000 * TOKEN);
    world.stake(&alice, 100_000 * TOKEN);
    let sent = world.send(&instructions::rebalance(&world.keys), "rebalance");
    let event: Rebalanced = events::one(&sent.logs);
    assert_eq!(event.lent_principal, 80_000 * TOKEN);
    assert_eq!(event.market_deficit, 0);
    (world, alice)
}

/// A depositor of the market itself with `amount` tokens in it.
fn market_depositor(world: &mut World, amount: u64) -> User {
    let user = world.user(amount);
    let open = lending_instructions::open_receipt(&world.market, &user.owner, &user.owner);
    world.send(&open, "open_receipt");
    let deposit = lending_instructions::deposit(&world.market, &user.owner, &user.token, amount);
    world.send(&deposit, "market deposit");
    user
}

#[test]
fn a_stranger_in_the_market_gets_back_what_she_put_in_and_no_more() {
    let (mut world, alice) = lent_pool();
    let mallory = market_depositor(&mut world, 80_000 * TOKEN);
    world.svm.advance(YEAR);

    let greedy = lending_instructions::withdraw(
        &world.market,
        &mallory.owner,
        &mallory.token,
        86_400 * TOKEN,
    );
    assert_lending_refused(&world.svm.send(&greedy), LendingError::InsufficientShares);
    let fair = lending_instructions::withdraw(
        &world.market,
        &mallory.owner,
        &mallory.token,
        80_000 * TOKEN,
    );
    world.send(&fair, "market withdraw");
    assert_eq!(world.balance(&mallory.token), 80_000 * TOKEN);

    let exit = instructions::withdraw(&world.keys, &alice.owner, &alice.token, 100_000 * TOKEN);
    let sent = world.send(&exit, "withdraw");
    let event: Withdrawn = events::one(&sent.logs);
    assert_eq!(event.recalled, 80_000 * TOKEN);
    assert_eq!(event.recall_cost, 0, "the market pays exactly 1.0 a share");
    assert_eq!(event.paid, 100_000 * TOKEN);
    assert_eq!(world.balance(&alice.token), 100_000 * TOKEN);
    assert_eq!(world.pool().lent_principal, 0);
}

#[test]
fn an_unbacked_market_is_left_and_recall_all_takes_only_backed_interest() {
    let (mut world, _alice) = lent_pool();
    world.svm.advance(YEAR);
    let unbacked = lending_instructions::simulate_unbacked_index(&world.market, &world.admin, true);
    world.send(&unbacked, "simulate_unbacked_index");
    world.fund_market_interest(2_000 * TOKEN);

    // recall_all: principal first, then only the 2,000 the market holds above it (the 4,400
    // of the index nobody funded stays in the receipt).
    let recall = instructions::recall_all(&world.keys, &world.admin);
    let sent = world.send(&recall, "recall_all");
    let event: RecalledAll = events::one(&sent.logs);
    assert_eq!(event.principal, 80_000 * TOKEN);
    assert_eq!(event.lent_principal, 0);
    assert!(
        (2_000 * TOKEN - 2..=2_000 * TOKEN).contains(&event.interest),
        "{}",
        event.interest
    );
    assert_eq!(world.balance(&world.keys.vault), 100_000 * TOKEN);
    assert_eq!(world.pool().total_interest_harvested, event.interest);

    // The deficit stays, so rebalance lends nothing into this market, and says why.
    let sent = world.send(&instructions::rebalance(&world.keys), "rebalance");
    let event: Rebalanced = events::one(&sent.logs);
    assert_eq!(event.lent_delta, 0);
    assert!(
        event.market_deficit > 4_000 * TOKEN,
        "{}",
        event.market_deficit
    );
    assert_eq!(world.pool().lent_principal, 0);
}

#[test]
fn a_u64_scale_stake_at_the_maximum_apr_leaves_after_a_century() {
    let mut world = World::new(MAX_APR_BPS, open_limits());
    // The admin holds 1e18 base units; the whale stakes most of them.
    let stake = 900_000_000 * TOKEN;
    let whale = world.user(stake);
    world.stake(&whale, stake);
    world.svm.advance(100 * YEAR);
    let claim = instructions::claim(&world.keys, &whale.owner, &whale.token);
    world.send(&claim, "claim");
    // 1,000 % a year for 100 years: 1,000 × the stake, beyond a u64, kept exactly.
    assert_eq!(
        world.position(&whale.owner).owed().units,
        u128::from(stake) * 1_000
    );
    let set_apr = instructions::set_apr(&world.keys, &world.admin, 0);
    world.send(&set_apr, "set_apr");
    let exit = instructions::withdraw(&world.keys, &whale.owner, &whale.token, stake);
    world.send(&exit, "withdraw");
    assert_eq!(world.balance(&whale.token), stake);
}

#[test]
fn a_u128_overflow_in_the_sbf_build_is_a_named_error() {
    // The market's index multiplies rate × APR × elapsed in u128: a clock 1.5e11 years on
    // overflows it, and the SBF build's checked multiplication must say so by name, in the
    // market and through the pool's CPI adapter alike.
    let (mut world, _alice) = lent_pool();
    world.svm.advance(i64::MAX / 2);
    let user = world.user(1_000 * TOKEN);
    let open = lending_instructions::open_receipt(&world.market, &user.owner, &user.owner);
    world.send(&open, "open_receipt");
    let deposit = lending_instructions::deposit(&world.market, &user.owner, &user.token, TOKEN);
    assert_lending_refused(&world.svm.send(&deposit), LendingError::MathOverflow);
    let rebalance = world.svm.send(&instructions::rebalance(&world.keys));
    assert_lending_refused(&rebalance, LendingError::MathOverflow);
    assert_eq!(world.pool().lent_principal, 80_000 * TOKEN);
}
