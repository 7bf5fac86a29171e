//! SPL Token / Token-2022 set-up instructions the simulator (and migrations) need: a mint,
//! associated token accounts, minting. Not pool instructions: those are in `instructions`.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::associated_token::{
    get_associated_token_address_with_program_id,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use anchor_spl::token_2022::spl_token_2022::{self, state::Mint};
use solana_instruction::Instruction;
use solana_system_interface::instruction as system_instruction;

/// Creates and initialises a mint with no extensions; `authority` mints.
pub fn create_mint(
    payer: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    decimals: u8,
    token_program: &Pubkey,
    rent_lamports: u64,
) -> Vec<Instruction> {
    vec![
        system_instruction::create_account(
            payer,
            mint,
            rent_lamports,
            Mint::LEN as u64,
            token_program,
        ),
        initialize_mint(token_program, mint, authority, decimals),
    ]
}

/// The address of the mint `create_seeded_mint` makes for `(payer, seed)`: deterministic, so a
/// deployment that creates a test mint can find it again on its next run.
pub fn seeded_mint_address(payer: &Pubkey, seed: &str, token_program: &Pubkey) -> Pubkey {
    Pubkey::create_with_seed(payer, seed, token_program).expect("seed of at most 32 bytes")
}

/// `create_mint` at `seeded_mint_address(payer, seed)`: no mint keypair to keep.
pub fn create_seeded_mint(
    payer: &Pubkey,
    seed: &str,
    authority: &Pubkey,
    decimals: u8,
    token_program: &Pubkey,
    rent_lamports: u64,
) -> Vec<Instruction> {
    let mint = seeded_mint_address(payer, seed, token_program);
    vec![
        system_instruction::create_account_with_seed(
            payer,
            &mint,
            payer,
            seed,
            rent_lamports,
            Mint::LEN as u64,
            token_program,
        ),
        initialize_mint(token_program, &mint, authority, decimals),
    ]
}

/// Initialises a created mint account (after any extension initialisers); no freeze authority.
pub fn initialize_mint(
    token_program: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    decimals: u8,
) -> Instruction {
    spl_token_2022::instruction::initialize_mint2(token_program, mint, authority, None, decimals)
        .expect("valid mint instruction")
}

pub const MINT_SPACE: usize = Mint::LEN;

/// `owner`'s associated token account for `mint`, and the instruction that creates it if absent.
pub fn associated_account(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> (Pubkey, Instruction) {
    (
        get_associated_token_address_with_program_id(owner, mint, token_program),
        create_associated_token_account_idempotent(payer, owner, mint, token_program),
    )
}

pub fn mint_to(
    mint: &Pubkey,
    account: &Pubkey,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
    token_program: &Pubkey,
) -> Instruction {
    spl_token_2022::instruction::mint_to_checked(
        token_program,
        mint,
        account,
        authority,
        &[],
        amount,
        decimals,
    )
    .expect("valid mint_to instruction")
}

pub fn transfer_sol(from: &Pubkey, to: &Pubkey, lamports: u64) -> Instruction {
    system_instruction::transfer(from, to, lamports)
}
