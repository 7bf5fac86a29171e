//! Admin trust: with a notice period, every change against depositors is announced
//! (`propose_change`), waits, and is then executed by anyone (`execute_change`) or cancelled by
//! the admin; changes for depositors apply at once. A notice period exceeds the unbonding
//! period by at least a day, so a depositor who starts to leave at the announcement is out in
//! time.
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::{Change, ChangeKind, PoolLimits};

const NOTICE: i64 = 7 * DAY;
const UNBONDING: i64 = 3 * DAY;
const TOKENS: u64 = 1_000_000_000;

fn limits(notice_period: i64) -> PoolLimits {
    PoolLimits {
        reserve_bps: 2_000,
        unbonding_period: UNBONDING,
        notice_period,
        ..PoolLimits::default()
    }
}

/// A 10 % pool with a week's notice and a 3-day unbonding period, funded, and Alice staking.
async fn noticed_pool(bank: &mut Bank) -> (TestPool, User) {
    let pool = bank
        .create_pool(PoolSetup {
            limits: limits(NOTICE),
            ..PoolSetup::default()
        })
        .await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    (pool, alice)
}

#[tokio::test]
async fn every_change_against_depositors_waits_out_the_notice_and_applies_at_its_time() {
    let changes = [
        (Change::Apr(500), ChangeKind::Apr),
        (Change::Reserve(1_000), ChangeKind::Reserve),
        (
            Change::UnbondingPeriod(5 * DAY),
            ChangeKind::UnbondingPeriod,
        ),
        (Change::NoticePeriod(4 * DAY), ChangeKind::NoticePeriod),
    ];
    for (change, kind) in changes {
        let mut bank = Bank::start().await;
        let (pool, _alice) = noticed_pool(&mut bank).await;
        let admin = pool.admin.insecure_clone();
        let crank = bank.fresh_wallet().await;

        bank.propose_change(&pool, &admin, change).await.unwrap();
        let proposed_at = bank.now().await;
        let state = bank.pool_state(&pool).await;
        assert_eq!(
            state.pending_change(kind),
            Some((change, proposed_at + NOTICE, proposed_at + 2 * NOTICE)),
            "{change:?}"
        );
        // A second before its time: refused by name, nothing changes.
        bank.advance(NOTICE - 1).await;
        let before = bank.snapshot(&[pool.keys.pool]).await;
        assert_staking_error(
            bank.execute_change(&pool, &crank, kind, None).await,
            StakingError::NoticeNotElapsed,
        );
        bank.assert_unchanged(&[pool.keys.pool], before).await;
        // At its time anyone executes it.
        bank.advance(1).await;
        bank.execute_change(&pool, &crank, kind, None)
            .await
            .unwrap();
        let state = bank.pool_state(&pool).await;
        match change {
            Change::Apr(apr) => {
                assert_eq!(state.apr_bps, apr);
                assert_eq!(
                    state.checkpoint_ts,
                    proposed_at + NOTICE,
                    "applies from execution"
                );
            }
            Change::Reserve(reserve) => assert_eq!(state.limits.reserve_bps, reserve),
            Change::UnbondingPeriod(p) => assert_eq!(state.limits.unbonding_period, p),
            Change::NoticePeriod(p) => assert_eq!(state.limits.notice_period, p),
            Change::LendingMarket(_) => unreachable!(),
        }
        assert_eq!(state.pending_change(kind), None);
        // Executed once: a second execution finds nothing pending.
        assert_staking_error(
            bank.execute_change(&pool, &crank, kind, None).await,
            StakingError::NoPendingChange,
        );
    }
}

#[tokio::test]
async fn changes_against_depositors_are_refused_directly_and_changes_for_them_apply_at_once() {
    let mut bank = Bank::start().await;
    let (pool, _alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    let watched = [pool.keys.pool];

    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.set_apr(&pool, &admin, 999).await,
        StakingError::NoticeRequired,
    );
    for against in [
        PoolLimits {
            reserve_bps: 1_999,
            ..limits(NOTICE)
        },
        PoolLimits {
            unbonding_period: UNBONDING + 1,
            ..limits(NOTICE)
        },
        PoolLimits {
            notice_period: NOTICE - 1,
            ..limits(NOTICE)
        },
    ] {
        assert_staking_error(
            bank.set_params(&pool, &admin, against).await,
            StakingError::NoticeRequired,
        );
    }
    bank.assert_unchanged(&watched, before).await;

    // For depositors: a higher APR and reserve, a shorter unbonding period, a longer notice,
    // a higher cap, a lower minimum, unpausing, all at once.
    bank.set_apr(&pool, &admin, 1_500).await.unwrap();
    let better = PoolLimits {
        reserve_bps: 3_000,
        unbonding_period: DAY,
        notice_period: 10 * DAY,
        min_deposit: 0,
        deposit_cap: u64::MAX,
    };
    bank.set_params(&pool, &admin, better).await.unwrap();
    bank.pause(&pool, &admin).await.unwrap();
    bank.unpause(&pool, &admin).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!((state.apr_bps, state.limits()), (1_500, better));

    // And a favourable change is not proposed: it would only delay it.
    assert_staking_error(
        bank.propose_change(&pool, &admin, Change::Apr(2_000)).await,
        StakingError::NotAgainstDepositors,
    );
}

/// The promise the notice period keeps: Alice hears of an APR cut, asks to unbond at once and
/// is out, paid at the old rate to the day she left, before the cut applies.
#[tokio::test]
async fn a_depositor_who_leaves_at_the_announcement_is_out_before_the_change_applies() {
    let mut bank = Bank::start().await;
    let (pool, alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    bank.advance(YEAR).await;
    bank.propose_change(&pool, &admin, Change::Apr(0))
        .await
        .unwrap();
    bank.request_unbond(&pool, &alice, TOKENS).await.unwrap();
    let unlock = bank.position_state(&pool, &alice).await.unwrap().unlock_ts;
    let executable_at = bank
        .pool_state(&pool)
        .await
        .pending_change(ChangeKind::Apr)
        .unwrap()
        .1;
    assert!(
        unlock <= executable_at,
        "unlock {unlock}, change {executable_at}"
    );
    bank.advance(UNBONDING).await;
    bank.withdraw(&pool, &alice, TOKENS).await.unwrap();
    bank.claim(&pool, &alice).await.unwrap();
    // A year at 10 % on 1,000 tokens; unbonding principal earns nothing.
    assert_eq!(bank.token_balance(alice.token).await, TOKENS + TOKENS / 10);
    bank.advance(NOTICE - UNBONDING).await;
    let crank = bank.fresh_wallet().await;
    bank.execute_change(&pool, &crank, ChangeKind::Apr, None)
        .await
        .unwrap();
    assert_eq!(bank.pool_state(&pool).await.apr_bps, 0);
}

#[tokio::test]
async fn the_notice_period_always_leaves_a_day_over_the_unbonding_period() {
    // At creation.
    let mut bank = Bank::start().await;
    let creator = bank.fresh_wallet().await;
    let mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let short = PoolSetup {
        limits: PoolLimits {
            notice_period: UNBONDING + DAY - 1,
            ..limits(NOTICE)
        },
        ..PoolSetup::default()
    };
    assert_staking_error(
        bank.initialize_pool(&creator, &mint, &short)
            .await
            .map(|_| ()),
        StakingError::NoticeTooCloseToUnbonding,
    );
    let long = PoolSetup {
        limits: limits(31 * DAY),
        ..PoolSetup::default()
    };
    assert_staking_error(
        bank.initialize_pool(&creator, &mint, &long)
            .await
            .map(|_| ()),
        StakingError::InvalidNoticePeriod,
    );

    // By a proposal that breaks it on its own.
    let (pool, _alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    assert_staking_error(
        bank.propose_change(&pool, &admin, Change::NoticePeriod(UNBONDING + DAY - 1))
            .await,
        StakingError::NoticeTooCloseToUnbonding,
    );
    assert_staking_error(
        bank.propose_change(&pool, &admin, Change::UnbondingPeriod(NOTICE - DAY + 1))
            .await,
        StakingError::NoticeTooCloseToUnbonding,
    );

    // By two proposals that are fine alone but not together. Executed unbonding first, the
    // notice is refused at execution and stays pending; executed notice first, the new notice
    // drops the unbonding proposal (announced under the old one).
    for first in [ChangeKind::UnbondingPeriod, ChangeKind::NoticePeriod] {
        let mut bank = Bank::start().await;
        let (pool, _alice) = noticed_pool(&mut bank).await;
        let admin = pool.admin.insecure_clone();
        let crank = bank.fresh_wallet().await;
        bank.propose_change(&pool, &admin, Change::UnbondingPeriod(6 * DAY))
            .await
            .unwrap();
        bank.propose_change(&pool, &admin, Change::NoticePeriod(4 * DAY))
            .await
            .unwrap();
        bank.advance(NOTICE).await;
        bank.execute_change(&pool, &crank, first, None)
            .await
            .unwrap();
        let state = bank.pool_state(&pool).await;
        if first == ChangeKind::UnbondingPeriod {
            assert_staking_error(
                bank.execute_change(&pool, &crank, ChangeKind::NoticePeriod, None)
                    .await,
                StakingError::NoticeTooCloseToUnbonding,
            );
            assert!(state.pending_change(ChangeKind::NoticePeriod).is_some());
        } else {
            assert_eq!(state.pending_change(ChangeKind::UnbondingPeriod), None);
        }
        assert!(state.limits.notice_period >= state.limits.unbonding_period + DAY);
    }
}

#[tokio::test]
async fn strangers_cannot_propose_or_cancel_and_nobody_executes_early() {
    let mut bank = Bank::start().await;
    let (pool, _alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    let stranger = bank.fresh_wallet().await;
    let watched = [pool.keys.pool];
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.propose_change(&pool, &stranger, Change::Apr(0)).await,
        StakingError::Unauthorized,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.propose_change(&pool, &admin, Change::Apr(0))
        .await
        .unwrap();
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.cancel_change(&pool, &stranger, ChangeKind::Apr).await,
        StakingError::Unauthorized,
    );
    assert_staking_error(
        bank.execute_change(&pool, &stranger, ChangeKind::Apr, None)
            .await,
        StakingError::NoticeNotElapsed,
    );
    assert_staking_error(
        bank.execute_change(&pool, &admin, ChangeKind::Apr, None)
            .await,
        StakingError::NoticeNotElapsed,
    );
    bank.assert_unchanged(&watched, before).await;

    // A new proposal of the same kind replaces the old one and restarts its clock.
    bank.advance(NOTICE - 1).await;
    bank.propose_change(&pool, &admin, Change::Apr(300))
        .await
        .unwrap();
    bank.advance(1).await;
    assert_staking_error(
        bank.execute_change(&pool, &stranger, ChangeKind::Apr, None)
            .await,
        StakingError::NoticeNotElapsed,
    );
    // The admin cancels it: nothing is pending, and nothing changed.
    bank.cancel_change(&pool, &admin, ChangeKind::Apr)
        .await
        .unwrap();
    assert_staking_error(
        bank.cancel_change(&pool, &admin, ChangeKind::Apr).await,
        StakingError::NoPendingChange,
    );
    bank.advance(NOTICE).await;
    assert_staking_error(
        bank.execute_change(&pool, &stranger, ChangeKind::Apr, None)
            .await,
        StakingError::NoPendingChange,
    );
    assert_eq!(bank.pool_state(&pool).await.apr_bps, 1_000);
}

/// A new lending market is announced like any change against depositors, and the crank that
/// executes it passes the market's accounts and pays the pool's receipt there.
#[tokio::test]
async fn a_new_lending_market_is_proposed_and_executed_with_its_accounts() {
    let mut bank = Bank::start().await;
    let (mut pool, _alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    let market = bank.create_market(&pool.mint.clone(), 0, 800).await;
    assert_staking_error(
        bank.set_lending_market(&mut pool, &admin, &market.keys.market)
            .await,
        StakingError::NoticeRequired,
    );
    bank.propose_change(&pool, &admin, Change::LendingMarket(market.keys.market))
        .await
        .unwrap();
    bank.advance(NOTICE).await;
    let crank = bank.fresh_wallet().await;
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::LendingMarket, None)
            .await,
        StakingError::LendingAccountsMissing,
    );
    let other = bank.create_market(&pool.mint.clone(), 1, 800).await;
    let wrong = bank
        .execute_change(
            &pool,
            &crank,
            ChangeKind::LendingMarket,
            Some(&other.keys.market),
        )
        .await;
    assert_staking_error(wrong, StakingError::InvalidLendingMarket);
    bank.execute_change(
        &pool,
        &crank,
        ChangeKind::LendingMarket,
        Some(&market.keys.market),
    )
    .await
    .unwrap();
    assert_eq!(
        bank.pool_state(&pool).await.lending_market,
        market.keys.market
    );
    assert!(bank.receipt_state(&market, &pool.keys.pool).await.is_some());
}

/// An announcement is no promise kept in reserve: it lapses after its window, a direct change
/// of its kind drops it, raising the notice delays it, and a pool without a notice period has
/// nothing to announce.
#[tokio::test]
async fn an_announcement_cannot_be_kept_in_reserve_or_rushed() {
    let mut bank = Bank::start().await;
    let (pool, _alice) = noticed_pool(&mut bank).await;
    let admin = pool.admin.insecure_clone();
    let crank = bank.fresh_wallet().await;

    // Lapses: a window as long as the notice, then it must be announced again.
    bank.propose_change(&pool, &admin, Change::Apr(0))
        .await
        .unwrap();
    bank.advance(2 * NOTICE + 1).await;
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::Apr, None)
            .await,
        StakingError::ProposalLapsed,
    );

    // A direct change of the kind drops it: an APR raise after an announced cut.
    bank.propose_change(&pool, &admin, Change::Apr(0))
        .await
        .unwrap();
    bank.advance(NOTICE).await;
    bank.set_apr(&pool, &admin, 1_500).await.unwrap();
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::Apr, None)
            .await,
        StakingError::NoPendingChange,
    );
    assert_eq!(bank.pool_state(&pool).await.apr_bps, 1_500);

    // Changing the notice drops what is pending: it was announced under the old notice, and
    // its window is never moved. Announced again, it waits out the new notice.
    bank.propose_change(&pool, &admin, Change::Reserve(0))
        .await
        .unwrap();
    let longer = PoolLimits {
        notice_period: 10 * DAY,
        ..limits(NOTICE)
    };
    bank.set_params(&pool, &admin, longer).await.unwrap();
    assert_eq!(
        bank.pool_state(&pool)
            .await
            .pending_change(ChangeKind::Reserve),
        None
    );
    bank.advance(NOTICE).await;
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::Reserve, None)
            .await,
        StakingError::NoPendingChange,
    );
    bank.propose_change(&pool, &admin, Change::Reserve(0))
        .await
        .unwrap();
    bank.advance(10 * DAY - 1).await;
    assert_staking_error(
        bank.execute_change(&pool, &crank, ChangeKind::Reserve, None)
            .await,
        StakingError::NoticeNotElapsed,
    );
    bank.advance(1).await;
    bank.execute_change(&pool, &crank, ChangeKind::Reserve, None)
        .await
        .unwrap();
    assert_eq!(bank.pool_state(&pool).await.limits.reserve_bps, 0);

    // No notice period: nothing to announce.
    let plain = bank.create_pool(PoolSetup::default()).await;
    let plain_admin = plain.admin.insecure_clone();
    assert_staking_error(
        bank.propose_change(&plain, &plain_admin, Change::Apr(0))
            .await,
        StakingError::NoNoticePeriod,
    );
}
