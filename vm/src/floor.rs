//! Instructions of the benchmark's floor program (`floor-vault`), the baseline the pool's
//! deposit is compared with.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use floor_vault::{accounts, instruction};

/// The floor program's `.so` name and id, loaded beside the pool.
pub const PROGRAM: (&str, Pubkey) = ("floor_vault", floor_vault::ID);

pub fn state(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"state", mint.as_ref()], &floor_vault::ID).0
}

pub fn vault(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"vault", mint.as_ref()], &floor_vault::ID).0
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: floor_vault::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn initialize(payer: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
    build(
        accounts::Initialize {
            payer: *payer,
            mint: *mint,
            state: state(mint),
            vault: vault(mint),
            token_program: *token_program,
            system_program: system_program::ID,
        },
        instruction::Initialize {},
    )
}

pub fn deposit(
    user: &Pubkey,
    user_token: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::Deposit {
            user: *user,
            mint: *mint,
            user_token: *user_token,
            state: state(mint),
            vault: vault(mint),
            token_program: *token_program,
        },
        instruction::Deposit { amount },
    )
}
