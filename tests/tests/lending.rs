//! The pool's lending allocation against the mock lending market.
use anchor_lang::error::ErrorCode as Anchor;
use stakepool_client::instructions as ix;
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

/// An executable program that is not the lending program.
const FAKE_LENDING_PROGRAM: anchor_lang::prelude::Pubkey = stakepool_tests::tokens::SPL_TOKEN;

/// A pool with a 20 % reserve lending to a market at `lending_apr`, and two users who
/// deposited 600 and 400.
async fn lending_pool(bank: &mut Bank, lending_apr: u32) -> (TestPool, TestMarket, User, User) {
    let (pool, market) = bank.create_lending_pool(lending_apr).await;
    bank.fund_rewards(&pool, 1_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 600).await;
    let bob = bank.new_user(&pool.mint, 400).await;
    bank.stake(&pool, &alice, 600).await.unwrap();
    bank.stake(&pool, &bob, 400).await.unwrap();
    (pool, market, alice, bob)
}

#[tokio::test]
async fn rebalance_lends_everything_above_the_reserve_once() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;

    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.token_balance(pool.keys.vault).await, 200);
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 800);
    assert_eq!(bank.receipt_value(&market, &pool.keys.pool).await, 800);
    assert_eq!(bank.token_balance(market.keys.liquidity_vault).await, 800);

    let before = bank
        .snapshot(&[pool.keys.pool, pool.keys.vault, market.keys.liquidity_vault])
        .await;
    bank.rebalance(&pool).await.unwrap();
    bank.assert_unchanged(
        &[pool.keys.pool, pool.keys.vault, market.keys.liquidity_vault],
        before,
    )
    .await;
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;
}

#[tokio::test]
async fn a_withdrawal_above_idle_recalls_the_shortfall_and_restores_the_reserve_at_once() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();

    // 200 idle, 800 lent. 500 out: 300 recalled for it, and 100 more so that the reserve of
    // what stays (20 % of 500) is idle again when the withdrawal is done.
    bank.withdraw(&pool, &alice, 500).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 500);
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 400, "300 + 100 recalled");
    assert_eq!(bank.token_balance(pool.keys.vault).await, 100);
    assert_eq!(state.total_staked(), 500);
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;

    // Nothing is left for the crank to restore.
    let before = bank.snapshot(&[pool.keys.pool, pool.keys.vault]).await;
    bank.rebalance(&pool).await.unwrap();
    bank.assert_unchanged(&[pool.keys.pool, pool.keys.vault], before)
        .await;
}

#[tokio::test]
async fn harvest_sweeps_a_years_interest_into_the_reward_vault() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();
    // The market's authority backs the interest it promises.
    bank.market_fund_interest(&market, 64).await.unwrap();
    bank.advance(YEAR).await;
    assert_eq!(bank.receipt_value(&market, &pool.keys.pool).await, 864);

    let rewards_before = bank.token_balance(pool.keys.reward_vault).await;
    bank.harvest(&pool).await.unwrap();
    let harvested = bank.token_balance(pool.keys.reward_vault).await - rewards_before;
    assert!(harvested.abs_diff(64) <= 1, "harvested {harvested}");
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 800, "lent principal unchanged");
    assert_eq!(state.total_interest_harvested, harvested);
    assert!(bank.receipt_value(&market, &pool.keys.pool).await >= 800);

    let before = bank
        .snapshot(&[pool.keys.pool, pool.keys.reward_vault])
        .await;
    bank.harvest(&pool).await.unwrap();
    bank.assert_unchanged(&[pool.keys.pool, pool.keys.reward_vault], before)
        .await;
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;
}

#[tokio::test]
async fn an_illiquid_market_refuses_the_recall_and_changes_nothing() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();
    bank.market_borrow(&market, 800).await.unwrap();

    let mut watched = pool.watched(&alice);
    watched.extend([
        market.keys.liquidity_vault,
        market.keys.market,
        market.keys.receipt(&pool.keys.pool),
    ]);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.withdraw(&pool, &alice, 500).await,
        StakingError::LendingIlliquid,
    );
    let admin = pool.admin.insecure_clone();
    assert_staking_error(
        bank.recall_all(&pool, &admin).await,
        StakingError::LendingIlliquid,
    );
    bank.assert_unchanged(&watched, before).await;
    // What idle principal covers still works: the reserve it would restore is recalled only as
    // far as the market can pay, here nothing.
    bank.withdraw(&pool, &alice, 200).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 800);

    bank.market_repay(&market, 800).await.unwrap();
    bank.withdraw(&pool, &alice, 300).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 500);
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;
}

#[tokio::test]
async fn a_paused_pool_recalls_but_never_lends_and_recall_all_brings_everything_back() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    let admin = pool.admin.insecure_clone();
    bank.rebalance(&pool).await.unwrap();
    bank.market_fund_interest(&market, 100).await.unwrap();

    bank.pause(&pool, &admin).await.unwrap();
    // Nothing to lend or recall yet: no change.
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 800);
    // A higher reserve makes rebalance recall, paused or not.
    let limits = PoolLimits {
        reserve_bps: 5_000,
        ..PoolLimits::default()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    bank.advance(REBALANCE_INTERVAL).await;
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 500);
    // A lower reserve would lend, but not while paused.
    let limits = PoolLimits {
        reserve_bps: 0,
        ..PoolLimits::default()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 500);

    bank.advance(YEAR / 2).await;
    bank.recall_all(&pool, &admin).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 0);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 1_000);
    // Half a year at 8 % on 500 comes back as interest.
    assert!(
        state.total_interest_harvested.abs_diff(20) <= 1,
        "{}",
        state.total_interest_harvested
    );
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;

    let stranger = bank.fresh_wallet().await;
    assert_staking_error(
        bank.recall_all(&pool, &stranger).await,
        StakingError::Unauthorized,
    );
}

#[tokio::test]
async fn lending_accounts_are_pinned() {
    let mut bank = Bank::start().await;
    let (mut pool, market, alice, _bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();
    let keys = pool.keys;
    let lending = keys.lending();
    let other_market = bank.create_market(&pool.mint.clone(), 1, 800).await;
    let other_mint_pool = bank.create_pool(PoolSetup::default()).await;
    let mut other_pool = bank
        .create_pool_for_mint(
            pool.mint,
            PoolSetup {
                pool_id: 9,
                ..PoolSetup::default()
            },
        )
        .await;
    let other_admin = other_pool.admin.insecure_clone();
    bank.set_lending_market(&mut other_pool, &other_admin, &market.keys.market)
        .await
        .unwrap();
    let market_user = bank.new_market_user(&market, &pool.mint, 10).await;

    let watched = [
        keys.pool,
        keys.vault,
        lending.receipt,
        market.keys.liquidity_vault,
    ];
    let cases = [
        (
            swap_account(
                ix::rebalance(&keys),
                &mock_lending::ID,
                &FAKE_LENDING_PROGRAM,
            ),
            Anchor::InvalidProgramId as u32,
        ),
        (
            swap_account(
                ix::rebalance(&keys),
                &lending.market,
                &other_market.keys.market,
            ),
            staking_code(StakingError::InvalidLendingMarket),
        ),
        (
            swap_account(
                ix::rebalance(&keys),
                &lending.receipt,
                &market.keys.receipt(&other_pool.keys.pool),
            ),
            staking_code(StakingError::InvalidLendingReceipt),
        ),
        (
            swap_account(
                ix::harvest(&keys),
                &lending.receipt,
                &market.keys.receipt(&market_user.key()),
            ),
            staking_code(StakingError::InvalidLendingReceipt),
        ),
        (
            swap_account(
                ix::rebalance(&keys),
                &lending.market_vault,
                &other_market.keys.liquidity_vault,
            ),
            staking_code(StakingError::InvalidLendingVault),
        ),
        (
            swap_account(
                ix::rebalance(&keys),
                &keys.vault,
                &other_mint_pool.keys.vault,
            ),
            staking_code(StakingError::InvalidVault),
        ),
        (
            swap_account(ix::harvest(&keys), &keys.reward_vault, &keys.vault),
            Anchor::ConstraintDuplicateMutableAccount as u32,
        ),
    ];
    for (instruction, code) in cases {
        let before = bank.snapshot(&watched).await;
        let result = bank.send(&[instruction], &[]).await;
        assert_eq!(custom_code(&result, 0), Some(code), "{result:?}");
        bank.assert_unchanged(&watched, before).await;
    }

    // Withdraw's optional lending accounts are pinned the same way.
    let withdraw = ix::withdraw(&keys, &alice.key(), &alice.token, 500);
    let cases = [
        (
            swap_account(withdraw.clone(), &lending.market, &other_market.keys.market),
            staking_code(StakingError::InvalidLendingMarket),
        ),
        (
            swap_account(
                withdraw.clone(),
                &lending.receipt,
                &market.keys.receipt(&other_pool.keys.pool),
            ),
            staking_code(StakingError::InvalidLendingReceipt),
        ),
        (
            swap_account(
                withdraw.clone(),
                &lending.market_vault,
                &other_market.keys.liquidity_vault,
            ),
            staking_code(StakingError::InvalidLendingVault),
        ),
        (
            swap_account(
                withdraw.clone(),
                &keys.reward_vault,
                &other_mint_pool.keys.reward_vault,
            ),
            staking_code(StakingError::InvalidRewardVault),
        ),
        (
            swap_account(withdraw.clone(), &mock_lending::ID, &FAKE_LENDING_PROGRAM),
            Anchor::InvalidProgramId as u32,
        ),
        // The pool's own id in an optional slot means "not passed" to Anchor.
        (
            swap_account(withdraw.clone(), &mock_lending::ID, &staking_pool::ID),
            staking_code(StakingError::LendingAccountsMissing),
        ),
    ];
    for (instruction, code) in cases {
        let before = bank.snapshot(&watched).await;
        let result = bank.send(&[instruction], &[&alice.wallet]).await;
        assert_eq!(custom_code(&result, 0), Some(code), "{result:?}");
        bank.assert_unchanged(&watched, before).await;
    }

    // Without lending accounts, a withdrawal that needs a recall is refused by name.
    let bare_keys = stakepool_client::PoolKeys {
        lending: None,
        ..keys
    };
    let before = bank.snapshot(&watched).await;
    let bare = ix::withdraw(&bare_keys, &alice.key(), &alice.token, 500);
    assert_staking_error(
        bank.send(&[bare], &[&alice.wallet]).await,
        StakingError::LendingAccountsMissing,
    );
    bank.assert_unchanged(&watched, before).await;
    pool.keys = keys;
}

#[tokio::test]
async fn the_lending_market_is_chosen_by_the_admin_for_the_pools_mint_while_nothing_is_lent() {
    let mut bank = Bank::start().await;
    let (mut pool, market, _alice, _bob) = lending_pool(&mut bank, 800).await;
    let admin = pool.admin.insecure_clone();
    let stranger = bank.fresh_wallet().await;
    let other_mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let foreign = bank.create_market(&other_mint, 0, 800).await;
    let second = bank.create_market(&pool.mint.clone(), 2, 500).await;
    let watched = [pool.keys.pool];

    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.set_lending_market(&mut pool, &admin, &foreign.keys.market)
            .await,
        StakingError::LendingMintMismatch,
    );
    assert_staking_error(
        bank.set_lending_market(&mut pool, &stranger, &second.keys.market)
            .await,
        StakingError::Unauthorized,
    );
    bank.rebalance(&pool).await.unwrap();
    let before_lent = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.set_lending_market(&mut pool, &admin, &second.keys.market)
            .await,
        StakingError::LendingActive,
    );
    bank.assert_unchanged(&watched, before_lent).await;
    drop(before);

    bank.recall_all(&pool, &admin).await.unwrap();
    bank.set_lending_market(&mut pool, &admin, &second.keys.market)
        .await
        .unwrap();
    // The pool names the new market's accounts, which every staker's instruction is checked
    // against from now on.
    let state = bank.pool_state(&pool).await;
    assert_eq!(
        (state.lending_market, state.receipt, state.market_vault),
        (
            second.keys.market,
            second.keys.receipt(&pool.keys.pool),
            second.keys.liquidity_vault
        )
    );
    bank.advance(REBALANCE_INTERVAL).await;
    bank.rebalance(&pool).await.unwrap();
    // An hour of the second market's index (1.0000091): 800 buys 799 shares, worth 799; the
    // unit of rounding is a lending cost paid from the reward books.
    assert_eq!(bank.receipt_value(&second, &pool.keys.pool).await, 799);
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 799);
    assert_eq!(bank.receipt_value(&market, &pool.keys.pool).await, 0);
}

#[tokio::test]
async fn share_rounding_is_paid_from_the_reward_books_not_from_principal() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    bank.market_fund_interest(&market, 1_000).await.unwrap();
    // A year later the market's rate is 1.08: 800 buys 740 shares, worth only 799.
    bank.advance(YEAR).await;
    let paid_before = bank.pool_state(&pool).await.reward_balance().unwrap();
    bank.rebalance(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(bank.receipt_value(&market, &pool.keys.pool).await, 799);
    assert_eq!(
        state.lent_principal, 799,
        "lent principal is what the receipt is worth"
    );
    assert_eq!(state.total_lending_costs, 1);
    assert_eq!(state.reward_balance().unwrap(), paid_before - 1);
    // The unit came from the reward vault into the vault: principal stays fully backed.
    assert_eq!(bank.token_balance(pool.keys.vault).await, 201);
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;
    // The next crank does not move that unit back out (dust).
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.total_lending_costs, 1);
}

/// Review finding H1: a market whose index grew without anyone funding the interest owes more
/// than it holds. Harvesting that "interest" would hand stakers' principal out as rewards. The
/// mock now pays only what it holds; a market switched to paying its index unbacked shows the
/// pool's own rule (the deficit is never harvested) still holds.
#[tokio::test]
async fn unfunded_interest_is_never_harvested_from_principal() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();
    bank.advance(YEAR).await;
    assert_eq!(
        bank.receipt_value(&market, &pool.keys.pool).await,
        800,
        "the index grew to 1.08, but nobody funded it"
    );
    let watched = [
        pool.keys.pool,
        pool.keys.reward_vault,
        market.keys.liquidity_vault,
    ];
    let before = bank.snapshot(&watched).await;
    bank.harvest(&pool).await.unwrap();
    bank.assert_unchanged(&watched, before).await;
    bank.market_set_unbacked(&market, true).await.unwrap();
    assert_eq!(bank.receipt_value(&market, &pool.keys.pool).await, 864);
    let before = bank.snapshot(&watched).await;
    bank.harvest(&pool).await.unwrap();
    bank.assert_unchanged(&watched, before).await;
    // All principal can still leave.
    bank.withdraw(&pool, &alice, 600).await.unwrap();
    bank.withdraw(&pool, &bob, 400).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 600);
    assert_eq!(bank.token_balance(bob.token).await, 400);
}

/// While the market is illiquid, its scarce liquidity is kept for principal, not interest.
#[tokio::test]
async fn harvest_waits_while_the_market_cannot_cover_principal() {
    let mut bank = Bank::start().await;
    let (pool, market, _alice, _bob) = lending_pool(&mut bank, 800).await;
    bank.rebalance(&pool).await.unwrap();
    bank.market_fund_interest(&market, 64).await.unwrap();
    bank.advance(YEAR).await;
    bank.market_borrow(&market, 800).await.unwrap(); // 64 left in the vault, 800 lent by the pool
    let before = bank
        .snapshot(&[pool.keys.pool, pool.keys.reward_vault])
        .await;
    bank.harvest(&pool).await.unwrap();
    bank.assert_unchanged(&[pool.keys.pool, pool.keys.reward_vault], before)
        .await;
    bank.market_repay(&market, 800).await.unwrap();
    bank.harvest(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.total_interest_harvested, 63);
}

/// The pool's books never run backwards, but the market prices shares with the clock as it
/// is. A recall after the clock stepped back must use the market's clock, or the pool's check
/// of the burned shares would refuse a good withdrawal. (Large amounts, so a minute's
/// difference in the rate changes the share count.)
#[tokio::test]
async fn a_recall_after_the_clock_steps_back_still_works() {
    let mut bank = Bank::start().await;
    let (pool, market) = bank.create_lending_pool(800).await;
    let big = 1_000_000_000_000_000; // 1e9 tokens at 6 decimals
    bank.fund_rewards(&pool, big / 5).await.unwrap();
    bank.market_fund_interest(&market, big / 5).await.unwrap();
    let alice = bank.new_user(&pool.mint, big).await;
    bank.stake(&pool, &alice, big).await.unwrap();
    bank.advance(YEAR).await;
    bank.rebalance(&pool).await.unwrap();
    bank.claim(&pool, &alice).await.unwrap(); // the pool's clock is now a year in
    bank.advance(-60).await; // cluster clocks drift by seconds
    bank.withdraw(&pool, &alice, big / 2).await.unwrap();
    assert_eq!(
        bank.position_state(&pool, &alice)
            .await
            .unwrap()
            .staked_shares,
        big / 2
    );
    // Recalling at the older clock's lower rate burned a few more shares (8e-8 of the amount
    // here): a lending cost the market's interest makes up within a minute. A day on, lent
    // principal is fully backed again.
    bank.advance(DAY).await;
    bank.assert_invariants(&pool, &[&alice], Some(&market), &[])
        .await;
}
