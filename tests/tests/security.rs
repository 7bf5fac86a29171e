//! Every account check of the staking pool, broken one at a time: the named error, and no
//! change to any account involved.
use anchor_lang::error::ErrorCode as Anchor;
use solana_account::Account;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::instructions as ix;
use stakepool_tests::tokens::TOKEN_2022;
use stakepool_tests::*;
use staking_pool::errors::StakingError;

struct World {
    bank: Bank,
    pool: TestPool,
    other: TestPool,
    alice: User,
    bob: User,
}

/// Two pools (different mints), alice and bob staked in the first, rewards funded in both.
async fn world() -> World {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let other = bank.create_pool(PoolSetup::default()).await;
    bank.fund_rewards(&pool, 1_000_000_000).await.unwrap();
    bank.fund_rewards(&other, 1_000_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 1_000_000_000).await;
    let bob = bank.new_user(&pool.mint, 1_000_000_000).await;
    bank.stake(&pool, &alice, 500_000_000).await.unwrap();
    bank.stake(&pool, &bob, 500_000_000).await.unwrap();
    let carol = bank.new_user(&other.mint, 1_000_000_000).await;
    bank.stake(&other, &carol, 500_000_000).await.unwrap();
    bank.advance(30 * DAY).await;
    World {
        bank,
        pool,
        other,
        alice,
        bob,
    }
}

impl World {
    fn watched(&self) -> Vec<anchor_lang::prelude::Pubkey> {
        let mut keys = self.pool.watched(&self.alice);
        keys.extend(self.pool.watched(&self.bob));
        keys.extend([
            self.other.keys.pool,
            self.other.keys.vault,
            self.other.keys.reward_vault,
        ]);
        keys
    }

    /// Sends `instruction` signed by `signers`; asserts the exact custom code and that no
    /// watched account changed.
    async fn refuse(&mut self, instruction: Instruction, signers: &[&Keypair], code: u32) {
        let watched = self.watched();
        let before = self.bank.snapshot(&watched).await;
        let result = self.bank.send(&[instruction], signers).await;
        assert_eq!(custom_code(&result, 0), Some(code), "got {result:?}");
        self.bank.assert_unchanged(&watched, before).await;
    }
}

fn code(error: StakingError) -> u32 {
    staking_code(error)
}

#[tokio::test]
async fn deposit_refuses_every_wrong_account() {
    let mut w = world().await;
    let keys = w.pool.keys;
    let alice = w.alice.wallet.insecure_clone();
    let base = ix::deposit(&keys, &alice.pubkey(), &w.alice.token, 1_000);

    let another_vault = swap_account(base.clone(), &keys.vault, &w.other.keys.vault);
    w.refuse(another_vault, &[&alice], code(StakingError::InvalidVault))
        .await;

    let reward_vault_as_vault = swap_account(base.clone(), &keys.vault, &keys.reward_vault);
    w.refuse(
        reward_vault_as_vault,
        &[&alice],
        code(StakingError::InvalidVault),
    )
    .await;

    let another_mint = swap_account(base.clone(), &keys.stake_mint, &w.other.keys.stake_mint);
    w.refuse(another_mint, &[&alice], code(StakingError::InvalidMint))
        .await;

    let token_2022 = swap_account(base.clone(), &keys.token_program, &TOKEN_2022);
    w.refuse(
        token_2022,
        &[&alice],
        code(StakingError::InvalidTokenProgram),
    )
    .await;

    let other_mint_account = w.bank.new_user(&w.other.mint, 1_000).await.token;
    let wrong_mint_source = swap_account(base.clone(), &w.alice.token, &other_mint_account);
    w.refuse(
        wrong_mint_source,
        &[&alice],
        Anchor::ConstraintTokenMint as u32,
    )
    .await;

    let bobs_position = swap_account(
        base.clone(),
        &keys.position(&alice.pubkey()),
        &keys.position(&w.bob.key()),
    );
    w.refuse(
        bobs_position,
        &[&alice],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;

    let not_signed = unsign(base.clone(), &alice.pubkey());
    w.refuse(not_signed, &[], Anchor::AccountNotSigner as u32)
        .await;

    // Type cosplay: a position account where the pool belongs.
    let position_as_pool = swap_account(base.clone(), &keys.pool, &keys.position(&w.bob.key()));
    w.refuse(
        position_as_pool,
        &[&alice],
        Anchor::AccountDiscriminatorMismatch as u32,
    )
    .await;

    // An account owned by another program where the pool belongs.
    let token_account_as_pool = swap_account(base.clone(), &keys.pool, &keys.vault);
    w.refuse(
        token_account_as_pool,
        &[&alice],
        Anchor::AccountOwnedByWrongProgram as u32,
    )
    .await;

    // Duplicate mutable accounts: the vault as its own source.
    let vault_as_source = swap_account(base.clone(), &w.alice.token, &keys.vault);
    w.refuse(
        vault_as_source,
        &[&alice],
        Anchor::ConstraintDuplicateMutableAccount as u32,
    )
    .await;

    // The untouched instruction still works, so each refusal above was the swap's doing.
    w.bank.send(&[base], &[&alice]).await.unwrap();
}

#[tokio::test]
async fn withdraw_refuses_every_wrong_account() {
    let mut w = world().await;
    let keys = w.pool.keys;
    let alice = w.alice.wallet.insecure_clone();
    let bob = w.bob.wallet.insecure_clone();
    let base = ix::withdraw(&keys, &alice.pubkey(), &w.alice.token, 1_000);

    let another_vault = swap_account(base.clone(), &keys.vault, &w.other.keys.vault);
    w.refuse(another_vault, &[&alice], code(StakingError::InvalidVault))
        .await;

    let reward_vault_as_vault = swap_account(base.clone(), &keys.vault, &keys.reward_vault);
    w.refuse(
        reward_vault_as_vault,
        &[&alice],
        code(StakingError::InvalidVault),
    )
    .await;

    let another_mint = swap_account(base.clone(), &keys.stake_mint, &w.other.keys.stake_mint);
    w.refuse(another_mint, &[&alice], code(StakingError::InvalidMint))
        .await;

    let token_2022 = swap_account(base.clone(), &keys.token_program, &TOKEN_2022);
    w.refuse(
        token_2022,
        &[&alice],
        code(StakingError::InvalidTokenProgram),
    )
    .await;

    let other_mint_account = w.bank.new_user(&w.other.mint, 0).await.token;
    let wrong_mint_destination = swap_account(base.clone(), &w.alice.token, &other_mint_account);
    w.refuse(
        wrong_mint_destination,
        &[&alice],
        Anchor::ConstraintTokenMint as u32,
    )
    .await;

    // Bob signs and points at alice's position: the seeds are derived from the signer.
    let bob_takes_alices = swap_account(base.clone(), &alice.pubkey(), &bob.pubkey());
    w.refuse(
        bob_takes_alices,
        &[&bob],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;

    // Another pool, with this pool's position: the position's seeds name its own pool, so the
    // position's check refuses it (the first check the position instructions make on it).
    let carol_style = swap_account(base.clone(), &keys.pool, &w.other.keys.pool);
    w.refuse(
        carol_style,
        &[&alice],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;

    let not_signed = unsign(base.clone(), &alice.pubkey());
    w.refuse(not_signed, &[], Anchor::AccountNotSigner as u32)
        .await;

    w.bank.send(&[base], &[&alice]).await.unwrap();
}

#[tokio::test]
async fn rewards_can_only_come_from_the_reward_vault() {
    let mut w = world().await;
    let keys = w.pool.keys;
    let alice = w.alice.wallet.insecure_clone();
    let claim = ix::claim(&keys, &alice.pubkey(), &w.alice.token);

    let principal_as_rewards = swap_account(claim.clone(), &keys.reward_vault, &keys.vault);
    w.refuse(
        principal_as_rewards,
        &[&alice],
        code(StakingError::InvalidRewardVault),
    )
    .await;

    let another_reward_vault = swap_account(
        claim.clone(),
        &keys.reward_vault,
        &w.other.keys.reward_vault,
    );
    w.refuse(
        another_reward_vault,
        &[&alice],
        code(StakingError::InvalidRewardVault),
    )
    .await;

    let another_mint = swap_account(claim.clone(), &keys.stake_mint, &w.other.keys.stake_mint);
    w.refuse(another_mint, &[&alice], code(StakingError::InvalidMint))
        .await;

    let token_2022 = swap_account(claim.clone(), &keys.token_program, &TOKEN_2022);
    w.refuse(
        token_2022,
        &[&alice],
        code(StakingError::InvalidTokenProgram),
    )
    .await;

    let bobs_position = swap_account(
        claim.clone(),
        &keys.position(&alice.pubkey()),
        &keys.position(&w.bob.key()),
    );
    w.refuse(
        bobs_position,
        &[&alice],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;

    let compound = ix::compound(&keys, &alice.pubkey());
    let swapped = swap_account(
        compound.clone(),
        &keys.reward_vault,
        &w.other.keys.reward_vault,
    );
    w.refuse(swapped, &[&alice], code(StakingError::InvalidRewardVault))
        .await;
    let swapped = swap_account(compound.clone(), &keys.vault, &w.other.keys.vault);
    w.refuse(swapped, &[&alice], code(StakingError::InvalidVault))
        .await;

    let fund = ix::fund_rewards(&keys, &w.pool.funder.key(), &w.pool.funder.token, 1_000);
    let funder = w.pool.funder.wallet.insecure_clone();
    let into_principal = swap_account(fund.clone(), &keys.reward_vault, &keys.vault);
    w.refuse(
        into_principal,
        &[&funder],
        code(StakingError::InvalidRewardVault),
    )
    .await;

    w.bank.send(&[claim], &[&alice]).await.unwrap();
    w.bank.send(&[compound], &[&alice]).await.unwrap();
}

#[tokio::test]
async fn a_copy_of_a_pool_at_another_address_is_refused() {
    let mut w = world().await;
    let keys = w.pool.keys;
    let alice = w.alice.wallet.insecure_clone();
    let real = w.bank.account(keys.pool).await.unwrap();
    let fake = anchor_lang::prelude::Pubkey::new_unique();
    w.bank
        .set_account(
            fake,
            Account {
                lamports: real.lamports,
                data: real.data.clone(),
                owner: staking_pool::ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .await;
    let deposit = swap_account(
        ix::deposit(&keys, &alice.pubkey(), &w.alice.token, 1_000),
        &keys.pool,
        &fake,
    );
    w.refuse(
        deposit,
        &[&alice],
        staking_code(StakingError::InvalidPoolAddress),
    )
    .await;
    let admin = w.pool.admin.insecure_clone();
    let set_apr = swap_account(ix::set_apr(&keys, &admin.pubkey(), 1), &keys.pool, &fake);
    w.refuse(
        set_apr,
        &[&admin],
        staking_code(StakingError::InvalidPoolAddress),
    )
    .await;
}

#[tokio::test]
async fn nobody_can_create_a_pool_at_another_creators_address() {
    let mut w = world().await;
    let attacker = Keypair::new();
    w.bank.airdrop(&attacker.pubkey(), USER_SOL).await;
    let victim = Keypair::new();
    // The address the victim will use for this mint and id.
    let victims = stakepool_client::PoolKeys::derive(
        &victim.pubkey(),
        &w.pool.mint.address,
        7,
        &w.pool.mint.token_program,
    );
    let mut init = ix::initialize_pool(&attacker.pubkey(), &victims, 7, 1_000, Default::default());
    init.accounts[0].pubkey = attacker.pubkey();
    let result = w.bank.send(&[init], &[&attacker]).await;
    assert_eq!(
        custom_code(&result, 0),
        Some(Anchor::ConstraintSeeds as u32),
        "{result:?}"
    );
    assert!(w.bank.account(victims.pool).await.is_none());
}

#[tokio::test]
async fn pools_and_positions_cannot_be_initialised_twice() {
    let mut w = world().await;
    let admin = w.pool.admin.insecure_clone();
    let before = w.bank.snapshot(&[w.pool.keys.pool]).await;
    let again = w
        .bank
        .initialize_pool(
            &admin,
            &w.pool.mint,
            &PoolSetup {
                apr_bps: 5,
                ..PoolSetup::default()
            },
        )
        .await
        .map(|_| ());
    // The system program refuses to create an account that exists: AccountAlreadyInUse (0).
    assert_eq!(custom_code(&again, 0), Some(0), "{again:?}");
    w.bank.assert_unchanged(&[w.pool.keys.pool], before).await;

    let alice = w.alice.wallet.insecure_clone();
    let reopen = ix::open_position(&w.pool.keys, &alice.pubkey());
    w.refuse(reopen, &[&alice], 0).await;
}

#[tokio::test]
async fn only_the_owner_can_unbond_or_close_a_position() {
    let mut w = world().await;
    let keys = w.pool.keys;
    let alice = w.alice.wallet.insecure_clone();
    let bob = w.bob.wallet.insecure_clone();
    let admin = w.pool.admin.insecure_clone();
    let limits = staking_pool::state::PoolLimits {
        unbonding_period: DAY,
        ..Default::default()
    };
    w.bank.set_params(&w.pool, &admin, limits).await.unwrap();
    let close = ix::close_position(&keys, &bob.pubkey());
    let close_alices = swap_account(
        close,
        &keys.position(&bob.pubkey()),
        &keys.position(&alice.pubkey()),
    );
    w.refuse(
        close_alices,
        &[&bob],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;
    let unbond = ix::request_unbond(&keys, &bob.pubkey(), 1);
    let unbond_alices = swap_account(
        unbond,
        &keys.position(&bob.pubkey()),
        &keys.position(&alice.pubkey()),
    );
    w.refuse(
        unbond_alices,
        &[&bob],
        staking_code(StakingError::InvalidPositionAddress),
    )
    .await;
}

/// Sending lamports to an address before its owner creates the account there is free for
/// anyone; it must not stop a position (or a pool and its vaults) from being created.
#[tokio::test]
async fn prefunded_addresses_cannot_block_account_creation() {
    let mut bank = Bank::start().await;
    let mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let creator = Keypair::new();
    bank.airdrop(&creator.pubkey(), USER_SOL).await;
    let keys = stakepool_client::PoolKeys::derive(
        &creator.pubkey(),
        &mint.address,
        0,
        &mint.token_program,
    );
    for address in [keys.pool, keys.vault, keys.reward_vault] {
        bank.airdrop(&address, 1_000_000).await;
    }
    bank.initialize_pool(&creator, &mint, &PoolSetup::default())
        .await
        .unwrap();
    let pool = bank.pool_state_at(keys.pool).await;
    assert_eq!(pool.vault, keys.vault);
    assert_eq!(bank.token_balance(keys.vault).await, 0);

    let alice = bank.new_user(&mint, 1_000).await;
    let position = keys.position(&alice.key());
    bank.airdrop(&position, 1_000_000).await;
    let open = ix::open_position(&keys, &alice.key());
    let deposit = ix::deposit(&keys, &alice.key(), &alice.token, 1_000);
    bank.send(&[open, deposit], &[&alice.wallet]).await.unwrap();
    assert_eq!(bank.token_balance(keys.vault).await, 1_000);
    let rent = bank.rent_exempt(staking_pool::state::Position::SPACE).await;
    // The prefunded lamports are kept; the owner topped up only the rest.
    assert_eq!(bank.lamports(position).await, rent.max(1_000_000));
}
