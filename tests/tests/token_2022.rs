//! Token-2022 stake mints: a plain one works end to end; one with an amount-changing
//! extension is refused at creation.
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_tests::tokens::{MintExtension, TOKEN_2022};
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
