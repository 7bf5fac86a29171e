//! When the lending market fails: a loss is written off every depositor pro rata, nobody runs
//! ahead of it, rewards accrue on what is left from recognition on, a recovery goes to the
//! reward books, and principal leaves in kind when the market cannot pay. One story per test,
//! with its amounts: a 6-decimal mint, a 10 % pool with a 20 % reserve, and a market paying no
//! interest of its own, so every figure below is principal.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::{InstructionData, ToAccountMetas};
use mock_lending::errors::LendingError;
use solana_instruction::Instruction;
use stakepool_client::instructions as ix;
use stakepool_client::lending_instructions as lx;
use stakepool_client::PoolKeys;
use stakepool_tests::*;
use staking_pool::constants::SCALE;
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

const UNIT: u64 = 1_000_000;
const HALF_YEAR: i64 = 365 * DAY / 2;

/// Alice stakes 60,000 and Bob 40,000; the pool lends 80,000; borrowers take `borrowed` of
/// the market's 80,000 and then `defaulted` of that is written off as bad debt.
async fn defaulted_pool(
    bank: &mut Bank,
    reserve_bps: u16,
    borrowed: u64,
    defaulted: u64,
) -> (TestPool, TestMarket, User, User) {
    let mut pool = bank
        .create_pool(PoolSetup {
            limits: PoolLimits {
                reserve_bps,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 0).await;
    bank.fund_rewards(&pool, 10_000 * UNIT).await.unwrap();
    let alice = bank.new_user(&pool.mint, 60_000 * UNIT).await;
    let bob = bank.new_user(&pool.mint, 40_000 * UNIT).await;
    bank.stake(&pool, &alice, 60_000 * UNIT).await.unwrap();
    bank.stake(&pool, &bob, 40_000 * UNIT).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    if borrowed > 0 {
        bank.market_borrow(&market, borrowed).await.unwrap();
    }
    if defaulted > 0 {
        bank.market_default(&market, defaulted).await.unwrap();
    }
    (pool, market, alice, bob)
}

/// What `user`'s principal is worth now, in base units.
async fn worth(bank: &mut Bank, pool: &TestPool, user: &User) -> u64 {
    let state = bank.pool_state(pool).await;
    let position = bank.position_state(pool, user).await.expect("position");
    state.principal_value(position.shares().unwrap())
}

/// 20,000 of the 80,000 lent defaults (a quarter of the market, a fifth of the pool). Bob acts
/// first and takes everything he has left; Alice waits until the market is liquid again. Each
/// leaves with exactly 80 % of what they put in, within the unit a recall's share rounding
/// costs the withdrawer.
#[tokio::test]
async fn a_default_is_shared_pro_rata_whoever_leaves_first() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) =
        defaulted_pool(&mut bank, 2_000, 60_000 * UNIT, 20_000 * UNIT).await;

    // Bob's withdrawal reads the market, recognises the loss first, then pays him his 80 %.
    bank.withdraw(&pool, &bob, 32_000 * UNIT).await.unwrap();
    let bob_got = bank.token_balance(bob.token).await;
    assert!(
        (32_000 * UNIT - 1..=32_000 * UNIT).contains(&bob_got),
        "{bob_got}"
    );
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.total_losses, 20_000 * UNIT);
    assert_eq!(state.principal_index(), SCALE / 5 * 4);
    assert_staking_error(
        bank.withdraw(&pool, &bob, 1).await,
        StakingError::InsufficientStake,
    );
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;

    // The borrowers repay the rest; Alice leaves last with the same 80 %.
    bank.market_repay(&market, 40_000 * UNIT).await.unwrap();
    assert_eq!(worth(&mut bank, &pool, &alice).await, 48_000 * UNIT);
    bank.withdraw(&pool, &alice, 48_000 * UNIT).await.unwrap();
    let alice_got = bank.token_balance(alice.token).await;
    assert!(
        (48_000 * UNIT - 1..=48_000 * UNIT).contains(&alice_got),
        "{alice_got}"
    );
    // Each bore the same fraction of the loss, within the recalls' rounding.
    assert!((bob_got * 3 / 2).abs_diff(alice_got) <= 2);
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;
    bank.close_position(&pool, &alice).await.unwrap();
    bank.close_position(&pool, &bob).await.unwrap();
}

/// Right after the default, before anyone recognised it: a withdrawal that leaves out the
/// market (to be paid from idle at full value) is refused and changes nothing; a newcomer's
/// deposit recognises the loss first, so she buys at the written-down price and bears none of
/// it; the `LossRecognised` figures are exact.
#[tokio::test]
async fn nobody_runs_ahead_of_a_loss_and_nobody_buys_into_one() {
    let mut bank = Bank::start().await;
    let (pool, _market, alice, bob) =
        defaulted_pool(&mut bank, 2_000, 60_000 * UNIT, 20_000 * UNIT).await;
    let lean = PoolKeys {
        lending: None,
        ..pool.keys
    };
    let watched = pool.watched(&bob);
    let before = bank.snapshot(&watched).await;
    let escape = ix::withdraw(&lean, &bob.key(), &bob.token, 1_000 * UNIT);
    assert_staking_error(
        bank.send(&[escape], &[&bob.wallet]).await,
        StakingError::LendingAccountsMissing,
    );
    let deposit_blind = ix::deposit(&lean, &bob.key(), &bob.token, UNIT);
    assert_staking_error(
        bank.send(&[deposit_blind], &[&bob.wallet]).await,
        StakingError::LendingAccountsMissing,
    );
    bank.assert_unchanged(&watched, before).await;
    assert_eq!(bank.pool_state(&pool).await.principal_index(), SCALE);

    let carol = bank.new_user(&pool.mint, 20_000 * UNIT).await;
    bank.stake(&pool, &carol, 20_000 * UNIT).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.principal_index(), SCALE / 5 * 4);
    assert_eq!(state.lent_principal, 60_000 * UNIT);
    assert_eq!(worth(&mut bank, &pool, &carol).await, 20_000 * UNIT);
    assert_eq!(worth(&mut bank, &pool, &alice).await, 48_000 * UNIT);
    assert_eq!(worth(&mut bank, &pool, &bob).await, 32_000 * UNIT);
    assert_eq!(state.total_principal(), Some(100_000 * UNIT));
}

/// The permissionless crank recognises a loss on its own; run again it finds nothing more.
/// Rewards up to the recognition accrue on the whole principal, after it on what is left:
/// 100,000 at 10 % for half a year, 80,000 for the other half: 9,000.
#[tokio::test]
async fn rewards_accrue_on_written_down_principal_from_recognition_on() {
    let mut bank = Bank::start().await;
    let (pool, market) = bank.create_lending_pool(0).await;
    bank.fund_rewards(&pool, 20_000 * UNIT).await.unwrap();
    let alice = bank.new_user(&pool.mint, 100_000 * UNIT).await;
    bank.stake(&pool, &alice, 100_000 * UNIT).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    bank.advance(HALF_YEAR).await;
    bank.market_borrow(&market, 60_000 * UNIT).await.unwrap();
    bank.market_default(&market, 20_000 * UNIT).await.unwrap();
    bank.recognise_loss(&pool).await.unwrap();
    let after_first = bank.pool_state(&pool).await;
    assert_eq!(after_first.total_losses, 20_000 * UNIT);
    bank.recognise_loss(&pool).await.unwrap();
    let after_second = bank.pool_state(&pool).await;
    assert_eq!(
        (after_second.total_losses, after_second.principal_index),
        (20_000 * UNIT, after_first.principal_index)
    );
    bank.advance(HALF_YEAR).await;
    let owed = bank.owed_now(&pool, &alice).await;
    assert!((9_000 * UNIT - 1..=9_000 * UNIT).contains(&owed), "{owed}");
    assert_eq!(bank.claim_amount(&pool, &alice).await, owed);
}

/// A market that recovers what it wrote off pays the recovery into the reward books (harvest),
/// not back into principal: sharing it back would pay whoever holds shares when it comes,
/// including someone who deposited just before, rather than those who bore the loss.
#[tokio::test]
async fn a_recovery_goes_to_the_reward_books() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) =
        defaulted_pool(&mut bank, 2_000, 60_000 * UNIT, 20_000 * UNIT).await;
    bank.recognise_loss(&pool).await.unwrap();
    bank.market_repay(&market, 40_000 * UNIT).await.unwrap();
    bank.market_recover(&market, 20_000 * UNIT).await.unwrap();
    let before = bank.pool_state(&pool).await;
    bank.harvest(&pool).await.unwrap();
    let after = bank.pool_state(&pool).await;
    let harvested = after.total_interest_harvested - before.total_interest_harvested;
    assert!(
        (20_000 * UNIT - 1..=20_000 * UNIT).contains(&harvested),
        "{harvested}"
    );
    assert_eq!(after.principal_index, before.principal_index);
    assert_eq!(after.lent_principal, before.lent_principal);
    assert_eq!(worth(&mut bank, &pool, &alice).await, 48_000 * UNIT);
    assert_eq!(worth(&mut bank, &pool, &bob).await, 32_000 * UNIT);
    assert_eq!(
        after.reward_balance(),
        before.reward_balance().map(|b| b + harvested)
    );
}

/// The market lent everything it had and then wrote a quarter of it off: nobody can be paid in
/// tokens beyond idle, so Bob leaves in kind. He takes the lent part of his 32,000 (lent
/// 60,000 of 80,000: 24,000) as market shares worth exactly that and 8,000 in tokens; once the
/// borrowers repay, his shares pay 24,000 and Alice's withdrawal pays her 48,000.
#[tokio::test]
async fn principal_leaves_in_kind_when_the_market_cannot_pay() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) =
        defaulted_pool(&mut bank, 2_000, 80_000 * UNIT, 20_000 * UNIT).await;
    bank.open_receipt(&market, &bob).await.unwrap();
    let watched = pool.watched(&bob);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.withdraw(&pool, &bob, 32_000 * UNIT).await,
        StakingError::LendingIlliquid,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.withdraw_in_kind(&pool, &market, &bob, 32_000 * UNIT)
        .await
        .unwrap();
    assert_eq!(bank.token_balance(bob.token).await, 8_000 * UNIT);
    let shares = bank
        .receipt_state(&market, &bob.key())
        .await
        .unwrap()
        .shares;
    assert_eq!(shares, 32_000 * UNIT);
    assert_eq!(bank.receipt_value(&market, &bob.key()).await, 24_000 * UNIT);
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 36_000 * UNIT);
    assert_eq!(state.total_principal(), Some(48_000 * UNIT));
    assert_eq!(
        bank.position_state(&pool, &bob).await.unwrap().shares(),
        Some(0)
    );
    bank.assert_invariants(&pool, &[&alice, &bob], Some(&market), &[])
        .await;

    bank.market_repay(&market, 60_000 * UNIT).await.unwrap();
    bank.market_withdraw(&market, &bob, 24_000 * UNIT)
        .await
        .unwrap();
    assert_eq!(bank.token_balance(bob.token).await, 32_000 * UNIT);
    bank.withdraw(&pool, &alice, 48_000 * UNIT).await.unwrap();
    let alice_got = bank.token_balance(alice.token).await;
    assert!(
        (48_000 * UNIT - 1..=48_000 * UNIT).contains(&alice_got),
        "{alice_got}"
    );
}

/// With no reserve and every loan written off, the whole principal is lost: every share is
/// worth nothing, the pool refuses deposits by name, and the depositors can still close.
#[tokio::test]
async fn a_total_loss_writes_everything_off_and_the_pool_takes_no_deposits() {
    let mut bank = Bank::start().await;
    let (pool, _market, alice, bob) =
        defaulted_pool(&mut bank, 0, 100_000 * UNIT, 100_000 * UNIT).await;
    bank.recognise_loss(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(
        (
            state.principal_index(),
            state.lent_principal,
            state.total_principal()
        ),
        (0, 0, Some(0))
    );
    let carol = bank.new_user(&pool.mint, UNIT).await;
    bank.open_position(&pool, &carol).await.unwrap();
    let carol_watched = pool.watched(&carol);
    let before = bank.snapshot(&carol_watched).await;
    assert_staking_error(
        bank.deposit(&pool, &carol, UNIT).await,
        StakingError::PoolWrittenOff,
    );
    bank.assert_unchanged(&carol_watched, before).await;
    for user in [&alice, &bob] {
        bank.close_position(&pool, user).await.unwrap();
    }
    let state = bank.pool_state(&pool).await;
    assert_eq!(
        (state.total_staked_shares, state.total_unbonding_shares),
        (0, 0)
    );
}

/// Every account `withdraw_in_kind` trusts is checked, each refusal by name and changing
/// nothing: a receipt of another market, the pool's own receipt as the destination, another
/// market, receipt or market vault, the lending accounts left out, a zero amount, and
/// principal still unbonding.
#[tokio::test]
async fn withdraw_in_kind_refuses_every_wrong_account() {
    let mut bank = Bank::start().await;
    let (pool, market, _alice, bob) = defaulted_pool(&mut bank, 2_000, 0, 0).await;
    let other = bank.create_market(&pool.mint.clone(), 7, 0).await;
    bank.open_receipt(&other, &bob).await.unwrap();
    bank.open_receipt(&market, &bob).await.unwrap();
    let own = market.keys.receipt(&bob.key());
    let in_kind = |keys: &PoolKeys, to: &anchor_lang::prelude::Pubkey, amount: u64| {
        ix::withdraw_in_kind(keys, &bob.key(), &bob.token, to, amount)
    };
    let mut watched = pool.watched(&bob);
    watched.extend([
        own,
        other.keys.receipt(&bob.key()),
        market.keys.receipt(&pool.keys.pool),
    ]);
    let before = bank.snapshot(&watched).await;

    let elsewhere = other.keys.receipt(&bob.key());
    let pools_own = market.keys.receipt(&pool.keys.pool);
    let lending = pool.keys.lending();
    let swapped = |f: &dyn Fn(&mut stakepool_client::LendingKeys)| {
        let mut keys = pool.keys;
        let mut l = lending;
        f(&mut l);
        keys.lending = Some(l);
        keys
    };
    let wrong_market = swapped(&|l| l.market = other.keys.market);
    let wrong_receipt = swapped(&|l| l.receipt = other.keys.receipt(&pool.keys.pool));
    let wrong_vault = swapped(&|l| l.market_vault = other.keys.liquidity_vault);
    let cases: Vec<(_, u32)> = vec![
        (
            in_kind(&pool.keys, &elsewhere, UNIT),
            staking_code(StakingError::InvalidLendingMarket),
        ),
        (
            in_kind(&pool.keys, &pools_own, UNIT),
            Anchor::ConstraintDuplicateMutableAccount as u32,
        ),
        (
            in_kind(&wrong_market, &own, UNIT),
            staking_code(StakingError::InvalidLendingMarket),
        ),
        (
            in_kind(&wrong_receipt, &own, UNIT),
            Anchor::AccountNotInitialized as u32,
        ),
        (
            in_kind(&wrong_vault, &own, UNIT),
            staking_code(StakingError::InvalidLendingVault),
        ),
        (
            in_kind(&pool.keys, &own, 0),
            staking_code(StakingError::ZeroAmount),
        ),
        (
            in_kind(&pool.keys, &own, 40_000 * UNIT + 1),
            staking_code(StakingError::InsufficientStake),
        ),
    ];
    for (instruction, code) in cases {
        let result = bank.send(&[instruction], &[&bob.wallet]).await;
        assert_eq!(custom_code(&result, 0), Some(code), "{result:?}");
    }
    // Without the market accounts at all.
    let mut bare = in_kind(&pool.keys, &own, UNIT);
    let market_metas = [lending.market, lending.receipt, lending.market_vault];
    for meta in bare.accounts.iter_mut() {
        if market_metas.contains(&meta.pubkey) {
            meta.pubkey = staking_pool::ID;
            meta.is_writable = false;
        }
    }
    assert_staking_error(
        bank.send(&[bare], &[&bob.wallet]).await,
        StakingError::LendingAccountsMissing,
    );
    bank.assert_unchanged(&watched, before).await;
}

/// The same unbonding rules as `withdraw`: principal that has not unlocked cannot leave in
/// kind either.
#[tokio::test]
async fn leaving_in_kind_keeps_the_unbonding_rules() {
    let mut bank = Bank::start().await;
    let (pool, market, _alice, bob) = defaulted_pool(&mut bank, 2_000, 0, 0).await;
    let admin = pool.admin.insecure_clone();
    let limits = PoolLimits {
        unbonding_period: DAY,
        ..bank.pool_state(&pool).await.limits()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    bank.open_receipt(&market, &bob).await.unwrap();
    assert_staking_error(
        bank.withdraw_in_kind(&pool, &market, &bob, UNIT).await,
        StakingError::StillUnbonding,
    );
    bank.request_unbond(&pool, &bob, 40_000 * UNIT)
        .await
        .unwrap();
    assert_staking_error(
        bank.withdraw_in_kind(&pool, &market, &bob, UNIT).await,
        StakingError::StillUnbonding,
    );
    bank.advance(DAY).await;
    bank.withdraw_in_kind(&pool, &market, &bob, 40_000 * UNIT)
        .await
        .unwrap();
    assert_eq!(
        bank.position_state(&pool, &bob).await.unwrap().shares(),
        Some(0)
    );
}

/// The market's new levers refuse whoever is not entitled and amounts they cannot honour.
#[tokio::test]
async fn the_market_levers_refuse_by_name() {
    let mut bank = Bank::start().await;
    let (pool, market, alice, bob) = defaulted_pool(&mut bank, 2_000, 10_000 * UNIT, 0).await;
    let code = |result: &TxResult| custom_code(result, 0);
    // Only the authority writes off, and no more than is outstanding.
    let stranger = lx::simulate_default(&market.keys, &bob.key(), UNIT);
    let result = bank.send(&[stranger], &[&bob.wallet]).await;
    assert_eq!(
        code(&result),
        Some(lending_code(LendingError::Unauthorized))
    );
    let result = bank.market_default(&market, 10_000 * UNIT + 1).await;
    assert_eq!(
        code(&result),
        Some(lending_code(LendingError::WriteOffExceedsLoans))
    );
    let result = bank.market_default(&market, 0).await;
    assert_eq!(code(&result), Some(lending_code(LendingError::ZeroAmount)));
    // No more recovered than was written off.
    bank.market_default(&market, 4_000 * UNIT).await.unwrap();
    let result = bank.market_recover(&market, 4_000 * UNIT + 1).await;
    assert_eq!(
        code(&result),
        Some(lending_code(LendingError::RecoveryExceedsWriteOffs))
    );
    let state = bank.market_state(&market).await;
    assert_eq!(
        (state.outstanding_loans, state.written_off),
        (6_000 * UNIT, 4_000 * UNIT)
    );
    // Shares move only by their owner's hand, and not more than the receipt holds.
    let dave = bank.new_market_user(&market, &pool.mint, 100 * UNIT).await;
    bank.market_deposit(&market, &dave, 100 * UNIT)
        .await
        .unwrap();
    bank.open_receipt(&market, &bob).await.unwrap();
    let (from, to) = (
        market.keys.receipt(&dave.key()),
        market.keys.receipt(&bob.key()),
    );
    let theft = Instruction {
        program_id: mock_lending::ID,
        accounts: mock_lending::accounts::TransferShares {
            market: market.keys.market,
            from,
            to,
            owner: bob.key(),
        }
        .to_account_metas(None),
        data: mock_lending::instruction::TransferShares { shares: 1 }.data(),
    };
    let result = bank.send(&[theft], &[&bob.wallet]).await;
    assert_eq!(code(&result), Some(Anchor::ConstraintSeeds as u32));
    let held = bank
        .receipt_state(&market, &dave.key())
        .await
        .unwrap()
        .shares;
    let too_many = lx::transfer_shares(&market.keys, &dave.key(), &to, held + 1);
    let result = bank.send(&[too_many], &[&dave.wallet]).await;
    assert_eq!(
        code(&result),
        Some(lending_code(LendingError::InsufficientShares))
    );
    let to_self = lx::transfer_shares(&market.keys, &dave.key(), &from, 1);
    let result = bank.send(&[to_self], &[&dave.wallet]).await;
    assert_eq!(
        code(&result),
        Some(Anchor::ConstraintDuplicateMutableAccount as u32)
    );
    let gift = lx::transfer_shares(&market.keys, &dave.key(), &to, 10);
    bank.send(&[gift], &[&dave.wallet]).await.unwrap();
    assert_eq!(
        bank.receipt_state(&market, &dave.key())
            .await
            .unwrap()
            .shares,
        held - 10
    );
    assert_eq!(
        bank.receipt_state(&market, &bob.key())
            .await
            .unwrap()
            .shares,
        10
    );
    let _ = (pool, alice);
}
