//! The staking pool's scenarios in the real VM (SBF build, Agave 4.2 loader): balances, state,
//! exact error codes, and the events decoded from the logs (which native runs cannot show).
use anchor_lang::error::ERROR_CODE_OFFSET;
use core::mem::offset_of;
use stakepool_sdk::{instructions, lending_instructions};
use stakepool_vm::world::{open_limits, User, World, TOKEN};
use stakepool_vm::{events, Outcome};
use staking_pool::errors::StakingError;
use staking_pool::events::{
    AdminTransferAccepted, AprChanged, Claimed, Compounded, Deposited, Harvested,
    LendingCostCovered, PauseChanged, PositionClosed, Rebalanced, UnbondRequested, Withdrawn,
};

use staking_pool::constants::SCALE;
use staking_pool::state::{Pool, PoolLimits, Position};

const DAY: i64 = 24 * 60 * 60;
const YEAR: i64 = 365 * DAY;

#[track_caller]
fn assert_refused(outcome: &Outcome, expected: StakingError) {
    assert_eq!(
        outcome.custom_code(),
        Some(ERROR_CODE_OFFSET + expected as u32),
        "expected {expected:?}, got {:?}\n{}",
        outcome.error,
        outcome.logs.join("\n")
    );
}

/// A user with `amount` tokens and an open position holding `staked` of them.
fn staker(world: &mut World, amount: u64, staked: u64) -> User {
    let user = world.user(amount);
    let sent = world.stake(&user, staked);
    let event: Deposited = events::one(&sent.logs);
    assert_eq!((event.owner, event.amount), (user.owner, staked));
    user
}

#[test]
fn a_year_at_ten_percent_pays_the_closed_form_and_logs_its_events() {
    let mut world = World::new(1_000, open_limits());
    world.fund_rewards(50_000 * TOKEN);
    let alice = staker(&mut world, 100_000 * TOKEN, 100_000 * TOKEN);
    assert_eq!(world.balance(&world.keys.vault), 100_000 * TOKEN);
    assert_eq!(world.pool().total_staked(), 100_000 * TOKEN);

    world.svm.advance(YEAR);
    let claim = instructions::claim(&world.keys, &alice.owner, &alice.token);
    let sent = world.send(&claim, "claim");
    let event: Claimed = events::one(&sent.logs);
    assert_eq!(event.owner, alice.owner);
    assert_eq!(event.amount, 10_000 * TOKEN);
    assert_eq!(event.still_owed, 0);
    assert_eq!(event.total_rewards_paid, 10_000 * TOKEN);
    assert_eq!(world.balance(&alice.token), 10_000 * TOKEN);
    assert_eq!(world.balance(&world.keys.reward_vault), 40_000 * TOKEN);
}

#[test]
fn lending_round_trip_lends_harvests_and_recalls_inside_the_withdrawal() {
    let mut world = World::new(1_000, open_limits()).with_market(500);
    world.fund_rewards(20_000 * TOKEN);
    world.fund_market_interest(10_000 * TOKEN);
    let alice = staker(&mut world, 100_000 * TOKEN, 100_000 * TOKEN);
    let market_vault = world.keys.lending().market_vault;

    // Reserve 20 %: 80,000 goes to the market.
    let sent = world.send(&instructions::rebalance(&world.keys), "rebalance");
    let event: Rebalanced = events::one(&sent.logs);
    assert_eq!(event.lent_delta, i128::from(80_000 * TOKEN));
    assert_eq!(event.lent_principal, 80_000 * TOKEN);
    assert_eq!(event.idle_principal, 20_000 * TOKEN);
    assert_eq!(world.balance(&world.keys.vault), 20_000 * TOKEN);
    assert_eq!(world.pool().lent_principal, 80_000 * TOKEN);
    assert!(world.receipt().shares > 0);

    // A year at the market's 5 % on 80,000: 4,000 of interest, less the market's rounding.
    world.svm.advance(YEAR);
    let rewards_before = world.balance(&world.keys.reward_vault);
    let sent = world.send(&instructions::harvest(&world.keys), "harvest");
    let event: Harvested = events::one(&sent.logs);
    assert!(
        (3_999 * TOKEN..=4_000 * TOKEN).contains(&event.amount),
        "{}",
        event.amount
    );
    assert_eq!(
        world.balance(&world.keys.reward_vault),
        rewards_before + event.amount
    );
    assert_eq!(world.pool().total_interest_harvested, event.amount);
    assert_eq!(event.lent_principal, 80_000 * TOKEN);

    // 50,000 out with 20,000 idle: the shortfall is recalled in the same instruction.
    let market_before = world.balance(&market_vault);
    let withdraw = instructions::withdraw(&world.keys, &alice.owner, &alice.token, 50_000 * TOKEN);
    let sent = world.send(&withdraw, "withdraw");
    let event: Withdrawn = events::one(&sent.logs);
    assert_eq!(event.amount, 50_000 * TOKEN);
    assert!(event.recalled >= 30_000 * TOKEN, "{}", event.recalled);
    assert_eq!(event.total_staked, 50_000 * TOKEN);
    // The market burns shares rounded in its favour: the withdrawal that caused the recall
    // pays that rounding (kept in the vault, written off lent principal), not the books.
    assert!(event.recall_cost <= 2, "{}", event.recall_cost);
    assert_eq!(event.paid, 50_000 * TOKEN - event.recall_cost);
    assert_eq!(world.balance(&alice.token), event.paid);
    let costs: u64 = events::all::<LendingCostCovered>(&sent.logs)
        .iter()
        .map(|c| c.amount)
        .sum();
    assert_eq!(costs, 0);
    assert_eq!(world.pool().total_lending_costs, 0);
    assert_eq!(
        world.pool().lent_principal,
        80_000 * TOKEN - event.recalled - event.recall_cost
    );
    let paid = event.paid;
    assert!(world.balance(&market_vault) <= market_before - event.recalled);

    let claim = instructions::claim(&world.keys, &alice.owner, &alice.token);
    let sent = world.send(&claim, "claim");
    let event: Claimed = events::one(&sent.logs);
    assert_eq!(event.amount, 10_000 * TOKEN);
    assert_eq!(world.balance(&alice.token), paid + 10_000 * TOKEN);
}

#[test]
fn an_illiquid_market_refuses_the_recall_by_name_and_changes_nothing() {
    let mut world = World::new(1_000, open_limits()).with_market(500);
    let alice = staker(&mut world, 100_000 * TOKEN, 100_000 * TOKEN);
    world.send(&instructions::rebalance(&world.keys), "rebalance");
    let borrow = lending_instructions::simulate_borrow(
        &world.market,
        &world.admin,
        &world.admin_token,
        80_000 * TOKEN,
    );
    world.send(&borrow, "simulate_borrow");

    let withdraw = instructions::withdraw(&world.keys, &alice.owner, &alice.token, 50_000 * TOKEN);
    let refused = world.svm.send(&withdraw);
    assert_refused(&refused, StakingError::LendingIlliquid);
    assert_eq!(world.balance(&alice.token), 0);
    assert_eq!(world.pool().total_staked(), 100_000 * TOKEN);
    assert_eq!(world.pool().lent_principal, 80_000 * TOKEN);

    // Idle funds still pay out while the market is drained.
    let small = instructions::withdraw(&world.keys, &alice.owner, &alice.token, 20_000 * TOKEN);
    world.send(&small, "withdraw from idle");
    assert_eq!(world.balance(&alice.token), 20_000 * TOKEN);

    let repay = lending_instructions::simulate_repay(
        &world.market,
        &world.admin,
        &world.admin_token,
        80_000 * TOKEN,
    );
    world.send(&repay, "simulate_repay");
    world.send(&withdraw, "withdraw after repayment");
    assert_eq!(world.balance(&alice.token), 70_000 * TOKEN);
}

#[test]
fn unbonded_principal_is_refused_until_it_unlocks() {
    let limits = PoolLimits {
        unbonding_period: 7 * DAY,
        ..open_limits()
    };
    let mut world = World::new(1_000, limits);
    let alice = staker(&mut world, 1_000 * TOKEN, 1_000 * TOKEN);

    let unbond = instructions::request_unbond(&world.keys, &alice.owner, 400 * TOKEN);
    let sent = world.send(&unbond, "request_unbond");
    let event: UnbondRequested = events::one(&sent.logs);
    assert_eq!(event.amount, 400 * TOKEN);
    assert_eq!(event.unlock_ts, world.svm.unix_time() + 7 * DAY);

    let withdraw = instructions::withdraw(&world.keys, &alice.owner, &alice.token, 400 * TOKEN);
    assert_refused(&world.svm.send(&withdraw), StakingError::StillUnbonding);
    assert_eq!(world.position(&alice.owner).unbonding_shares, 400 * TOKEN);

    world.svm.advance(7 * DAY);
    let sent = world.send(&withdraw, "withdraw after unlock");
    let event: Withdrawn = events::one(&sent.logs);
    assert_eq!(event.position_unbonding, 0);
    assert_eq!(event.position_staked, 600 * TOKEN);
    assert_eq!(world.balance(&alice.token), 400 * TOKEN);
}

#[test]
fn admin_levers_work_forward_only_and_only_for_the_admin() {
    let mut world = World::new(1_000, open_limits());
    world.fund_rewards(50_000 * TOKEN);
    let alice = staker(&mut world, 200_000 * TOKEN, 100_000 * TOKEN);
    let keys = world.keys;

    let sent = world.send(&instructions::pause(&keys, &world.admin), "pause");
    assert!(events::one::<PauseChanged>(&sent.logs).paused);
    let deposit = instructions::deposit(&keys, &alice.owner, &alice.token, TOKEN);
    assert_refused(&world.svm.send(&deposit), StakingError::PoolPaused);
    assert_eq!(world.balance(&alice.token), 100_000 * TOKEN);
    world.send(&instructions::unpause(&keys, &world.admin), "unpause");

    // A year at 10 %, then a year at 20 %: the raise does not reach back.
    world.svm.advance(YEAR);
    let sent = world.send(
        &instructions::set_apr(&keys, &world.admin, 2_000),
        "set_apr",
    );
    let event: AprChanged = events::one(&sent.logs);
    assert_eq!((event.old_apr_bps, event.new_apr_bps), (1_000, 2_000));
    world.svm.advance(YEAR);
    world.send(
        &instructions::claim(&keys, &alice.owner, &alice.token),
        "claim",
    );
    assert_eq!(world.balance(&alice.token), 130_000 * TOKEN);

    let new_admin = world.user(0).owner;
    let transfer = instructions::transfer_admin(&keys, &world.admin, &new_admin);
    world.send(&transfer, "transfer_admin");
    let sent = world.send(
        &instructions::accept_admin(&keys, &new_admin),
        "accept_admin",
    );
    let event: AdminTransferAccepted = events::one(&sent.logs);
    assert_eq!((event.old_admin, event.new_admin), (world.admin, new_admin));
    let old = instructions::set_apr(&keys, &world.admin, 500);
    assert_refused(&world.svm.send(&old), StakingError::Unauthorized);
    assert_eq!(world.pool().apr_bps, 2_000);
    world.send(
        &instructions::set_apr(&keys, &new_admin, 500),
        "set_apr by the new admin",
    );
    assert_eq!(world.pool().apr_bps, 500);
}

#[test]
fn compound_then_close_returns_the_position_rent() {
    let mut world = World::new(1_000, open_limits());
    world.fund_rewards(50_000 * TOKEN);
    let alice = staker(&mut world, 100_000 * TOKEN, 100_000 * TOKEN);
    let keys = world.keys;

    world.svm.advance(YEAR);
    let sent = world.send(&instructions::compound(&keys, &alice.owner), "compound");
    let event: Compounded = events::one(&sent.logs);
    assert_eq!(event.amount, 10_000 * TOKEN);
    assert_eq!(world.position(&alice.owner).staked_shares, 110_000 * TOKEN);
    assert_eq!(world.balance(&world.keys.vault), 110_000 * TOKEN);

    let close = instructions::close_position(&keys, &alice.owner);
    assert_refused(&world.svm.send(&close), StakingError::PositionNotEmpty);
    let all = instructions::withdraw(&keys, &alice.owner, &alice.token, 110_000 * TOKEN);
    world.send(&all, "withdraw all");
    let lamports = world.lamports(&alice.owner);
    let position = keys.position(&alice.owner);
    let rent = world.lamports(&position);
    let sent = world.send(&close, "close_position");
    assert_eq!(events::one::<PositionClosed>(&sent.logs).position, position);
    assert_eq!(world.lamports(&alice.owner), lamports + rent);
    assert_eq!(world.lamports(&position), 0);
    assert_eq!(world.balance(&alice.token), 110_000 * TOKEN);
}

/// The SBF build writes `Pool` and `Position` byte for byte where the host reads them: the
/// offsets `state/pool.rs` and `state/position.rs` assert at compile time on both targets,
/// checked here on accounts the VM wrote.
#[test]
fn the_vm_writes_pool_and_position_at_the_offsets_the_host_reads() {
    let mut world = World::new(1_000, open_limits());
    let user = staker(&mut world, 10 * TOKEN, 4 * TOKEN);
    let data = |address| world.svm.account(address).expect("account").data;
    let pool = data(&world.keys.pool);
    assert_eq!(pool.len(), Pool::SPACE);
    let field =
        |bytes: &[u8], offset: usize, len: usize| bytes[8 + offset..8 + offset + len].to_vec();
    assert_eq!(
        field(&pool, offset_of!(Pool, admin), 32),
        world.admin.to_bytes()
    );
    assert_eq!(
        field(&pool, offset_of!(Pool, apr_bps), 4),
        1_000u32.to_le_bytes()
    );
    assert_eq!(
        field(&pool, offset_of!(Pool, principal_index), 16),
        SCALE.to_le_bytes()
    );
    assert_eq!(
        field(&pool, offset_of!(Pool, total_staked_shares), 8),
        (4 * TOKEN).to_le_bytes()
    );
    assert_eq!(world.pool().principal_index(), SCALE);
    let position = data(&world.keys.position(&user.owner));
    assert_eq!(position.len(), Position::SPACE);
    assert_eq!(
        field(&position, offset_of!(Position, owner), 32),
        user.owner.to_bytes()
    );
    assert_eq!(
        field(&position, offset_of!(Position, staked_shares), 8),
        (4 * TOKEN).to_le_bytes()
    );
    let (_, bump) = stakepool_sdk::pda::position(&world.keys.pool, &user.owner);
    assert_eq!(field(&position, offset_of!(Position, bump), 1), [bump]);
    assert_eq!(world.position(&user.owner).bump, bump);
}
