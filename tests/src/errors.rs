//! Exact error assertions: a failed transaction must fail with one named code.
use anchor_lang::error::ERROR_CODE_OFFSET;
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use solana_instruction::error::InstructionError;
use solana_transaction_error::TransactionError;
use staking_pool::errors::StakingError;

use crate::{Bank, TxError, TxResult};

/// The custom error code a transaction failed with, at caller instruction `ix` (0-based,
/// not counting the harness's compute-budget nonce).
pub fn custom_code(result: &TxResult, ix: u8) -> Option<u32> {
    match instruction_error(result) {
        Some((index, InstructionError::Custom(code))) if index == ix + Bank::FIRST_IX => {
            Some(*code)
        }
        _ => None,
    }
}

/// Which transaction instruction (counting the compute-budget nonce) failed, and how.
pub fn instruction_error(result: &TxResult) -> Option<(u8, &InstructionError)> {
    match result {
        Err(TxError::Transaction(TransactionError::InstructionError(index, error))) => {
            Some((*index, error))
        }
        _ => None,
    }
}

pub fn staking_code(error: StakingError) -> u32 {
    ERROR_CODE_OFFSET + error as u32
}

pub fn lending_code(error: mock_lending::errors::LendingError) -> u32 {
    ERROR_CODE_OFFSET + error as u32
}

/// Asserts the transaction's first caller instruction failed with `expected`.
#[track_caller]
pub fn assert_staking_error(result: TxResult, expected: StakingError) {
    let code = custom_code(&result, 0);
    assert_eq!(
        code,
        Some(staking_code(expected)),
        "expected {expected:?} ({}), got {result:?}",
        staking_code(expected)
    );
}

/// Asserts the transaction's first caller instruction failed with Anchor's own `expected`.
#[track_caller]
pub fn assert_anchor_error(result: TxResult, expected: anchor_lang::error::ErrorCode) {
    let code = custom_code(&result, 0);
    assert_eq!(
        code,
        Some(expected as u32),
        "expected {expected:?} ({}), got {result:?}",
        expected as u32
    );
}

/// Asserts the transaction's first caller instruction failed with Token-2022's `expected`: an
/// error raised in the token CPI the instruction made is reported at that instruction.
#[track_caller]
pub fn assert_token_2022_error(result: TxResult, expected: TokenError) {
    let number = expected.clone() as u32;
    assert_eq!(
        custom_code(&result, 0),
        Some(number),
        "expected Token-2022's {expected:?} ({number}), got {result:?}"
    );
}

/// Asserts the transaction failed at its first caller instruction with a non-custom
/// instruction error (e.g. a signature or privilege violation caught by the runtime).
#[track_caller]
pub fn assert_instruction_error(result: TxResult, expected: InstructionError) {
    match instruction_error(&result) {
        Some((_, error)) if *error == expected => {}
        _ => panic!("expected {expected:?}, got {result:?}"),
    }
}
