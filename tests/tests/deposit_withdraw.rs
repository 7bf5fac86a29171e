//! Deposits, withdrawals, limits, donations and closing a position.
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

const TOKENS: u64 = 1_000_000_000; // 1,000.000000

#[tokio::test]
async fn deposit_moves_tokens_into_the_vault_and_records_principal() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;

    bank.stake(&pool, &alice, 400_000_000).await.unwrap();
    bank.deposit(&pool, &alice, 100_000_000).await.unwrap();

    assert_eq!(bank.token_balance(alice.token).await, 500_000_000);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 500_000_000);
    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(
        (position.owner, position.pool),
        (alice.key(), pool.keys.pool)
    );
    assert_eq!(position.staked_shares, 500_000_000);
    assert_eq!(bank.pool_state(&pool).await.total_staked(), 500_000_000);
}

/// A pool without a lending market stores the staking program's id as its market, receipt and
/// market vault: what a client that fills the three lending accounts from the pool's fields
/// passes (Anchor's resolver, the SDK), and what the program reads as absent accounts.
#[tokio::test]
async fn a_pool_without_a_market_names_its_lending_accounts_as_absent() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    let state = bank.pool_state(&pool).await;
    assert!(!state.has_lending_market());
    let stored = [state.lending_market, state.receipt, state.market_vault];
    assert_eq!(stored, [staking_pool::ID; 3]);

    bank.stake(&pool, &alice, 100_000_000).await.unwrap();
    let keys = stakepool_client::PoolKeys::from_pool(pool.keys.pool, &state);
    let deposit = stakepool_client::instructions::deposit(&keys, &alice.key(), &alice.token, 5);
    let lending_slots: Vec<_> = deposit.accounts[7..].iter().map(|m| m.pubkey).collect();
    assert_eq!(lending_slots, stored);
    bank.send(&[deposit], &[&alice.wallet]).await.unwrap();
    assert_eq!(bank.token_balance(pool.keys.vault).await, 100_000_005);
    assert_eq!(bank.pool_state(&pool).await.principal, 100_000_005);
}

#[tokio::test]
async fn withdraw_pays_principal_back_and_keeps_rewards_owed() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    bank.advance(YEAR).await;

    bank.withdraw(&pool, &alice, 600_000_000).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 600_000_000);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 400_000_000);
    let position = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(position.staked_shares, 400_000_000);
    // A year at 10 % on 1,000 was settled before the principal changed.
    assert_eq!(position.owed_units(), 100_000_000);
    assert_eq!(bank.pool_state(&pool).await.total_staked(), 400_000_000);
}

#[tokio::test]
async fn same_slot_deposit_and_withdraw_earns_nothing() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    bank.withdraw(&pool, &alice, TOKENS).await.unwrap();
    assert_eq!(bank.claim_amount(&pool, &alice).await, 0);
    assert_eq!(bank.token_balance(alice.token).await, TOKENS);
}

#[tokio::test]
async fn withdrawing_more_than_principal_is_refused() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, 500).await.unwrap();
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.withdraw(&pool, &alice, 501).await,
        StakingError::InsufficientStake,
    );
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn zero_amounts_are_refused_everywhere() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            limits: PoolLimits {
                unbonding_period: DAY,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, 500).await.unwrap();
    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.deposit(&pool, &alice, 0).await,
        StakingError::ZeroAmount,
    );
    assert_staking_error(
        bank.withdraw(&pool, &alice, 0).await,
        StakingError::ZeroAmount,
    );
    assert_staking_error(
        bank.request_unbond(&pool, &alice, 0).await,
        StakingError::ZeroAmount,
    );
    assert_staking_error(bank.fund_rewards(&pool, 0).await, StakingError::ZeroAmount);
    bank.assert_unchanged(&watched, before).await;
}

#[tokio::test]
async fn minimum_deposit_and_cap_are_enforced() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            limits: PoolLimits {
                min_deposit: 100,
                deposit_cap: 1_000,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.open_position(&pool, &alice).await.unwrap();
    let watched = pool.watched(&alice);

    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.deposit(&pool, &alice, 99).await,
        StakingError::BelowMinimumDeposit,
    );
    assert_staking_error(
        bank.deposit(&pool, &alice, 1_001).await,
        StakingError::DepositCapExceeded,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.deposit(&pool, &alice, 100).await.unwrap();
    bank.deposit(&pool, &alice, 900).await.unwrap();
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.deposit(&pool, &alice, 100).await,
        StakingError::DepositCapExceeded,
    );
    bank.assert_unchanged(&watched, before).await;
    assert_eq!(bank.pool_state(&pool).await.total_staked(), 1_000);
}

#[tokio::test]
async fn a_donation_to_the_vault_changes_nobodys_principal_or_rewards() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    let donor = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    bank.advance(30 * DAY).await;
    let owed_before = bank.owed_now(&pool, &alice).await;
    let position_before = bank.position_state(&pool, &alice).await.unwrap();
    let pool_before = bank.pool_state(&pool).await;

    bank.transfer_tokens(
        &pool.mint,
        &donor.token,
        &donor.wallet,
        &pool.keys.vault,
        777_000,
    )
    .await;
    bank.transfer_tokens(
        &pool.mint,
        &donor.token,
        &donor.wallet,
        &pool.keys.reward_vault,
        555_000,
    )
    .await;

    assert_eq!(bank.owed_now(&pool, &alice).await, owed_before);
    let position_after = bank.position_state(&pool, &alice).await.unwrap();
    assert_eq!(position_after.staked_shares, position_before.staked_shares);
    let pool_after = bank.pool_state(&pool).await;
    assert_eq!(pool_after.total_staked(), pool_before.total_staked());
    assert_eq!(pool_after.reward_balance(), pool_before.reward_balance());

    // Withdrawing everything pays exactly the principal; the donation stays in the vault.
    bank.withdraw(&pool, &alice, TOKENS).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, TOKENS);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 777_000);
    assert_eq!(bank.claim_amount(&pool, &alice).await, owed_before);
}

#[tokio::test]
async fn close_position_returns_rent_only_when_empty() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, TOKENS).await.unwrap();
    let alice = bank.new_user(&pool.mint, TOKENS).await;
    bank.stake(&pool, &alice, TOKENS).await.unwrap();
    bank.advance(DAY).await;
    let position = pool.keys.position(&alice.key());
    let watched = pool.watched(&alice);

    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.close_position(&pool, &alice).await,
        StakingError::PositionNotEmpty,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.withdraw(&pool, &alice, TOKENS).await.unwrap();
    // Principal gone but rewards still owed: not empty yet.
    let before = bank.snapshot(&watched).await;
    assert_staking_error(
        bank.close_position(&pool, &alice).await,
        StakingError::PositionNotEmpty,
    );
    bank.assert_unchanged(&watched, before).await;

    bank.claim(&pool, &alice).await.unwrap();
    let rent = bank.lamports(position).await;
    assert!(rent > 0);
    let wallet_before = bank.lamports(alice.key()).await;
    bank.close_position(&pool, &alice).await.unwrap();
    assert!(bank.account(position).await.is_none());
    assert_eq!(bank.lamports(alice.key()).await, wallet_before + rent);
    // Books stay exact: nothing is owed to anyone any more.
    assert_eq!(
        bank.pool_state(&pool).await.total_owed(),
        staking_pool::rewards::Owed::ZERO
    );
}
