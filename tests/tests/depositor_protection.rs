//! Depositor protection against an admin who plays by every rule, and against strangers who
//! only call permissionless instructions: one test per attack, each the attacker's sequence
//! with its amounts (6-decimal mint, 20 % reserve), now failing for the attacker.
use anchor_lang::error::{ErrorCode as Anchor, ERROR_CODE_OFFSET};
use solana_signer::Signer;
use stakepool_client::instructions as ix;
use stakepool_client::lending_instructions as lx;
use stakepool_client::{MarketKeys, PoolKeys};
use stakepool_tests::*;
use staking_pool::allocation::reserve_target;
use staking_pool::constants::REBALANCE_INTERVAL;
use staking_pool::errors::StakingError;
use staking_pool::state::{Change, ChangeKind, PoolLimits};

const UNIT: u64 = 1_000_000;
const STAKE: u64 = 100_000 * UNIT;

/// A 10 % pool with a 20 % reserve lending to a market of its own (attached before the notice
/// period is set, as the migrations do), the notice and unbonding given, and Alice staking
/// 100,000 tokens.
async fn noticed_lending_pool(
    bank: &mut Bank,
    unbonding_period: i64,
    notice_period: i64,
) -> (TestPool, TestMarket, User) {
    let mut pool = bank
        .create_pool(PoolSetup {
            limits: PoolLimits {
                reserve_bps: 2_000,
                unbonding_period,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    let admin = pool.admin.insecure_clone();
    let limits = PoolLimits {
        notice_period,
        ..bank.pool_state(&pool).await.limits()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    bank.fund_rewards(&pool, 10_000 * UNIT).await.unwrap();
    let alice = bank.new_user(&pool.mint, STAKE).await;
    bank.stake(&pool, &alice, STAKE).await.unwrap();
    (pool, market, alice)
}

/// Finding 1: a lapsed announcement came back to life when the admin raised the notice, since
/// its window was recomputed from the notice in force. Windows are fixed when announced and a
/// notice change drops every pending proposal, so the admin's one-transaction revival (raise
/// the notice, execute, lend, borrow) is refused and changes nothing.
#[tokio::test]
async fn a_lapsed_announcement_stays_lapsed_whatever_the_notice_becomes() {
    let mut bank = Bank::start().await;
    let (pool, _market, alice) = noticed_lending_pool(&mut bank, 0, DAY).await;
    let admin = pool.admin.insecure_clone();
    let hostile = bank.create_market(&pool.mint.clone(), 1, 800).await;
    bank.rebalance(&pool).await.unwrap();

    // A new market and an APR cut, announced on day 0; both lapse after day 2.
    let market_change = Change::LendingMarket(hostile.keys.market);
    bank.propose_change(&pool, &admin, market_change)
        .await
        .unwrap();
    bank.propose_change(&pool, &admin, Change::Apr(0))
        .await
        .unwrap();
    bank.advance(2 * DAY + 1).await;
    let crank = bank.fresh_wallet().await;
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::Apr, None)
            .await,
        StakingError::ProposalLapsed,
    );

    // Day 20, one transaction: raise the notice to 20 days (which drops the lapsed
    // proposals), then execute the market change: that market is no longer the pending one.
    bank.advance(18 * DAY).await;
    let longer = PoolLimits {
        notice_period: 20 * DAY,
        ..bank.pool_state(&pool).await.limits()
    };
    let mut watched = pool.watched(&alice);
    watched.push(hostile.keys.liquidity_vault);
    let before = bank.snapshot(&watched).await;
    let revival = [
        ix::set_params(&pool.keys, &admin.pubkey(), longer),
        ix::execute_change(
            &pool.keys,
            &admin.pubkey(),
            ChangeKind::LendingMarket,
            Some(&hostile.keys.market),
        ),
    ];
    let result = bank.send(&revival, &[&admin]).await;
    assert_eq!(
        custom_code(&result, 1),
        Some(staking_code(StakingError::InvalidLendingMarket)),
        "{result:?}"
    );
    bank.assert_unchanged(&watched, before).await;

    // Raised on its own, the notice drops both lapsed proposals: nothing is left to spring.
    bank.set_params(&pool, &admin, longer).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.pending.all().count(), 0);
    for kind in [ChangeKind::Apr, ChangeKind::LendingMarket] {
        assert_staking_error(
            bank.execute_change(&pool, &crank, kind, None).await,
            StakingError::NoPendingChange,
        );
    }
    assert_eq!(state.apr_bps, 1_000);
    assert_ne!(state.lending_market, hostile.keys.market);
    bank.withdraw(&pool, &alice, STAKE).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, STAKE);
}

/// Finding 2: with notice equal to unbonding, a depositor who reacted a minute late was still
/// locked when a new market applied, and her unbonding principal was lent into it. A notice
/// now exceeds the unbonding period by a day, and unbonding principal is never lent: at the
/// boundary (unbond a day after the announcement) she is unlocked when the change can apply,
/// and a day later still her principal is idle.
#[tokio::test]
async fn a_depositor_who_starts_to_leave_within_a_day_is_out_and_unbonding_is_never_lent() {
    let mut bank = Bank::start().await;
    let creator = bank.fresh_wallet().await;
    let mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let equal = PoolSetup {
        limits: PoolLimits {
            unbonding_period: DAY,
            notice_period: DAY,
            ..PoolLimits::default()
        },
        ..PoolSetup::default()
    };
    assert_staking_error(
        bank.initialize_pool(&creator, &mint, &equal)
            .await
            .map(|_| ()),
        StakingError::NoticeTooCloseToUnbonding,
    );

    let (pool, _market, alice) = noticed_lending_pool(&mut bank, DAY, 2 * DAY).await;
    let admin = pool.admin.insecure_clone();
    let bob = bank.new_user(&pool.mint, STAKE).await;
    bank.stake(&pool, &bob, STAKE).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 160_000 * UNIT);

    // The admin announces a market it controls.
    let hostile = bank.create_market(&pool.mint.clone(), 1, 800).await;
    bank.propose_change(&pool, &admin, Change::LendingMarket(hostile.keys.market))
        .await
        .unwrap();
    let executable_at = bank
        .pool_state(&pool)
        .await
        .pending_change(ChangeKind::LendingMarket)
        .unwrap()
        .1;

    // Alice reacts at the last moment the margin covers, Bob a second after it.
    bank.advance(DAY).await;
    bank.request_unbond(&pool, &alice, STAKE).await.unwrap();
    let unlock = bank.position_state(&pool, &alice).await.unwrap().unlock_ts;
    assert_eq!(unlock, executable_at);
    bank.advance(1).await;
    bank.request_unbond(&pool, &bob, STAKE).await.unwrap();

    // Any crank recalls every unbonding base unit at once (not an hour later).
    bank.rebalance(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 0);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 2 * STAKE);

    // At its first instant the admin executes the change and cranks in one transaction: the
    // market is attached, and nothing is lent into it.
    let now = bank.now().await;
    bank.advance(executable_at - now).await;
    let hostile_tx = [
        ix::execute_change(
            &pool.keys,
            &admin.pubkey(),
            ChangeKind::LendingMarket,
            Some(&hostile.keys.market),
        ),
        ix::rebalance(&pool.keys.with_lending_market(&hostile.keys.market)),
    ];
    bank.send(&hostile_tx, &[&admin]).await.unwrap();
    assert_eq!(
        bank.pool_state(&pool).await.lending_market,
        hostile.keys.market
    );
    assert_eq!(bank.token_balance(hostile.keys.liquidity_vault).await, 0);
    let pool = TestPool {
        keys: pool.keys.with_lending_market(&hostile.keys.market),
        ..pool
    };

    // Alice leaves in full now; Bob a second later, in full too.
    bank.withdraw(&pool, &alice, STAKE).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, STAKE);
    bank.advance(1).await;
    bank.withdraw(&pool, &bob, STAKE).await.unwrap();
    assert_eq!(bank.token_balance(bob.token).await, STAKE);
}

/// Finding 3: a stranger spent the hourly recall clock on a dust recall, then deposited, lent
/// and withdrew in one transaction, leaving the vault empty for an hour. A withdrawal now
/// restores the reserve it would leave short, and a shortfall of at least 1 bps is recalled
/// at once whatever the clock, while dust still waits for the interval.
#[tokio::test]
async fn the_reserve_cannot_be_held_below_its_target() {
    let mut bank = Bank::start().await;
    let (pool, market, alice) = noticed_lending_pool(&mut bank, 0, 0).await;
    bank.rebalance(&pool).await.unwrap();
    bank.advance(REBALANCE_INTERVAL).await;
    let target = |state: &staking_pool::state::Pool| {
        reserve_target(
            state.total_staked(),
            state.total_unbonding(),
            state.limits.reserve_bps,
        )
    };

    // The dust recall: Alice's one-unit withdrawal leaves idle a unit short; a crank recalls it
    // and spends the recall clock.
    bank.withdraw(&pool, &alice, 1).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.idle_principal().unwrap(), target(&state));
    assert_eq!(state.last_recall_ts, bank.now().await);

    // Mallory, one transaction: deposit 25,000, crank a lend, withdraw the 25,000.
    let mallory = bank.new_user(&pool.mint, 25_000 * UNIT).await;
    bank.open_position(&pool, &mallory).await.unwrap();
    let churn = [
        ix::deposit(&pool.keys, &mallory.key(), &mallory.token, 25_000 * UNIT),
        ix::rebalance(&pool.keys),
        ix::withdraw(&pool.keys, &mallory.key(), &mallory.token, 25_000 * UNIT),
    ];
    bank.send(&churn, &[&mallory.wallet]).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert!(state.idle_principal().unwrap() >= target(&state));
    // The withdrawal kept its own recall's rounding, at most a unit or two.
    assert!(bank.token_balance(mallory.token).await >= 25_000 * UNIT - 2);

    // Without the lending accounts, a withdrawal that would leave the reserve short is refused.
    let lean = ix::withdraw_as_client(
        &state,
        &PoolKeys {
            lending: None,
            ..pool.keys
        },
        &alice.key(),
        &alice.token,
        10_000 * UNIT,
    );
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.send(&[lean], &[&alice.wallet]).await,
        StakingError::LendingAccountsMissing,
    );
    bank.assert_unchanged(&watched, before).await;

    // An illiquid market pays no restore; the withdrawal still leaves from idle.
    let lent = state.lent_principal;
    bank.market_borrow(&market, lent).await.unwrap();
    bank.withdraw(&pool, &alice, 10_000 * UNIT).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, lent);
    // Liquid again, the next crank restores the reserve within the recall interval.
    bank.market_repay(&market, lent).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.idle_principal().unwrap(), target(&state));
    // Dust still waits: a unit short, the crank is refused until the interval has passed.
    bank.withdraw(&pool, &alice, 1).await.unwrap();
    assert_staking_error(bank.rebalance(&pool).await, StakingError::RebalanceTooSoon);
    bank.assert_invariants(&pool, &[&alice, &mallory], Some(&market), &[])
        .await;
}

/// Finding 4: an announced market that did not exist yet could be created by a stranger, who
/// became its authority. A market is proposed only if it exists and lends the pool's mint, its
/// authority is recorded, and execution refuses it if the authority changed.
#[tokio::test]
async fn a_proposed_market_must_exist_and_keep_its_authority() {
    let mut bank = Bank::start().await;
    let (pool, _market, alice) = noticed_lending_pool(&mut bank, 0, DAY).await;
    let admin = pool.admin.insecure_clone();
    let watched = pool.watched(&alice);

    let before = bank.snapshot(&watched).await;
    let unborn = MarketKeys::derive(&pool.mint.address, 3, &pool.mint.token_program);
    assert_anchor_error(
        bank.propose_change(&pool, &admin, Change::LendingMarket(unborn.market))
            .await,
        Anchor::AccountNotInitialized,
    );
    let other_mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let foreign = bank.create_market(&other_mint, 0, 800).await;
    assert_staking_error(
        bank.propose_change(&pool, &admin, Change::LendingMarket(foreign.keys.market))
            .await,
        StakingError::LendingMintMismatch,
    );
    bank.assert_unchanged(&watched, before).await;

    let next = bank.create_market(&pool.mint.clone(), 1, 800).await;
    bank.propose_change(&pool, &admin, Change::LendingMarket(next.keys.market))
        .await
        .unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.pending.lending_market_authority, next.authority.key());

    // The market changes hands during the notice: execution is refused by name.
    let stranger = bank.fresh_wallet().await;
    bank.market_transfer_authority(&next, stranger.pubkey())
        .await
        .unwrap();
    assert_eq!(bank.market_state(&next).await.authority, stranger.pubkey());
    bank.advance(DAY).await;
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.execute_change(
            &pool,
            &admin,
            ChangeKind::LendingMarket,
            Some(&next.keys.market),
        )
        .await,
        StakingError::MarketAuthorityChanged,
    );
    bank.assert_unchanged(&watched, before).await;
    // Only the authority can hand a market on.
    let result = bank
        .send(
            &[lx::transfer_authority(
                &next.keys,
                &alice.key(),
                alice.key(),
            )],
            &[&alice.wallet],
        )
        .await;
    assert_eq!(
        custom_code(&result, 0),
        Some(ERROR_CODE_OFFSET + mock_lending::errors::LendingError::Unauthorized as u32),
        "{result:?}"
    );
}

/// Finding 5: every clear of a proposal is reported. A direct change of its kind, a new
/// proposal of its kind and a notice change each drop it (the VM's event audit checks the
/// `ChangeCancelled` of each, with its reason); what stays pending keeps the window its
/// `ChangeProposed` announced.
#[tokio::test]
async fn every_dropped_proposal_is_gone_and_the_rest_keep_their_windows() {
    let mut bank = Bank::start().await;
    let (pool, _market, _alice) = noticed_lending_pool(&mut bank, 0, 2 * DAY).await;
    let admin = pool.admin.insecure_clone();
    bank.propose_change(&pool, &admin, Change::Apr(500))
        .await
        .unwrap();
    bank.propose_change(&pool, &admin, Change::Reserve(1_000))
        .await
        .unwrap();
    let announced = bank
        .pool_state(&pool)
        .await
        .pending_change(ChangeKind::Reserve);
    bank.advance(DAY).await;

    // A direct APR raise drops the announced cut; the reserve keeps its window.
    bank.set_apr(&pool, &admin, 1_500).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.pending_change(ChangeKind::Apr), None);
    assert_eq!(state.pending_change(ChangeKind::Reserve), announced);

    // A new proposal of a kind replaces the old with a window of its own.
    bank.propose_change(&pool, &admin, Change::Reserve(500))
        .await
        .unwrap();
    let now = bank.now().await;
    assert_eq!(
        bank.pool_state(&pool)
            .await
            .pending_change(ChangeKind::Reserve),
        Some((Change::Reserve(500), now + 2 * DAY, now + 4 * DAY))
    );

    // A shorter notice, executed, drops everything announced under the longer one.
    bank.propose_change(&pool, &admin, Change::NoticePeriod(DAY))
        .await
        .unwrap();
    bank.advance(2 * DAY).await;
    let crank = bank.fresh_wallet().await;
    bank.execute_change(&pool, &crank, ChangeKind::NoticePeriod, None)
        .await
        .unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.limits.notice_period, DAY);
    assert_eq!(state.pending.all().count(), 0);
}

/// Finding 6: in the mock market, a deposit placed just before `fund_interest` and withdrawn
/// after took almost all of the interest the pool had earned over a year. Deposits now buy at
/// the index, so the sandwich gets back at most what it put in and the pool's harvest gets
/// what its lending earned; while interest is unfunded the pool lends the market nothing more.
#[tokio::test]
async fn funded_interest_cannot_be_sandwiched_out_of_the_market() {
    let mut bank = Bank::start().await;
    let (pool, market, alice) = noticed_lending_pool(&mut bank, 0, 0).await;
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 80_000 * UNIT);
    bank.advance(YEAR).await;

    // A year at 8 % on 80,000: 6,400 promised, none funded yet. More principal arrives, and
    // the crank lends none of it into the unfunded market.
    let bob = bank.new_user(&pool.mint, 10_000 * UNIT).await;
    bank.stake(&pool, &bob, 10_000 * UNIT).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 80_000 * UNIT);

    // Mallory deposits 1,000,000 just before the authority funds the interest, and leaves
    // right after with everything her receipt is worth.
    let mallory = bank
        .new_market_user(&market, &pool.mint, 1_000_000 * UNIT)
        .await;
    bank.market_deposit(&market, &mallory, 1_000_000 * UNIT)
        .await
        .unwrap();
    bank.market_fund_interest(&market, 6_400 * UNIT)
        .await
        .unwrap();
    let worth = bank.receipt_value(&market, &mallory.key()).await;
    bank.market_withdraw(&market, &mallory, worth)
        .await
        .unwrap();
    let back = bank.token_balance(mallory.token).await;
    assert!(back <= 1_000_000 * UNIT, "Mallory got back {back}");
    assert!(back >= 1_000_000 * UNIT - 2, "Mallory got back {back}");

    // The pool's lending earned the 6,400, and its harvest takes it (less share rounding).
    let rewards_before = bank.token_balance(pool.keys.reward_vault).await;
    bank.harvest(&pool).await.unwrap();
    let harvested = bank.token_balance(pool.keys.reward_vault).await - rewards_before;
    assert!(harvested >= 6_400 * UNIT - 2, "harvested {harvested}");
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[mallory.token])
        .await;
}
