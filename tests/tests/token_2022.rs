//! Token-2022 stake mints: a plain one works end to end; one with an amount-changing
//! extension is refused at creation. Users' token accounts with CPI Guard or required memos
//! are refused by Token-2022 inside the pool's transfer, changing nothing, and the fixes the
//! client names work.
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::instructions as ix;
use stakepool_tests::tokens::{AccountExtension, MintExtension, TOKEN_2022};
use stakepool_tests::*;
use staking_pool::errors::StakingError;

#[tokio::test]
async fn a_token_2022_mint_without_extensions_works_end_to_end() {
    let mut bank = Bank::start().await;
    let pool = bank
        .create_pool(PoolSetup {
            token_program: TOKEN_2022,
            ..PoolSetup::default()
        })
        .await;
    assert_eq!(bank.pool_state(&pool).await.token_program, TOKEN_2022);
    bank.fund_rewards(&pool, 1_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 10_000_000).await;
    bank.stake(&pool, &alice, 10_000_000).await.unwrap();
    bank.advance(YEAR).await;
    assert_eq!(bank.claim_amount(&pool, &alice).await, 1_000_000);
    bank.withdraw(&pool, &alice, 10_000_000).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 11_000_000);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 0);
}

#[tokio::test]
async fn a_transfer_fee_mint_is_refused_at_initialize_pool() {
    refused_at_initialize_pool(MintExtension::TransferFee).await;
}

/// A mint with a close authority could be closed at zero supply and recreated at the same
/// address with a permanent delegate, after the pool approved it.
#[tokio::test]
async fn a_closable_mint_is_refused_at_initialize_pool() {
    refused_at_initialize_pool(MintExtension::CloseAuthority).await;
}

async fn refused_at_initialize_pool(extension: MintExtension) {
    let mut bank = Bank::start().await;
    let mint = bank.create_mint_with(TOKEN_2022, 6, extension).await;
    assert!(!bank.mint_extensions(mint.address).await.is_empty());
    let creator = Keypair::new();
    bank.airdrop(&creator.pubkey(), USER_SOL).await;
    let setup = PoolSetup {
        token_program: TOKEN_2022,
        ..PoolSetup::default()
    };
    let result = bank.initialize_pool(&creator, &mint, &setup).await;
    let keys = stakepool_client::PoolKeys::derive(&creator.pubkey(), &mint.address, 0, &TOKEN_2022);
    assert_staking_error(result.map(|_| ()), StakingError::UnsupportedMintExtension);
    assert!(
        bank.account(keys.pool).await.is_none(),
        "no pool was created"
    );
    assert!(
        bank.account(keys.vault).await.is_none(),
        "no vault was created"
    );
}

async fn token_2022_pool(bank: &mut Bank) -> TestPool {
    bank.create_pool(PoolSetup {
        token_program: TOKEN_2022,
        ..PoolSetup::default()
    })
    .await
}

/// The pool moves a depositor's tokens by CPI with the depositor as authority, which CPI Guard
/// exists to block; the pool cannot do otherwise, so the client names the cause and the fix.
#[tokio::test]
async fn cpi_guard_on_the_paying_account_refuses_a_deposit_with_token_2022s_error() {
    let mut bank = Bank::start().await;
    let pool = token_2022_pool(&mut bank).await;
    let guard = AccountExtension::CpiGuard;
    let alice = bank.new_user_with(&pool.mint, 1_000_000, guard).await;
    assert!(bank.account_extension_enabled(alice.token, guard).await);
    bank.open_position(&pool, &alice).await.unwrap();

    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    let result = bank.deposit(&pool, &alice, 1_000_000).await;
    assert_token_2022_error(result, TokenError::CpiGuardTransferBlocked);
    bank.assert_unchanged(&watched, before).await;

    // The fix the client names: CPI Guard off, the same deposit goes through.
    bank.send(
        &[guard.disable(&alice.token, &alice.key())],
        &[&alice.wallet],
    )
    .await
    .unwrap();
    bank.deposit(&pool, &alice, 1_000_000).await.unwrap();
    assert_eq!(bank.token_balance(pool.keys.vault).await, 1_000_000);
    assert_eq!(bank.token_balance(alice.token).await, 0);
}

/// The pool pays out by CPI with no memo before the transfer, so a destination that requires
/// memos refuses withdraw and claim; receiving elsewhere, or turning the requirement off, works.
#[tokio::test]
async fn required_memos_on_the_destination_refuse_withdraw_and_claim_with_token_2022s_error() {
    let mut bank = Bank::start().await;
    let pool = token_2022_pool(&mut bank).await;
    bank.fund_rewards(&pool, 1_000_000).await.unwrap();
    let memos = AccountExtension::MemoTransfer;
    let alice = bank.new_user_with(&pool.mint, 10_000_000, memos).await;
    assert!(bank.account_extension_enabled(alice.token, memos).await);
    // Memos are required of transfers in only: the deposit out of the account goes through.
    bank.stake(&pool, &alice, 10_000_000).await.unwrap();
    bank.advance(YEAR).await;

    let watched = pool.watched(&alice);
    let before = bank.snapshot(&watched).await;
    let result = bank.withdraw(&pool, &alice, 10_000_000).await;
    assert_token_2022_error(result, TokenError::NoMemo);
    let result = bank.claim(&pool, &alice).await;
    assert_token_2022_error(result, TokenError::NoMemo);
    bank.assert_unchanged(&watched, before).await;

    // The fixes the client names: another destination (`--to`), or the requirement off.
    let elsewhere = bank.create_token_account(&pool.mint, &alice.key()).await;
    let withdraw = ix::withdraw(&pool.keys, &alice.key(), &elsewhere, 10_000_000);
    bank.send(&[withdraw], &[&alice.wallet]).await.unwrap();
    assert_eq!(bank.token_balance(elsewhere).await, 10_000_000);
    bank.send(
        &[memos.disable(&alice.token, &alice.key())],
        &[&alice.wallet],
    )
    .await
    .unwrap();
    assert_eq!(bank.claim_amount(&pool, &alice).await, 1_000_000);
}
